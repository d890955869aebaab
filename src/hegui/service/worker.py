"""The distributed engine: Celery with a Redis broker (``HEGUI_BROKER_URL``).

Start a worker (as many as wanted, on any machine sharing the database and the store)::

    HEGUI_BROKER_URL=redis://host:6379/0 HEGUI_DATABASE_URL=postgresql+psycopg://... \\
        celery -A hegui.service.worker:celery_app worker

Messages carry only the job id (JSON, never pickle); the job row is the truth (``tasks.py``).
Acknowledged late (after the task), with prefetch 1, so a message whose worker died is not lost;
the claim in :func:`hegui.service.tasks.run_job` makes a second delivery harmless.

Maintenance (:func:`maintain`) runs in every worker at start-up and then every
``HEGUI_MAINTENANCE_INTERVAL`` seconds (a Redis lock lets one worker of the cluster do it per
interval): jobs left ``running`` by a killed worker for longer than the job time limit go back to
``queued`` and are dispatched again; when the queue is empty but the database still has
``queued`` jobs (the broker restarted and lost its messages), they are dispatched again. Instead of
the built-in timer (``HEGUI_MAINTENANCE_INTERVAL=0``), schedule the ``hegui.maintenance`` task with
``celery beat``.

The environment (``HEGUI_JOB_TIMEOUT``, ``HEGUI_JOB_STALE_AFTER``, ``HEGUI_JOB_MAX_ATTEMPTS``,
``HEGUI_MAINTENANCE_INTERVAL``, ``HEGUI_CELERY_QUEUE``, ``HEGUI_REDIS_KEY_PREFIX`` and the others)
is read in one place, :mod:`hegui.service.config`; :class:`WorkerOptions` takes its values from
the settings.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from celery import Celery
from celery.signals import worker_ready, worker_shutdown
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from hegui.batch import MAX_TASKS_PER_WORKER
from hegui.service.config import Settings, from_env
from hegui.service.db.session import make_engine, session_factory, transaction
from hegui.service.tasks import (
    DEFERRED,
    JOB_TIME_LIMIT,
    MAX_ATTEMPTS,
    STALE_GRACE,
    Store,
    dispatch_queued,
    recover_stale,
    run_job,
)

log = logging.getLogger(__name__)
TASK = "hegui.analyse"
DB_RETRIES = 20  # a database outage of up to ~20 minutes is waited out (back-off capped at 60 s)


@dataclass(frozen=True)
class WorkerOptions:
    queue: str = "hegui"
    key_prefix: str = ""
    timeout: float = JOB_TIME_LIMIT
    stale_after: float = JOB_TIME_LIMIT + STALE_GRACE
    max_attempts: int = MAX_ATTEMPTS
    maintenance_interval: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerOptions:
        return cls(
            queue=settings.celery_queue,
            key_prefix=settings.redis_key_prefix,
            timeout=settings.job_timeout,
            stale_after=settings.stale_seconds,
            max_attempts=settings.job_max_attempts,
            maintenance_interval=settings.maintenance_interval,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WorkerOptions:
        return cls.from_settings(from_env(env))


def open_store(settings: Settings) -> Store:
    from hegui.service.storage import make_store

    return make_store(settings.store_path)


class _Resources:
    """Engine, session factory and store, built lazily once per process (a prefork child must not
    share its parent's database connections)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._engine: Any = None
        self._factory: sessionmaker[Session] | None = None
        self._store: Store | None = None

    def get(self) -> tuple[sessionmaker[Session], Store]:
        with self._lock:
            if self._pid != os.getpid():
                if self._engine is not None:
                    self._engine.dispose(close=False)  # inherited by fork: leave the parent's to it
                self._engine = make_engine(self.settings.db_url)
                self._factory = session_factory(self._engine)
                self._store = open_store(self.settings)
                self._pid = os.getpid()
            assert self._factory is not None and self._store is not None
            return self._factory, self._store


def _backoff(retries: int) -> float:
    return float(min(2**retries, 60))


def make_celery(settings: Settings, options: WorkerOptions | None = None) -> Celery:
    """A Celery app for these settings, with the ``hegui.analyse`` and ``hegui.maintenance`` tasks."""
    if not settings.broker_url:
        raise ValueError("HEGUI_BROKER_URL is not set: jobs run in-process, no Celery worker is needed")
    opts = options or WorkerOptions.from_env()
    app = Celery("hegui", broker=settings.broker_url, backend=settings.broker_url, set_as_current=False)
    transport: dict[str, Any] = {"visibility_timeout": max(3600, int(2 * opts.stale_after))}
    if opts.key_prefix:
        transport["global_keyprefix"] = opts.key_prefix
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_max_tasks_per_child=MAX_TASKS_PER_WORKER,  # prefork: memory leaked by analysis
        task_default_queue=opts.queue,
        task_ignore_result=True,  # the job row is the result
        task_time_limit=int(opts.stale_after),  # a hung task (not the scan: it has its own limit)
        broker_transport_options=transport,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    resources = _Resources(settings)
    app.hegui_resources = resources  # type: ignore[attr-defined]
    app.hegui_options = opts  # type: ignore[attr-defined]

    @app.task(name=TASK, bind=True, max_retries=None)
    def analyse(self: Any, job_id: int) -> str:
        factory, store = resources.get()
        try:
            status = run_job(
                factory,
                job_id=job_id,
                store=store,
                timeout=opts.timeout,
                max_attempts=opts.max_attempts,
            )
        except DBAPIError as exc:  # the database is down or restarting: wait it out
            if self.request.retries >= DB_RETRIES:
                raise  # the job stays queued/running: maintenance picks it up
            raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
        if status in ("queued", DEFERRED) and self.request.retries < DB_RETRIES + opts.max_attempts:
            # released for a retry, or the same APK is being analysed by another job right now
            raise self.retry(countdown=_backoff(self.request.retries + 1))
        return status

    @app.task(name="hegui.maintenance")
    def maintenance() -> dict[str, list[int]]:
        factory, _store = resources.get()
        return maintain(app, factory, CeleryDispatcher(app), opts)

    _install_timer(app, opts)
    return app


class CeleryDispatcher:
    """Sends ``hegui.analyse(job_id)``. A broker that is down does not fail the submission: the job
    row stays ``queued`` and maintenance (or :func:`hegui.service.tasks.sweep`) dispatches it."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def dispatch(self, job_id: int) -> None:
        try:
            self.app.send_task(
                TASK,
                args=[job_id],
                queue=self.app.conf.task_default_queue,
                retry=True,
                retry_policy={"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5},
            )
        except Exception as exc:  # kombu's OperationalError and friends
            log.warning("job %s stays queued: the broker did not take it (%s)", job_id, exc)


def queue_size(app: Celery, queue: str) -> int:
    """Messages waiting in the queue (Redis drops an empty list: "no such queue" means 0)."""
    from kombu.exceptions import ChannelError

    with app.connection_for_write() as conn:
        try:
            return int(conn.default_channel.queue_declare(queue=queue, passive=True).message_count)
        except ChannelError as exc:
            if "NOT_FOUND" in str(exc):
                return 0
            raise


def _lock(app: Celery, opts: WorkerOptions, seconds: float) -> bool:
    """One maintenance run per interval in the whole cluster (False: another worker has it)."""
    try:
        import redis

        client = redis.Redis.from_url(app.conf.broker_url, socket_timeout=5)
        key = f"{opts.key_prefix}hegui:maintenance:{opts.queue}"
        with client:
            return bool(client.set(key, str(os.getpid()), nx=True, px=max(int(seconds * 1000), 100)))
    except Exception:  # not Redis, or unreachable: run it (duplicates are harmless)
        return True


def maintain(
    app: Celery, factory: sessionmaker[Session], dispatcher: Any, opts: WorkerOptions
) -> dict[str, list[int]]:
    """Recover jobs lost with their worker; re-dispatch queued jobs if the broker lost them."""
    with transaction(factory) as s:
        requeued = recover_stale(s, older_than=opts.stale_after, max_attempts=opts.max_attempts)
    for job_id in requeued:
        dispatcher.dispatch(job_id)
    swept: list[int] = []
    try:
        empty = queue_size(app, opts.queue) == 0
    except Exception as exc:
        log.warning("maintenance: cannot read the size of queue %s (%s); not sweeping", opts.queue, exc)
        empty = False
    if empty:
        with factory() as s:
            swept = [j for j in dispatch_queued(s, dispatcher, older_than=5.0) if j not in requeued]
    if requeued or swept:
        log.info("maintenance: recovered %s, re-dispatched %s", requeued, swept)
    return {"recovered": requeued, "swept": swept}


def _install_timer(app: Celery, opts: WorkerOptions) -> None:
    stop = threading.Event()

    def loop() -> None:
        dispatcher = CeleryDispatcher(app)
        while True:
            try:
                factory, _store = app.hegui_resources.get()  # type: ignore[attr-defined]
                if _lock(app, opts, opts.maintenance_interval or 5.0):
                    maintain(app, factory, dispatcher, opts)
            except Exception:
                log.exception("maintenance failed; trying again at the next interval")
            if not opts.maintenance_interval or stop.wait(opts.maintenance_interval):
                return

    @worker_ready.connect(weak=False)
    def _start(sender: Any = None, **_kw: Any) -> None:
        if getattr(sender, "app", None) is app:
            threading.Thread(target=loop, name="hegui-maintenance", daemon=True).start()

    @worker_shutdown.connect(weak=False)
    def _stop(sender: Any = None, **_kw: Any) -> None:
        if getattr(sender, "app", None) is app:
            stop.set()


def __getattr__(name: str) -> Any:
    """``celery_app``, built from the environment on first use (importing this module for
    :class:`CeleryDispatcher` needs no broker)."""
    if name == "celery_app":
        app = make_celery(from_env())
        globals()["celery_app"] = app
        return app
    raise AttributeError(name)
