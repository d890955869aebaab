"""A real Celery worker against the local Redis: jobs submitted, a worker SIGKILLed mid-job.

Each test run uses its own Redis key prefix and queue name in Redis database 13 (the broker keys
are prefixed with ``HEGUI_REDIS_KEY_PREFIX``; results are not stored in Redis) and deletes exactly
those keys afterwards. The workers share a temporary SQLite database and store with the test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hegui.service.config import Settings
from hegui.service.db.models import Job, Result
from hegui.service.db.session import transaction
from hegui.service.tasks import TEST_SLOW_ENV, enqueue
from hegui.service.worker import CeleryDispatcher, WorkerOptions, make_celery

pytestmark = pytest.mark.redis
REDIS_DB = 13
CELERY = str(Path(sys.executable).with_name("celery"))


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Cluster:
    tmp: Path
    env: dict[str, str]
    queue: str
    prefix: str
    broker: str
    workers: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def start_worker(self, pool: str = "solo", **extra: str) -> subprocess.Popen:
        n = len(self.workers)
        log = self.tmp / f"worker-{n}.log"
        env = {**self.env, **extra}
        proc = subprocess.Popen(
            [CELERY, "-A", "hegui.service.worker:celery_app", "worker", f"--pool={pool}", "-c", "2", "-Q", self.queue,
             "--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"w{n}-{self.queue}@localhost"],
            env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.workers.append(proc)
        self.logs.append(log)
        deadline = time.monotonic() + 30
        while b" ready." not in log.read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker {n} did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL the worker and everything it started (as when its machine dies)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.kill(proc)

    def log_text(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}" for p in self.logs)


@pytest.fixture
def cluster(tmp_path: Path, factory, sqlite_url: str) -> Iterator[Cluster]:
    if not redis_reachable():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    import redis

    run = uuid.uuid4().hex[:10]
    prefix, queue = f"hegui-test-{run}:", f"hegui-test-{run}"
    broker = f"redis://127.0.0.1:6379/{REDIS_DB}"
    env = {
        **os.environ,
        "HEGUI_BROKER_URL": broker,
        "HEGUI_DATABASE_URL": sqlite_url,
        "HEGUI_STORE_DIR": str(tmp_path / "store"),
        "HEGUI_CELERY_QUEUE": queue,
        "HEGUI_REDIS_KEY_PREFIX": prefix,
        "HEGUI_MAINTENANCE_INTERVAL": "1",
    }
    env.pop(TEST_SLOW_ENV, None)
    c = Cluster(tmp_path, env, queue, prefix, broker)
    try:
        yield c
    finally:
        c.stop_all()
        client = redis.Redis.from_url(broker)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def submit_all(cluster: Cluster, factory, version_ids: list[int]) -> list[int]:
    settings = Settings(broker_url=cluster.broker)
    app = make_celery(settings, WorkerOptions(queue=cluster.queue, key_prefix=cluster.prefix))
    with transaction(factory) as s:
        ids = [enqueue(s, version_id=v).id for v in version_ids]
    dispatcher = CeleryDispatcher(app)
    for job_id in ids:
        dispatcher.dispatch(job_id)
    return ids


def statuses(factory, ids: list[int]) -> dict[int, str]:
    with factory() as s:
        return dict(s.execute(select(Job.id, Job.status).where(Job.id.in_(ids))).all())


def wait_for(predicate, seconds: float, cluster: Cluster, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not {what} after {seconds} s\n{cluster.log_text()}")
        time.sleep(0.2)


@pytest.mark.parametrize("pool", ["solo", "prefork"])
def test_a_celery_worker_runs_submitted_jobs(cluster, factory, add_version, pool):
    """solo: each scan in a child process; prefork: in the (disposable) pool child."""
    add = add_version
    names = ("sdk_no_consent", "clean", "bad_truncated")
    versions = [add(n) for n in names]
    cluster.start_worker(pool)
    started = time.monotonic()
    ids = submit_all(cluster, factory, versions)
    wait_for(lambda: set(statuses(factory, ids).values()) <= {"done", "failed"}, 60, cluster, "finished")
    elapsed = time.monotonic() - started
    with factory() as s:
        jobs = {j.id: j for j in s.scalars(select(Job).where(Job.id.in_(ids)))}
        verdicts = dict(s.execute(select(Result.version_id, Result.verdict)).all())
    assert [jobs[i].status for i in ids] == ["done", "done", "failed"]
    assert jobs[ids[2]].error.startswith("corrupt: ")
    assert verdicts == {versions[0]: "fail", versions[1]: "pass"}
    assert all(j.attempts == 1 for j in jobs.values())
    print(f"3 jobs through a Celery worker ({pool}) in {elapsed:.1f} s")


def test_a_worker_killed_mid_job_loses_nothing(cluster, factory, add_version):
    add = add_version
    versions = [add(n) for n in ("sdk_no_consent", "clean", "pi_location")]
    # worker 1 is slow (test-only hook) so that it is surely mid-job when it is killed
    first = cluster.start_worker(**{TEST_SLOW_ENV: "3", "HEGUI_JOB_STALE_AFTER": "60"})
    started = time.monotonic()
    ids = submit_all(cluster, factory, versions)
    wait_for(lambda: "running" in statuses(factory, ids).values(), 30, cluster, "running")
    cluster.kill(first)
    at_kill = statuses(factory, ids)
    assert sorted(at_kill.values()) == ["queued", "queued", "running"]
    killed = next(i for i, st in at_kill.items() if st == "running")

    # worker 2 takes the queued messages; its maintenance re-queues the killed job once it has
    # been running longer than the (here short) stale limit and dispatches it again
    cluster.start_worker(HEGUI_JOB_STALE_AFTER="4")
    wait_for(lambda: set(statuses(factory, ids).values()) == {"done"}, 60, cluster, "all done")
    elapsed = time.monotonic() - started
    with factory() as s:
        jobs = {j.id: j for j in s.scalars(select(Job).where(Job.id.in_(ids)))}
        per_version = dict(
            s.execute(select(Result.version_id, func.count()).group_by(Result.version_id)).all()
        )
        n_jobs = s.scalar(select(func.count()).select_from(Job))
    assert per_version == {v: 1 for v in versions}  # no lost and no duplicate result
    assert n_jobs == 3
    assert jobs[killed].attempts == 2
    assert all(jobs[i].attempts == 1 for i in ids if i != killed)
    print(f"kill test: 3 jobs done exactly once in {elapsed:.1f} s, job {killed} recovered")


def test_jobs_whose_messages_were_lost_are_swept(cluster, factory, add_version):
    """Redis restarted empty (it keeps nothing on disk here): the job rows are still ``queued``
    and the worker's start-up maintenance, finding the queue empty, dispatches them again."""
    versions = [add_version(n) for n in ("sdk_no_consent", "clean")]
    with transaction(factory) as s:
        jobs = [enqueue(s, version_id=v) for v in versions]
        for job in jobs:  # submitted a while ago; the messages never reached a worker
            job.created_at = job.created_at - timedelta(minutes=5)
        ids = [j.id for j in jobs]
    started = time.monotonic()
    cluster.start_worker()
    wait_for(lambda: set(statuses(factory, ids).values()) == {"done"}, 60, cluster, "all done")
    assert "re-dispatched [1, 2]" in cluster.log_text()
    print(f"2 lost submissions swept and done in {time.monotonic() - started:.1f} s")
