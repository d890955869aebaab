"""Scan many APKs in worker processes; one bad APK never stops the batch.

``jobs`` worker processes take APKs one at a time over a pipe. A worker that raises reports an
error item for that APK and goes on. A worker that crashes (segfault in native code, killed by the
OOM killer, ``os._exit``) or runs past ``timeout`` seconds on one APK is killed and replaced: its
APK becomes an error item (``crash`` / ``timeout``), every other APK is unaffected. This is why
hegui does not use ``ProcessPoolExecutor``: a pool breaks as a whole when one worker dies and
cannot stop a single task that hangs. Workers are also replaced after ``max_tasks_per_worker``
APKs, so memory that analysis code leaks cannot pile up; reusing a worker meanwhile keeps loaded
knowledge files and imports warm (starting a fresh process per APK cost ~0.15 s each).

Workers are started with the ``forkserver`` method where the platform has it (Linux, macOS): each
is forked from a small clean server process, which is cheap and safe even though the parent runs
threads (the progress bar). Elsewhere ``spawn`` is used. As with any ``multiprocessing`` code, a
script calling :func:`scan_many` needs the ``if __name__ == "__main__":`` guard. ``jobs=1`` still
analyses in a worker process, so crash and time-out isolation hold; only :func:`time_limit` (used
by the CLI for a single APK) runs in-process, with a SIGALRM time-out where the platform allows it.
"""

from __future__ import annotations

import hashlib
import importlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hegui.errors import ApkError, ConfigError, DexError, FormatterError, HeguiError, KnowledgeError
from hegui.report.schema import BatchError

if TYPE_CHECKING:
    from hegui.api import ScanOptions

Worker = Callable[[str], dict[str, Any]]

__all__ = [
    "BatchError",
    "BatchItem",
    "ScanTimeout",
    "collect_apks",
    "describe_error",
    "scan_many",
    "scan_to_dict",
    "time_limit",
]


class ScanTimeout(HeguiError):
    """The analysis of one APK took longer than allowed."""

    kind = "timeout"

    def __init__(self, seconds: float) -> None:
        self.message = (
            f"analysis took longer than {seconds:g} s and was stopped; "
            "raise --timeout (or 0 for none) for very large APKs"
        )
        super().__init__(self.message)


_KINDS: tuple[tuple[type[HeguiError], str], ...] = (
    (DexError, "dex"),
    (KnowledgeError, "knowledge"),
    (FormatterError, "formatter"),
    (ConfigError, "config"),
)


