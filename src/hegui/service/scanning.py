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


def stored_policy(store: Any, sha256: str | None, name: str) -> tuple[str, str] | None:
    """(path, display name) of a version's stored privacy policy; None without one. A missing file
    is ``FileNotFoundError`` (an internal error: the job is retried)."""
    if sha256 is None:
        return None
    path = Path(store.path(sha256))
    if not path.is_file():
        raise FileNotFoundError(f"the stored policy {sha256} is missing from the store")
    return str(path), name


def scan_with_policy(path: str, *, options: Any, policy: tuple[str, str]) -> dict[str, Any]:
    """The worker of a version uploaded with a privacy policy: analyse the stored policy file
    ``policy = (path, uploader's file name)``, then scan the APK against it."""
    from hegui.batch import scan_to_dict
    from hegui.service.policy_upload import analyse_stored

    analysis = analyse_stored(policy[0], policy[1])
    return scan_to_dict(path, replace(options, policy=analysis))


def scan_apk(
    path: Path,
    options: Any,
    timeout: float | None,
    isolate: bool,
    *,
    policy: tuple[str, str] | None = None,
) -> tuple[dict[str, Any] | None, tuple[str, str] | None]:
    """(report dict, None) or (None, (kind, one-line message)). ``policy``: the stored privacy
    policy's path and display name, analysed with the APK (in the same child process).

    Isolated: in a child process of :func:`hegui.batch.scan_many`, killed after ``timeout`` seconds
    or when it crashes. A daemonic process (a Celery prefork pool child) may not start children;
    it is itself a disposable child of the worker, so it scans in-process under
    :func:`hegui.batch.time_limit` (SIGALRM: the task runs in its main thread), and a crash only
    costs that pool child (the job is recovered as stale)."""
    import multiprocessing

    from hegui.batch import describe_error, scan_many, scan_to_dict, time_limit
    from hegui.errors import HeguiError

    if isolate and not multiprocessing.current_process().daemon:
        worker: Any = partial(scan_to_dict, options=options)
        if policy is not None:
            worker = partial(scan_with_policy, options=options, policy=policy)
        for item in scan_many([path], jobs=1, timeout=timeout, worker=worker):
            if item.error is not None:
                return None, (item.error.kind, _one_line(item.error.message))
            return item.report, None
        raise RuntimeError("the scan produced no result")
    try:
        with time_limit(timeout):
            if policy is not None:
                return scan_with_policy(str(path), options=options, policy=policy), None
            return scan_to_dict(str(path), options), None
    except HeguiError as exc:
        err = describe_error(exc)
        return None, (err.kind, _one_line(err.message))


def _one_line(message: str) -> str:
    return " ".join(message.split())[:2000]
