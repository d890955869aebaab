"""The in-process engine end to end, idempotency by sha256 and claims that cannot race."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, update

from hegui import __version__
from hegui.service import scanning
from hegui.service.db.models import Job, Result, Version
from hegui.service.db.session import transaction
from hegui.service.dispatch import InProcessDispatcher
from hegui.service.tasks import DEFERRED, SKIPPED, enqueue, run_job


def submit(factory, version_id: int, campaign_id: int | None = None) -> int:
    with transaction(factory) as s:
        return enqueue(s, version_id=version_id, campaign_id=campaign_id).id


def job_row(factory, job_id: int) -> Job:
    with factory() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def count(factory, model, *where) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def scans(monkeypatch):
    """Counts the scans run_job starts (the real scan still runs)."""
    calls: list[str] = []
    real = scanning.scan_apk

    def counting(path, *a, **kw):
        calls.append(path.name)
        return real(path, *a, **kw)

    monkeypatch.setattr(scanning, "scan_apk", counting)
    return calls


def test_in_process_end_to_end(any_factory, any_add_version, store):
    """Three fixture APKs through the thread pool, each scanned in a child process."""
    versions = {name: any_add_version(name) for name in ("sdk_no_consent", "clean", "bad_truncated")}
    jobs = {name: submit(any_factory, vid) for name, vid in versions.items()}
    dispatcher = InProcessDispatcher(any_factory, store, max_workers=2)
    started = time.monotonic()
    try:
        for job_id in jobs.values():
            dispatcher.dispatch(job_id)
        assert dispatcher.wait_idle(60)
    finally:
        dispatcher.close()
    elapsed = time.monotonic() - started
    assert elapsed < 60

    done = {name: job_row(any_factory, job_id) for name, job_id in jobs.items()}
    assert done["sdk_no_consent"].status == "done"
    assert done["clean"].status == "done"
    assert done["bad_truncated"].status == "failed"
    assert done["bad_truncated"].error.startswith("corrupt: ")
    assert "damaged zip" in done["bad_truncated"].error and "\n" not in done["bad_truncated"].error
    assert all(j.attempts == 1 and j.finished_at is not None for j in done.values())
    with any_factory() as s:
        results = {r.version_id: r for r in s.scalars(select(Result))}
    assert set(results) == {versions["sdk_no_consent"], versions["clean"]}
    fail, ok = results[versions["sdk_no_consent"]], results[versions["clean"]]
    assert (fail.verdict, ok.verdict) == ("fail", "pass")
    assert fail.report["verdict"]["status"] == "fail" and fail.report["findings"]
    assert fail.hegui_version == __version__
    assert any(f["rule_id"] == "HG-SDK-001" for f in fail.report["findings"])


def test_enqueue_is_idempotent_by_version(factory, add_version, store):
    vid = add_version("clean")
    first, second = submit(factory, vid), submit(factory, vid)
    assert first == second and count(factory, Job) == 1
    assert run_job(factory, job_id=first, store=store, isolate=False) == "done"
    assert submit(factory, vid) == first  # analysed: the done job, no new work
    assert count(factory, Job) == 1


def test_run_job_twice_gives_one_result(factory, add_version, store, scans):
    vid = add_version("sdk_no_consent")
    job_id = submit(factory, vid)
    assert run_job(factory, job_id=job_id, store=store, isolate=False) == "done"
    assert run_job(factory, job_id=job_id, store=store, isolate=False) == SKIPPED
    # a second job for the same APK (e.g. two uploads racing past enqueue) does no work
    with transaction(factory) as s:
        s.add(Job(version_id=vid, status="queued"))
    with factory() as s:
        other = s.scalar(select(Job.id).where(Job.id != job_id))
    assert run_job(factory, job_id=other, store=store, isolate=False) == "done"
    assert job_row(factory, other).attempts == 0
    assert count(factory, Result) == 1 and len(scans) == 1


def race(n: int, target) -> list[str]:
    barrier = threading.Barrier(n)
    out: list[str] = []
    lock = threading.Lock()

    def go(i: int) -> None:
        barrier.wait()
        status = target(i)
        with lock:
            out.append(status)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def test_racing_claims_run_once(any_factory, any_add_version, store, scans):
    """Eight workers handed the same job at the same moment: one claims and scans."""
    job_id = submit(any_factory, any_add_version("clean"))
    statuses = race(8, lambda _i: run_job(any_factory, job_id=job_id, store=store, isolate=False))
    assert sorted(statuses) == ["done"] + [SKIPPED] * 7
    assert len(scans) == 1 and count(any_factory, Result) == 1
    assert job_row(any_factory, job_id).attempts == 1


def test_two_jobs_of_one_apk_are_analysed_once(any_factory, any_add_version, store, scans, monkeypatch):
    """Two live jobs of one version (two campaigns): the second defers while the first runs."""
    vid = any_add_version("clean")
    with transaction(any_factory) as s:
        ids = [enqueue(s, version_id=vid).id]
        s.add(j := Job(version_id=vid, status="queued"))
        s.flush()
        ids.append(j.id)
    slow = scanning.scan_apk

    def slow_scan(*a, **kw):
        time.sleep(0.5)  # keep the first job running while the second tries
        return slow(*a, **kw)

    monkeypatch.setattr(scanning, "scan_apk", slow_scan)
    statuses = race(2, lambda i: run_job(any_factory, job_id=ids[i], store=store, isolate=False))
    assert sorted(statuses) in ([DEFERRED, "done"], ["done", "done"])
    for job_id in ids:  # the deferred one, dispatched again later, finds the Result
        run_job(any_factory, job_id=job_id, store=store, isolate=False)
    assert [job_row(any_factory, i).status for i in ids] == ["done", "done"]
    assert len(scans) == 1 and count(any_factory, Result) == 1


def test_bad_apk_fails_without_retry(factory, add_version, store):
    job_id = submit(factory, add_version("bad_truncated"))
    assert run_job(factory, job_id=job_id, store=store) == "failed"  # isolated, as in production
    job = job_row(factory, job_id)
    assert job.attempts == 1 and job.error.startswith("corrupt: ")


def test_time_limit_kills_the_scan(factory, add_version, store):
    job_id = submit(factory, add_version("sdk_no_consent"))
    assert run_job(factory, job_id=job_id, store=store, timeout=0.01) == "failed"
    assert job_row(factory, job_id).error.startswith("timeout: analysis took longer than 0.01 s")


def test_a_daemonic_process_scans_in_process_under_a_time_limit(factory, add_version, store, monkeypatch):
    """A Celery prefork pool child may not start processes: it scans itself, with SIGALRM."""
    import multiprocessing

    import hegui.batch

    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)
    ok = submit(factory, add_version("clean"))
    assert run_job(factory, job_id=ok, store=store) == "done"
    monkeypatch.setattr(hegui.batch, "scan_to_dict", lambda *_a: time.sleep(30))  # a hanging scan
    slow = submit(factory, add_version("sdk_no_consent"))
    started = time.monotonic()
    assert run_job(factory, job_id=slow, store=store, timeout=0.3) == "failed"
    assert time.monotonic() - started < 5
    assert job_row(factory, slow).error.startswith("timeout: analysis took longer than 0.3 s")


def test_app_type_comes_from_the_app(factory, add_version, store):
    job_id = submit(factory, add_version("clean", app_type="map_navigation"))
    assert run_job(factory, job_id=job_id, store=store, isolate=False) == "done"
    with factory() as s:
        report = s.scalar(select(Result.report))
    assert report["facts"]["app_type"]["id"] == "map_navigation"
    assert report["facts"]["app_type"]["source"] == "given"


def test_other_errors_are_retried_then_fail(factory, add_version, store, monkeypatch):
    job_id = submit(factory, add_version("clean"))

    def broken(*_a, **_kw):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(scanning, "scan_apk", broken)
    assert run_job(factory, job_id=job_id, store=store, max_attempts=3) == "queued"
    assert run_job(factory, job_id=job_id, store=store, max_attempts=3) == "queued"
    assert job_row(factory, job_id).error == "internal: RuntimeError: disk on fire"
    assert run_job(factory, job_id=job_id, store=store, max_attempts=3) == "failed"
    job = job_row(factory, job_id)
    assert job.attempts == 3 and job.error.endswith("(after 3 attempts)")
    assert count(factory, Result) == 0


def test_a_missing_stored_apk_is_retried(factory, add_version, store):
    vid = add_version("clean")
    job_id = submit(factory, vid)
    with factory() as s:
        sha = s.get(Version, vid).sha256
    store.delete(sha)
    assert run_job(factory, job_id=job_id, store=store) == "queued"
    assert "missing from the store" in job_row(factory, job_id).error


def test_a_recovered_job_fences_out_the_old_worker(factory, add_version, store, monkeypatch):
    """Worker 1 is presumed dead (recovered) while still scanning; worker 2 claims and finishes.
    Worker 1's late write is refused: one Result, the job done by attempt 2."""
    job_id = submit(factory, add_version("clean"))
    real = scanning.scan_apk
    calls = []

    def scan_while_recovered(*a, **kw):
        calls.append(1)
        if len(calls) == 1:
            with transaction(factory) as s:  # what recover_stale does to a job it thinks was lost
                s.execute(update(Job).where(Job.id == job_id).values(status="queued"))
            assert run_job(factory, job_id=job_id, store=store, isolate=False) == "done"
        return real(*a, **kw)

    monkeypatch.setattr(scanning, "scan_apk", scan_while_recovered)
    assert run_job(factory, job_id=job_id, store=store, isolate=False) == SKIPPED
    job = job_row(factory, job_id)
    assert (job.status, job.attempts) == ("done", 2)
    assert count(factory, Result) == 1


def test_a_result_is_the_retest_of_open_rectification_cases(factory, add_version, store):
    """A notified app (open case) uploads a passing version: storing its result closes the case."""
    from datetime import date, timedelta

    from hegui.service import crud
    from hegui.service.db.models import RectificationCase

    failing = add_version("sdk_no_consent", package="com.example.notified")
    run_job(factory, job_id=submit(factory, failing), store=store)
    today = date.today()
    with transaction(factory) as s:
        version = s.get(Version, failing)
        notice = crud.notices.create_notice(
            s, title="第1批", deadline=today + timedelta(days=15), actor_id=None
        )
        crud.notices.add_entry(
            s, batch_id=notice.id, app_id=version.app_id, version_id=failing, problems={}, actor_id=None
        )
        crud.notices.publish_notice(s, batch_id=notice.id, actor_id=None, today=today, threshold=3)
    assert count(factory, RectificationCase, RectificationCase.status == "open") == 1
    fixed = add_version("clean", package="com.example.notified")
    assert run_job(factory, job_id=submit(factory, fixed), store=store) == "done"
    with factory() as s:
        case = s.scalars(select(RectificationCase)).one()
        assert (case.status, case.retest_version_id) == ("passed", fixed)
