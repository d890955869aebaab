"""Analysis jobs: idempotent by version (the pair APK sha256, policy sha256), crash-safe,
in-process by default, Celery when configured.

A submission is a ``job`` row first (:func:`enqueue`, committed by the caller), then a message
(``Dispatcher.dispatch(job_id)``). Losing the message loses nothing: :func:`sweep` re-dispatches
every ``queued`` job. :func:`run_job` is the one body both engines run:

1. **claim** (one transaction): ``UPDATE job SET status='running', attempts=attempts+1 WHERE
   id=? AND status='queued'``; only the worker whose update hits the row goes on. The version row
   is locked first (``SELECT ... FOR UPDATE`` on PostgreSQL, SQLite serialises writers anyway), so
   the checks "already has a Result" (→ done, no work) and "another job is analysing the same
   APK" (→ deferred, retried later) cannot race.
2. **scan** outside any transaction, in a child process with a time limit
   (:mod:`hegui.service.scanning` over :func:`hegui.batch.scan_many`: a crash or hang in analysis
   code cannot take the worker down). A version uploaded with a privacy policy is scanned against
   it (the stored policy file, analysed in the same child).
3. **finish** (one transaction): the job update is fenced by ``(status='running', attempts=N)``, so
   a worker whose job was meanwhile recovered and re-claimed cannot write; the Result is inserted
   in the same transaction (``result.version_id`` is unique: never two Results for one APK).

A bad APK (``ApkError`` / ``HeguiError``, a time-out) is a result: the job ends ``failed`` with the
one-line error. Anything else (a crash, the store, the database) puts the job back to ``queued``
for a retry, until ``max_attempts`` claims (then ``failed``). A worker killed mid-job leaves it
``running``: :func:`recover_stale` re-queues jobs running longer than the job time limit.

The in-process engine (a thread pool in the web process) is in :mod:`hegui.service.dispatch`,
Celery workers in :mod:`hegui.service.worker`. Campaigns (many jobs under one name, their
progress) are in :mod:`hegui.service.campaigns`.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import exists, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from hegui import __version__
from hegui.service import scanning
from hegui.service.config import DEFAULT_JOB_TIMEOUT, DEFAULT_MAX_ATTEMPTS, STALE_GRACE
from hegui.service.db.models import App, Campaign, Job, Result, Version, utcnow
from hegui.service.db.session import transaction

log = logging.getLogger(__name__)

# the defaults of HEGUI_JOB_TIMEOUT, the grace before a running job counts as lost, HEGUI_JOB_MAX_ATTEMPTS
JOB_TIME_LIMIT = DEFAULT_JOB_TIMEOUT
MAX_ATTEMPTS = DEFAULT_MAX_ATTEMPTS
LIVE = ("queued", "running")
# Outcomes of run_job besides the job states done / failed / queued (= will be retried):
DEFERRED = "deferred"  # another job is analysing the same APK right now; dispatch again later
SKIPPED = "skipped"  # not claimable (already claimed, finished, or gone): nothing done
# Test-only hook: seconds run_job sleeps after the claim, so tests can kill a worker mid-job.
TEST_SLOW_ENV = "HEGUI_TEST_SLOW_JOB_SECONDS"
_RETRY_KINDS = ("internal", "crash")  # scan errors that are not the APK's fault


class Store(Protocol):
    def path(self, sha256: str) -> Path: ...


class Dispatcher(Protocol):
    def dispatch(self, job_id: int) -> None: ...


def stale_after(timeout: float = JOB_TIME_LIMIT) -> timedelta:
    """How long a job may stay ``running`` before its worker counts as lost."""
    return timedelta(seconds=timeout + STALE_GRACE)


def _seconds(value: float | timedelta) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


# -- submission -----------------------------------------------------------------------------------


def enqueue(session: Session, *, version_id: int, campaign_id: int | None = None) -> Job:
    """The job analysing this version: an existing one when the version already has a Result or a
    queued/running job (no new work), else a new ``queued`` job. The caller commits, then calls
    ``dispatch(job.id)`` if ``job.status == "queued"``.

    With ``campaign_id`` the returned job belongs to that campaign (its progress counts jobs): an
    unowned live job is adopted, an already analysed version gets a ``done`` job with 0 attempts
    (skipped: counts as done, nothing is analysed again). A version live in another campaign gets a
    second job: it defers while the other runs, then finds the Result (one analysis). A version whose
    APK could not be analysed at all (a failed job of an ``APK_ERROR_KINDS`` kind) gets that answer
    again, as a failed job with no new work."""
    from hegui.service.crud._common import lock_for_write

    lock_for_write(session)  # SQLite: two enqueues of one version must not both see "no job"
    version = session.scalar(select(Version).where(Version.id == version_id).with_for_update())
    if version is None:
        raise LookupError(f"no version {version_id}")
    jobs = select(Job).where(Job.version_id == version_id).order_by(Job.id.desc())
    analysed = session.scalar(select(exists().where(Result.version_id == version_id)))
    live = session.scalars(jobs.where(Job.status.in_(LIVE))).first()
    refused = None if analysed or live else _unanalysable(session, jobs)
    if campaign_id is not None:
        own = session.scalars(jobs.where(Job.campaign_id == campaign_id)).first()
        if own is not None:
            return own
        if live is not None and live.campaign_id is None and not analysed:
            live.campaign_id = campaign_id
            return live
    elif analysed:
        done = session.scalars(jobs.where(Job.status == "done")).first()
        if done is not None:
            return done
    elif live is not None:
        return live
    elif refused is not None:
        return refused
    now = utcnow()
    job = Job(version_id=version_id, campaign_id=campaign_id, status="queued", attempts=0, created_at=now)
    if analysed:
        job.status, job.finished_at = "done", now
    elif refused is not None:  # the APK itself cannot be analysed: the same answer, no new work
        job.status, job.finished_at, job.error = "failed", now, refused.error
    session.add(job)
    session.flush()
    return job


# error kinds of the APK itself (hegui.errors.ApkError): analysing the same bytes again gives the same
APK_ERROR_KINDS = frozenset({"not_apk", "corrupt", "zip_bomb", "too_large", "unsupported"})


def _unanalysable(session: Session, jobs: Any) -> Job | None:
    """The latest failed job of these that failed because of the APK itself (not a crash or time-out)."""
    for job in session.scalars(jobs.where(Job.status == "failed")):
        if job.error and job.error.split(":", 1)[0] in APK_ERROR_KINDS and "attempts)" not in job.error:
            return job
    return None


def dispatch_queued(
    session: Session,
    dispatcher: Dispatcher,
    *,
    campaign_id: int | None = None,
    older_than: float | timedelta | None = None,
) -> list[int]:
    """Dispatch every ``queued`` job (of one campaign; created before ``older_than`` ago)."""
    query = select(Job.id).where(Job.status == "queued").order_by(Job.id)
    if campaign_id is not None:
        query = query.where(Job.campaign_id == campaign_id)
    if older_than is not None:
        query = query.where(Job.created_at < utcnow() - _seconds(older_than))
    ids = list(session.scalars(query))
    for job_id in ids:
        dispatcher.dispatch(job_id)
    return ids


def sweep(
    session: Session, dispatcher: Dispatcher, *, older_than: float | timedelta | None = None
) -> list[int]:
    """Re-dispatch every ``queued`` job, after a broker or database restart (a job is a row first,
    so a lost message loses nothing). Harmless when a message still exists: the claim runs once."""
    return dispatch_queued(session, dispatcher, older_than=older_than)


def recover_stale(
    session: Session, *, older_than: float | timedelta, max_attempts: int = MAX_ATTEMPTS
) -> list[int]:
    """Jobs ``running`` for longer than ``older_than`` lost their worker (killed, machine gone): put
    them back to ``queued`` (or ``failed`` once ``max_attempts`` claims were used, so an APK that
    kills every worker cannot loop). Returns the re-queued ids; the caller commits and dispatches
    them. Run it at worker start-up and periodically (``worker.py`` does both)."""
    cutoff = utcnow() - _seconds(older_than)
    stale = session.execute(
        select(Job.id, Job.attempts)
        .where(Job.status == "running", Job.started_at < cutoff)
        .order_by(Job.id)
        .with_for_update(skip_locked=True)
    ).all()
    requeued: list[int] = []
    for job_id, attempts in stale:
        lost = f"internal: the worker analysing it was lost (killed or stopped) on attempt {attempts}"
        values: dict[str, Any] = {"status": "queued", "error": lost}
        if attempts >= max_attempts:
            values = {"status": "failed", "error": f"{lost} of {max_attempts}", "finished_at": utcnow()}
        hit = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running", Job.attempts == attempts)
            .values(**values)
        )
        if hit.rowcount == 1 and values["status"] == "queued":
            requeued.append(job_id)
        elif hit.rowcount == 1:
            _close_campaign(session, job_id)
    return requeued


# -- running --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claim:
    attempt: int
    version_id: int
    sha256: str
    app_type: str | None
    policy_sha256: str | None = None
    policy_name: str = ""


def run_job(
    factory: sessionmaker[Session],
    *,
    job_id: int,
    store: Store,
    hegui_options: Any = None,
    timeout: float | None = JOB_TIME_LIMIT,
    isolate: bool = True,
    max_attempts: int = MAX_ATTEMPTS,
) -> str:
    """Run one job; returns ``done``, ``failed``, ``queued`` (released for a retry), ``deferred``
    or ``skipped``. ``hegui_options`` is a :class:`hegui.api.ScanOptions` (the app's ``app_type``
    replaces its own). ``isolate=False`` scans in this thread (tests; no crash isolation).
    Database errors propagate (the engine retries) after the job is released when possible."""
    claim = _claim(factory, job_id)
    if isinstance(claim, str):
        return claim
    try:
        _test_pause()
        path = Path(store.path(claim.sha256))
        if not path.is_file():
            raise FileNotFoundError(f"the stored APK {claim.sha256} is missing from the store")
        options = scanning.options_for(hegui_options, claim.app_type)
        policy = scanning.stored_policy(store, claim.policy_sha256, claim.policy_name)
        report, error = scanning.scan_apk(path, options, timeout, isolate, policy=policy)
    except Exception as exc:
        log.warning("job %s attempt %s: %s", job_id, claim.attempt, exc)
        return _release(factory, job_id, claim, f"internal: {type(exc).__name__}: {exc}", max_attempts)
    try:
        if report is not None:
            return _finish_done(factory, job_id, claim, report)
        assert error is not None
        if error[0] in _RETRY_KINDS:
            return _release(factory, job_id, claim, f"{error[0]}: {error[1]}", max_attempts)
        return _finish(factory, job_id, claim, "failed", f"{error[0]}: {error[1]}")
    except DBAPIError:
        _release_quietly(factory, job_id, claim)
        raise


class _Deferred(Exception):
    """Rolls the claim back: another job of the same APK is running."""


def _claim(factory: sessionmaker[Session], job_id: int) -> _Claim | str:
    """Claim the job. The claiming UPDATE comes first so that the checks after it run under the
    write lock (SQLite) or after the version row lock (PostgreSQL): they cannot race."""
    try:
        with transaction(factory) as s:
            row = s.execute(select(Job.version_id, Job.status).where(Job.id == job_id)).first()
            if row is None or row.status != "queued":
                return SKIPPED
            version = s.execute(
                select(Version.sha256, Version.policy_sha256, Version.policy_file_name, App.app_type)
                .join(App, App.id == Version.app_id)
                .where(Version.id == row.version_id)
                .with_for_update(of=Version)
            ).one()
            hit = s.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == "queued")
                .values(status="running", attempts=Job.attempts + 1, started_at=utcnow(), error=None)
            )
            if hit.rowcount != 1:
                return SKIPPED
            if s.scalar(select(exists().where(Result.version_id == row.version_id))):
                done = {"status": "done", "attempts": Job.attempts - 1, "finished_at": utcnow()}
                s.execute(update(Job).where(Job.id == job_id).values(**done))
                _close_campaign(s, job_id)
                return "done"  # analysed already (by another job): nothing to do
            busy = exists().where(Job.version_id == row.version_id, Job.id != job_id, Job.status == "running")
            if s.scalar(select(busy)):
                raise _Deferred
            attempt = s.scalar(select(Job.attempts).where(Job.id == job_id))
            return _Claim(
                attempt,
                row.version_id,
                version.sha256,
                version.app_type,
                version.policy_sha256,
                version.policy_file_name or "",
            )
    except _Deferred:
        return DEFERRED


def _fenced(job_id: int, claim: _Claim) -> tuple[Any, ...]:
    return (Job.id == job_id, Job.status == "running", Job.attempts == claim.attempt)


def _finish_done(factory: sessionmaker[Session], job_id: int, claim: _Claim, report: dict[str, Any]) -> str:
    try:
        with transaction(factory) as s:
            hit = s.execute(
                update(Job).where(*_fenced(job_id, claim)).values(status="done", finished_at=utcnow())
            )
            if hit.rowcount != 1:
                return SKIPPED  # the job was recovered and claimed again meanwhile: its result wins
            if not s.scalar(select(exists().where(Result.version_id == claim.version_id))):
                status = str(report.get("verdict", {}).get("status", "needs-review"))
                result = Result(
                    version_id=claim.version_id, verdict=status, report=report, hegui_version=__version__
                )
                s.add(result)
                s.flush()
                # a result for an app with open rectification cases is their re-test
                from hegui.service.crud.cases import retest_from_result

                retest_from_result(s, result=result)
            _close_campaign(s, job_id)
        return "done"
    except IntegrityError:  # another job stored this APK's Result at the same moment: that is ours
        return _finish(factory, job_id, claim, "done", None)


def _finish(
    factory: sessionmaker[Session], job_id: int, claim: _Claim, status: str, error: str | None
) -> str:
    with transaction(factory) as s:
        values = {"status": status, "error": error, "finished_at": utcnow()}
        if s.execute(update(Job).where(*_fenced(job_id, claim)).values(**values)).rowcount != 1:
            return SKIPPED
        _close_campaign(s, job_id)
    return status


def _release(
    factory: sessionmaker[Session], job_id: int, claim: _Claim, error: str, max_attempts: int
) -> str:
    if claim.attempt >= max_attempts:
        return _finish(factory, job_id, claim, "failed", f"{error} (after {claim.attempt} attempts)")
    with transaction(factory) as s:
        hit = s.execute(update(Job).where(*_fenced(job_id, claim)).values(status="queued", error=error))
    return "queued" if hit.rowcount == 1 else SKIPPED


def _release_quietly(factory: sessionmaker[Session], job_id: int, claim: _Claim) -> None:
    """Best effort after a database error; if the database is down, recover_stale does it later."""
    try:
        with transaction(factory) as s:
            s.execute(
                update(Job)
                .where(*_fenced(job_id, claim))
                .values(status="queued", error="internal: database error")
            )
    except DBAPIError:
        log.warning("job %s stays running until recovered: the database is unreachable", job_id)


def _close_campaign(s: Session, job_id: int) -> None:
    """Set the campaign's ``finished_at`` when this job was its last live one (the campaign row is
    locked, so two last jobs finishing together cannot both miss it)."""
    campaign_id = s.scalar(select(Job.campaign_id).where(Job.id == job_id))
    if campaign_id is None:
        return
    s.execute(select(Campaign.id).where(Campaign.id == campaign_id).with_for_update())
    if not s.scalar(select(exists().where(Job.campaign_id == campaign_id, Job.status.in_(LIVE)))):
        s.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id, Campaign.finished_at.is_(None))
            .values(finished_at=utcnow())
        )


def _test_pause() -> None:
    seconds = os.environ.get(TEST_SLOW_ENV)
    if seconds:
        time.sleep(float(seconds))


def __getattr__(name: str) -> Any:
    """``InProcessDispatcher`` moved to :mod:`hegui.service.dispatch`; the old import keeps working."""
    if name == "InProcessDispatcher":
        from hegui.service.dispatch import InProcessDispatcher

        return InProcessDispatcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
