"""The in-process job engine: jobs on a thread pool in the web process (the embedded default, no
broker). Celery workers are the other engine (:mod:`hegui.service.worker`); both run
:func:`hegui.service.tasks.run_job`, the one body of a job.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from hegui.service.db.session import transaction
from hegui.service.tasks import (
    DEFERRED,
    JOB_TIME_LIMIT,
    MAX_ATTEMPTS,
    Dispatcher,
    Store,
    recover_stale,
    run_job,
    stale_after,
)

log = logging.getLogger("hegui.service.tasks")

__all__ = ["Dispatcher", "InProcessDispatcher"]


class InProcessDispatcher:
    """Jobs on a thread pool in this (web) process: the embedded default, no broker. Each scan
    still runs in a child process (``isolate``). A released or deferred job is dispatched again
    after a back-off. Every ``recover_every`` seconds, jobs ``running`` for longer than
    ``stale_seconds`` (default: the time limit plus a grace) are recovered and dispatched, so
    several web processes sharing a database cover for one that died; at start-up the caller runs
    ``recover_stale`` + ``sweep`` for what a previous run left. The periodic recovery starts with
    the dispatcher, or with ``start()`` when built with ``autostart=False`` (the app starts it in its
    lifespan, so an app that is built but never run leaves no thread behind)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        store: Store,
        max_workers: int = 2,
        *,
        hegui_options: Any = None,
        timeout: float | None = JOB_TIME_LIMIT,
        isolate: bool = True,
        max_attempts: int = MAX_ATTEMPTS,
        retry_delay: float = 5.0,
        recover_every: float | None = 60.0,
        stale_seconds: float | None = None,
        autostart: bool = True,
    ) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._run_kw = dict(
            store=store,
            hegui_options=hegui_options,
            timeout=timeout,
            isolate=isolate,
            max_attempts=max_attempts,
        )
        self._factory = factory
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="hegui-job")
        self._retry_delay = retry_delay
        self._retries: dict[int, int] = {}
        self._pending = 0
        self._closed = False
        self._idle = threading.Condition()
        self._timers: set[threading.Timer] = set()
        self._stop = threading.Event()
        self._recovery: threading.Thread | None = None
        if recover_every:
            stale = stale_seconds if stale_seconds is not None else stale_after(timeout or JOB_TIME_LIMIT)
            args = (recover_every, stale, max_attempts)
            self._recovery = threading.Thread(
                target=self._recover_loop, args=args, name="hegui-job-recovery", daemon=True
            )
            if autostart:
                self.start()

    def start(self) -> None:
        """Start the periodic recovery (once; a closed dispatcher does not start it)."""
        with self._idle:
            thread = self._recovery
            if thread is None or thread.ident is not None or self._closed:  # none, started once, or closed
                return
            thread.start()

    def dispatch(self, job_id: int) -> None:
        with self._idle:
            if self._closed:
                return
            self._pending += 1
        try:
            self._pool.submit(self._run, job_id)
        except RuntimeError:  # closed meanwhile: the job stays queued for the next start-up sweep
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def _recover_loop(self, every: float, stale: float | timedelta, max_attempts: int) -> None:
        while not self._stop.wait(every):
            try:
                with transaction(self._factory) as s:
                    requeued = recover_stale(s, older_than=stale, max_attempts=max_attempts)
                for job_id in requeued:
                    self.dispatch(job_id)
            except Exception:
                if not self._stop.is_set():  # closing: the database may already be gone
                    log.exception("recovering stale jobs failed; trying again later")

    def _run(self, job_id: int) -> None:
        try:
            try:
                status = run_job(self._factory, job_id=job_id, **self._run_kw)  # type: ignore[arg-type]
            except Exception:
                log.exception("job %s: the run failed; retrying later", job_id)
                status = "queued"
            if status in ("queued", DEFERRED):
                with self._idle:
                    n = self._retries[job_id] = self._retries.get(job_id, 0) + 1
                self._later(job_id, min(self._retry_delay * 2 ** (n - 1), 300.0))
            else:
                with self._idle:
                    self._retries.pop(job_id, None)
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def _later(self, job_id: int, delay: float) -> None:
        with self._idle:
            if self._closed:
                return
            self._pending += 1

        def fire() -> None:
            with self._idle:
                self._timers.discard(timer)
                self._pending -= 1
            self.dispatch(job_id)

        timer = threading.Timer(delay, fire)
        timer.daemon = True
        with self._idle:
            self._timers.add(timer)
        timer.start()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job is running or waiting for a retry; False on time-out."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, wait: bool = True) -> None:
        self._stop.set()
        if self._recovery is not None and self._recovery.ident is not None and wait:
            self._recovery.join()
        with self._idle:
            self._closed = True
            timers, self._timers = list(self._timers), set()
        for timer in timers:
            timer.cancel()
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
