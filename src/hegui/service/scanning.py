"""One APK's scan for a job, crash- and time-isolated: the analysis step of
:func:`hegui.service.tasks.run_job`, which runs outside any database transaction."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any


def options_for(base: Any, app_type: str | None) -> Any:
    """``base`` (a :class:`hegui.api.ScanOptions`, default options when None) with the app's
    ``app_type`` when it has one."""
    from hegui.api import ScanOptions

    options = base or ScanOptions()
    return replace(options, app_type=app_type) if app_type else options


def scan_apk(
    path: Path, options: Any, timeout: float | None, isolate: bool
) -> tuple[dict[str, Any] | None, tuple[str, str] | None]:
    """(report dict, None) or (None, (kind, one-line message)).

    Isolated: in a child process of :func:`hegui.batch.scan_many`, killed after ``timeout`` seconds
    or when it crashes. A daemonic process (a Celery prefork pool child) may not start children;
    it is itself a disposable child of the worker, so it scans in-process under
    :func:`hegui.batch.time_limit` (SIGALRM: the task runs in its main thread), and a crash only
    costs that pool child (the job is recovered as stale)."""
    import multiprocessing

    from hegui.batch import describe_error, scan_many, scan_to_dict, time_limit
    from hegui.errors import HeguiError

    if isolate and not multiprocessing.current_process().daemon:
        worker = partial(scan_to_dict, options=options)
        for item in scan_many([path], jobs=1, timeout=timeout, worker=worker):
            if item.error is not None:
                return None, (item.error.kind, _one_line(item.error.message))
            return item.report, None
        raise RuntimeError("the scan produced no result")
    try:
        with time_limit(timeout):
            return scan_to_dict(str(path), options), None
    except HeguiError as exc:
        err = describe_error(exc)
        return None, (err.kind, _one_line(err.message))


def _one_line(message: str) -> str:
    return " ".join(message.split())[:2000]