def describe_error(exc: BaseException) -> BatchError:
    """``kind`` and ``message`` of an error, as printed (``hegui: FILE: KIND: MESSAGE``) and stored."""
    if isinstance(exc, ApkError | ScanTimeout):
        return BatchError(kind=exc.kind, message=exc.message)
    if isinstance(exc, HeguiError):
        own = getattr(type(exc), "kind", None)  # an error class may name its kind (PolicyError: "policy")
        kind = own if isinstance(own, str) else next((k for cls, k in _KINDS if isinstance(exc, cls)), "error")
        return BatchError(kind=kind, message=str(exc))
    return BatchError(kind="internal", message=f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class BatchItem:
    """The outcome for one input: ``report`` (the JSON dict of the Report) or ``error``."""

    index: int  # position in the input list
    path: str
    seconds: float
    sha256: str | None = None
    report: dict[str, Any] | None = None
    error: BatchError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        """One JSON Lines record (schema: docs/schema/batch-line.schema.json)."""
        out: dict[str, Any] = {"path": self.path, "status": "ok" if self.ok else "error"}
        if self.sha256:
            out["sha256"] = self.sha256
        out["seconds"] = round(self.seconds, 3)
        if self.report is not None:
            out["report"] = self.report
        if self.error is not None:
            out["error"] = self.error.model_dump()
        return out


def scan_to_dict(path: str, options: ScanOptions | None = None) -> dict[str, Any]:
    """The default worker: scan one APK and return its report as a JSON-ready dict. With options,
    pass ``functools.partial(scan_to_dict, options=...)`` (it pickles; the options travel once)."""
    from hegui.api import scan
    from hegui.report.json import report_dict

    return report_dict(scan(path, options=options))


# -- inputs ---------------------------------------------------------------------------------------


def collect_apks(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[tuple[Path, BatchError]]]:
    """Files as given, folders searched recursively for ``*.apk`` (sorted, symlinked folders not
    followed), duplicates dropped. Returns the APKs and the inputs that name nothing to scan."""
    found: list[Path] = []
    problems: list[tuple[Path, BatchError]] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            apks = sorted(
                Path(root) / name
                for root, _dirs, files in os.walk(p)
                for name in files
                if name.lower().endswith(".apk")
            )
            if not apks:
                problems.append((p, BatchError(kind="not_apk", message="no *.apk file in this folder")))
            for apk in apks:
                add(apk)
        elif p.exists():
            add(p)
        else:
            problems.append((p, BatchError(kind="io", message="no such file or folder")))
    return found, problems


def file_sha256(path: str | os.PathLike[str]) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


# -- in-process time limit ------------------------------------------------------------------------


class _Alarm(BaseException):
    """Raised by the SIGALRM handler; a BaseException so ``except Exception`` in analysis code
    cannot swallow it. Turned into :class:`ScanTimeout` by :func:`time_limit`."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ScanTimeout` if the block runs longer than ``seconds``.

    Uses SIGALRM, so it only works on POSIX in the main thread; elsewhere (or with ``None``/0) the
    block runs without a limit. The alarm is seen between Python operations: a long call into C
    finishes first. Batch scans do not need this: they kill the worker process instead.
    """
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

    def on_alarm(signum: int, frame: object) -> None:
        raise _Alarm

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Alarm:
        raise ScanTimeout(seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- worker processes -----------------------------------------------------------------------------

MAX_TASKS_PER_WORKER = 50
_GRACE = 5.0  # seconds a worker gets to exit on its own before it is killed


def _scan_one(worker: Worker, path: str) -> tuple[Any, ...]:
    try:
        return ("ok", worker(path))
    except Exception as exc:  # every failure of this APK is reported, none escapes
        err = describe_error(exc)
        return ("error", err.kind, err.message)


def _worker_loop(worker: Worker, conn: Connection) -> None:
    """Runs in a worker process: scan each path received, send one message back; stop on None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops the workers
    try:
        while True:
            try:
                path = conn.recv()
            except EOFError:
                return
            if path is None:
                return
            conn.send(_scan_one(worker, path))
    finally:
        conn.close()


def _imports_cleanly(module: str) -> bool:
    try:
        importlib.import_module(module)
    except Exception:
        return False
    return True


def _context(worker: Worker) -> Any:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        preload = ["hegui.batch"]
        if getattr(worker, "func", worker) is scan_to_dict and _imports_cleanly("hegui.api"):
            # import the analysis code once in the server rather than in every worker. Only when
            # it imports here: an import error other than ImportError would kill the server.
            preload.append("hegui.api")
        ctx.set_forkserver_preload(preload)
    return ctx


@dataclass
class _Job:
    index: int
    path: str
    started: float
    deadline: float | None


@dataclass
class _Proc:
    proc: Any  # multiprocessing.process.BaseProcess
    conn: Connection
    done: int = 0
    job: _Job | None = None

    @classmethod
    def start(cls, ctx: Any, worker: Worker, n: int) -> _Proc:
        parent, child = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_worker_loop, args=(worker, child), name=f"hegui-worker-{n}", daemon=True)
        proc.start()
        child.close()  # only the worker holds its end: a dead worker shows as EOF
        return cls(proc, parent)

    def stop(self, grace: float = 0) -> None:
        """Ask the worker to exit, wait up to ``grace`` seconds, then kill it."""
        if grace:
            with suppress(OSError):
                self.conn.send(None)
        self.proc.join(grace)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(_GRACE)
        self.conn.close()


def _death(exitcode: int | None) -> BatchError:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = {
            "SIGKILL": " (out of memory?)",
            "SIGSEGV": " (crash in native code?)",
            "SIGABRT": " (crash in native code?)",
        }.get(name, "")
        return BatchError(kind="crash", message=f"the worker process was killed by {name}{hint}")
    return BatchError(
        kind="crash", message=f"the worker process exited with code {exitcode} without a result"
    )


def _item(job: _Job, now: float, msg: tuple[Any, ...]) -> BatchItem:
    seconds = now - job.started
    if msg[0] == "ok":
        report = msg[1]
        sha = report.get("facts", {}).get("sha256") if isinstance(report, dict) else None
        return BatchItem(job.index, job.path, seconds, sha or file_sha256(job.path), report=report)
    return _error_item(job, now, BatchError(kind=msg[1], message=msg[2]))


def _error_item(job: _Job, now: float, error: BatchError) -> BatchItem:
    return BatchItem(job.index, job.path, now - job.started, file_sha256(job.path), error=error)


def _check(w: _Proc, now: float, timeout: float | None) -> tuple[BatchItem | None, bool]:
    """(the item of its job if finished, whether the worker is gone) for a busy worker."""
    job = w.job
    assert job is not None
    if w.conn.poll():  # a result, or EOF when the worker died without sending one
        try:
            msg = w.conn.recv()
        except (EOFError, OSError):
            w.proc.join(_GRACE)
            w.stop()
            return _error_item(job, now, _death(w.proc.exitcode)), True
        w.job = None
        w.done += 1
        return _item(job, now, msg), False
    if not w.proc.is_alive():
        w.stop()
        return _error_item(job, now, _death(w.proc.exitcode)), True
    if job.deadline is not None and now >= job.deadline:
        w.stop()
        assert timeout is not None
        return _error_item(job, now, describe_error(ScanTimeout(timeout))), True
    return None, False


def scan_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    timeout: float | None = None,
    on_result: Callable[[BatchItem], None] | None = None,
    worker: Worker = scan_to_dict,
    max_tasks_per_worker: int = MAX_TASKS_PER_WORKER,
) -> Iterator[BatchItem]:
    """Scan every path in up to ``jobs`` worker processes; yield one :class:`BatchItem` per path,
    in completion order (``item.index`` is the position in ``paths``).

    ``timeout`` (seconds, ``None`` or 0 for none) bounds each APK. ``on_result`` is called with
    each item as it completes, before it is yielded. ``worker`` must be a module-level function
    (it is pickled to the workers) taking a path and returning a JSON-ready dict; errors it raises
    become error items. Closing the iterator early kills the workers.
    """
    if jobs < 1 or max_tasks_per_worker < 1:
        raise ValueError("jobs and max_tasks_per_worker must be at least 1")
    timeout = timeout or None
    pending = deque((i, os.fspath(p)) for i, p in enumerate(paths))
    ctx = _context(worker) if pending else None
    workers: list[_Proc] = []
    started = 0
    try:
        while pending or any(w.job for w in workers):
            for w in [w for w in workers if w.job is None and w.done >= max_tasks_per_worker]:
                workers.remove(w)
                w.stop(_GRACE)
            while pending and (len(workers) < jobs or any(w.job is None for w in workers)):
                idle = next((w for w in workers if w.job is None), None)
                if idle is None:
                    idle = _Proc.start(ctx, worker, started)
                    started += 1
                    workers.append(idle)
                index, path = pending.popleft()
                try:
                    idle.conn.send(path)
                except OSError:  # the idle worker died: replace it and hand the APK to another
                    pending.appendleft((index, path))
                    workers.remove(idle)
                    idle.stop()
                    continue
                now = time.monotonic()
                idle.job = _Job(index, path, now, now + timeout if timeout else None)
            busy = [w for w in workers if w.job is not None]
            deadlines = [w.job.deadline for w in busy if w.job and w.job.deadline is not None]
            wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_for)
            now = time.monotonic()
            for w in busy:
                item, gone = _check(w, now, timeout)
                if gone:
                    workers.remove(w)
                if item is None:
                    continue
                if on_result is not None:
                    on_result(item)
                yield item
    finally:
        for w in workers:
            w.stop(_GRACE if w.job is None else 0)
