"""Rectification cases: a notified app must pass a re-test by the notice's deadline.

A case is created ``open`` by ``notices.publish_notice``. A passing re-test of any version of the
app closes its open cases as ``passed`` (also after the deadline: late, but rectified); a failing
one is recorded and leaves them open. A removal (``removals.remove_app``) closes the cases already
past their deadline as ``failed``. An open case past its deadline blocks the app at the gate.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service.crud import audit, reviews
from hegui.service.crud._common import get_or_404
from hegui.service.db.models import VERDICTS, App, RectificationCase, Result, Version, utcnow
from hegui.service.errors import ConflictError, InvalidInputError


def open_cases(session: Session, *, app_id: int) -> list[RectificationCase]:
    q = (
        select(RectificationCase)
        .where(RectificationCase.app_id == app_id, RectificationCase.status == "open")
        .order_by(RectificationCase.deadline, RectificationCase.id)
    )
    return list(session.scalars(q))


def list_cases(session: Session, *, app_id: int | None = None) -> list[RectificationCase]:
    q = select(RectificationCase)
    if app_id is not None:
        q = q.where(RectificationCase.app_id == app_id)
    return list(session.scalars(q.order_by(RectificationCase.id)))


def record_retest(
    session: Session, *, app_id: int, version_id: int, verdict: str, actor_id: int | None = None
) -> list[RectificationCase]:
    """Record a re-test of the app with ``version_id``; a ``pass`` closes the app's open cases as
    passed. Returns the open cases the re-test concerned (closed or not)."""
    if verdict not in VERDICTS:
        raise InvalidInputError(f"unknown verdict {verdict!r}; use one of: {', '.join(VERDICTS)}")
    get_or_404(session, App, app_id, "app")
    version = get_or_404(session, Version, version_id, "version")
    if version.app_id != app_id:
        raise ConflictError(f"version {version_id} belongs to app {version.app_id}, not app {app_id}")
    cases = open_cases(session, app_id=app_id)
    now = utcnow()
    for case in cases:
        case.retest_version_id = version_id
        if verdict == "pass":
            case.status = "passed"
            case.closed_at = now
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="case.retest",
        target_type="app",
        target_id=app_id,
        data={"version_id": version_id, "verdict": verdict, "cases": [c.id for c in cases]},
    )
    if verdict == "pass":
        for case in cases:
            audit.record(
                session,
                actor_id=actor_id,
                action="case.close",
                target_type="rectification_case",
                target_id=case.id,
                reason=f"passing re-test of version {version_id}",
                data={"status": "passed", "version_id": version_id},
            )
    return cases


def retest_from_result(
    session: Session, *, result: Result, actor_id: int | None = None
) -> list[RectificationCase]:
    """When a result lands for an app with open cases, it is their re-test (effective verdict).
    Does nothing (and records nothing) when the app has no open case."""
    version = get_or_404(session, Version, result.version_id, "version")
    if not open_cases(session, app_id=version.app_id):
        return []
    verdict = reviews.effective_verdict(session, result=result)
    return record_retest(
        session, app_id=version.app_id, version_id=version.id, verdict=verdict, actor_id=actor_id
    )


def overdue(session: Session, *, today: date) -> list[RectificationCase]:
    """Open cases whose deadline (inclusive) is before ``today``: candidates for removal."""
    q = (
        select(RectificationCase)
        .where(RectificationCase.status == "open", RectificationCase.deadline < today)
        .order_by(RectificationCase.deadline, RectificationCase.id)
    )
    return list(session.scalars(q))
