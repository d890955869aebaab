"""Crash safety without a broker: stale jobs are recovered, queued jobs swept, retries back off."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import func, select, update

from hegui.service import scanning, tasks
from hegui.service.db.models import Job, Result, utcnow
from hegui.service.db.session import transaction
from hegui.service.dispatch import InProcessDispatcher
from hegui.service.tasks import enqueue, recover_stale, run_job, sweep


class Recorder:
    def __init__(self) -> None:
        self.sent: list[int] = []

    def dispatch(self, job_id: int) -> None:
        self.sent.append(job_id)


def submit(factory, version_id: int) -> int:
    with transaction(factory) as s:
        return enqueue(s, version_id=version_id).id


def set_job(factory, job_id: int, **values) -> None:
    with transaction(factory) as s:
        s.execute(update(Job).where(Job.id == job_id).values(**values))


def job_row(factory, job_id: int) -> Job:
    with factory() as s:
        return s.get(Job, job_id)


def test_a_job_left_running_by_a_killed_worker_is_recovered(any_factory, any_add_version, store):
    lost = submit(any_factory, any_add_version("sdk_no_consent"))
    busy = submit(any_factory, any_add_version("clean"))
    hopeless = submit(any_factory, any_add_version("pi_location"))
    long_ago = utcnow() - timedelta(minutes=10)
    set_job(any_factory, lost, status="running", attempts=1, started_at=long_ago)  # worker SIGKILLed
    set_job(any_factory, busy, status="running", attempts=1, started_at=utcnow())  # still working
    set_job(any_factory, hopeless, status="running", attempts=3, started_at=long_ago)  # killed 3 times

    with transaction(any_factory) as s:
        requeued = recover_stale(s, older_than=timedelta(minutes=6))
    assert requeued == [lost]
    assert job_row(any_factory, lost).status == "queued"
    assert job_row(any_factory, busy).status == "running"
    gone = job_row(any_factory, hopeless)
    assert gone.status == "failed" and "lost" in gone.error

    dispatcher = InProcessDispatcher(any_factory, store)
    try:
        for job_id in requeued:
            dispatcher.dispatch(job_id)
        assert dispatcher.wait_idle(60)
    finally:
        dispatcher.close()
    job = job_row(any_factory, lost)
    assert (job.status, job.attempts, job.error) == ("done", 2, None)
    with any_factory() as s:
        assert s.scalar(select(func.count()).select_from(Result)) == 1


def test_the_in_process_engine_recovers_stale_jobs_by_itself(factory, add_version, store):
    """Another web process died mid-job: this one's periodic recovery takes the job over."""
    job_id = submit(factory, add_version("clean"))
    set_job(factory, job_id, status="running", attempts=1, started_at=utcnow() - timedelta(seconds=5))
    dispatcher = InProcessDispatcher(factory, store, recover_every=0.1, stale_seconds=2)
    try:
        deadline = time.monotonic() + 30
        while job_row(factory, job_id).status != "done" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert dispatcher.wait_idle(30)
    finally:
        dispatcher.close()
    job = job_row(factory, job_id)
    assert (job.status, job.attempts) == ("done", 2)


def test_sweep_redispatches_every_queued_job(factory, add_version, store):
    """The broker lost its messages: the rows are still there."""
    names = ("sdk_no_consent", "clean", "bad_truncated", "tls_trust_all")
    ids = [submit(factory, add_version(n)) for n in names]
    set_job(factory, ids[3], status="running", attempts=1, started_at=utcnow())
    recorder = Recorder()
    with factory() as s:
        assert sweep(s, recorder) == ids[:3]
    assert recorder.sent == ids[:3]

    dispatcher = InProcessDispatcher(factory, store)
    try:
        with factory() as s:
            sweep(s, dispatcher)
        assert dispatcher.wait_idle(60)
    finally:
        dispatcher.close()
    assert [job_row(factory, i).status for i in ids] == ["done", "done", "failed", "running"]
    with factory() as s:
        assert sweep(s, Recorder()) == []


def test_in_process_engine_retries_after_a_transient_error(factory, add_version, store, monkeypatch):
    job_id = submit(factory, add_version("clean"))
    real, calls = scanning.scan_apk, []

    def flaky(*a, **kw):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("store briefly unreachable")
        return real(*a, **kw)

    monkeypatch.setattr(scanning, "scan_apk", flaky)
    dispatcher = InProcessDispatcher(factory, store, retry_delay=0.05)
    try:
        dispatcher.dispatch(job_id)
        assert dispatcher.wait_idle(60)
    finally:
        dispatcher.close()
    job = job_row(factory, job_id)
    assert (job.status, job.attempts, len(calls)) == ("done", 2, 2)


def test_database_errors_release_the_job(factory, add_version, store, monkeypatch):
    """A database error while storing the result: the job goes back to queued, the error goes up
    (the Celery task retries it with back-off)."""
    from sqlalchemy.exc import OperationalError

    job_id = submit(factory, add_version("clean"))

    def db_down(*_a, **_kw):
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(tasks, "_finish_done", db_down)
    try:
        run_job(factory, job_id=job_id, store=store, isolate=False)
    except OperationalError:
        pass
    else:
        raise AssertionError("the database error should propagate")
    job = job_row(factory, job_id)
    assert (job.status, job.attempts) == ("queued", 1)
    monkeypatch.undo()
    assert run_job(factory, job_id=job_id, store=store, isolate=False) == "done"


def _recovery_threads() -> list:
    import threading

    return [t for t in threading.enumerate() if t.name == "hegui-job-recovery"]


def test_an_app_that_never_runs_leaves_no_recovery_thread(tmp_path):
    """Building the app starts nothing; its lifespan starts the periodic recovery and stops it."""
    from fastapi.testclient import TestClient

    from hegui.service.app import create_app
    from hegui.service.config import Settings

    before = set(_recovery_threads())
    app = create_app(Settings(data_dir=tmp_path))
    assert set(_recovery_threads()) == before
    with TestClient(app) as client:
        assert client.get("/api/v1/health").status_code == 200
        assert len(set(_recovery_threads()) - before) == 1
    app.state.dispatcher._recovery.join(5)
    assert set(_recovery_threads()) == before


def test_a_closed_dispatcher_does_not_start_its_recovery(factory, store):
    dispatcher = InProcessDispatcher(factory, store, recover_every=0.1, autostart=False)
    dispatcher.close()
    dispatcher.start()
    assert not dispatcher._recovery.is_alive()
    started = InProcessDispatcher(factory, store, recover_every=0.1)
    started.start()  # a second start is a no-op
    started.close()
    assert not started._recovery.is_alive()
