"""Removals (下架): an app taken down by a regulator's decision, until the removal is lifted."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service.crud import audit
from hegui.service.crud._common import get_or_404, mark_lifted, require_text
from hegui.service.db.models import App, RectificationCase, Removal, utcnow
from hegui.service.errors import StateError


def active_removal(session: Session, *, app_id: int) -> Removal | None:
    q = (
        select(Removal)
        .where(Removal.app_id == app_id, Removal.lifted_at.is_(None))
        .order_by(Removal.id.desc())
        .limit(1)
    )
    return session.scalar(q)


def remove_app(
    session: Session, *, app_id: int, reason: str, actor_id: int | None, today: date | None = None
) -> Removal:
    """Take the app down. Its open rectification cases already past their deadline on ``today``
    (default: the server's date) are closed as ``failed``: the removal is their outcome."""
    reason = require_text(reason, "reason")
    app = get_or_404(session, App, app_id, "app")
    if active_removal(session, app_id=app_id) is not None:
        raise StateError(
            f"{app.package} is already removed; lift that removal first if it must be re-decided",
            zh=f"{app.package} 已处于下架状态；如需重新决定，请先解除该下架。",
        )
    removal = Removal(app_id=app_id, reason=reason, decided_by=actor_id)
    session.add(removal)
    day = today or date.today()
    failed = list(
        session.scalars(
            select(RectificationCase).where(
                RectificationCase.app_id == app_id,
                RectificationCase.status == "open",
                RectificationCase.deadline < day,
            )
        )
    )
    now = utcnow()
    for case in failed:
        case.status = "failed"
        case.closed_at = now
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="removal.create",
        target_type="app",
        target_id=app_id,
        reason=reason,
        data={"removal_id": removal.id, "failed_cases": [c.id for c in failed]},
    )
    for case in failed:
        audit.record(
            session,
            actor_id=actor_id,
            action="case.close",
            target_type="rectification_case",
            target_id=case.id,
            reason=f"deadline {case.deadline.isoformat()} passed without a passing re-test; app removed",
            data={"status": "failed", "removal_id": removal.id},
        )
    return removal


def lift_removal(session: Session, *, app_id: int, reason: str, actor_id: int) -> Removal:
    """Put the app back (``StateError`` if it is not removed)."""
    reason = require_text(reason, "reason")
    app = get_or_404(session, App, app_id, "app")
    removal = active_removal(session, app_id=app_id)
    if removal is None:
        raise StateError(
            f"{app.package} is not removed; nothing to lift", zh=f"{app.package} 未下架，无需解除。"
        )
    mark_lifted(removal, actor_id=actor_id, reason=reason)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="removal.lift",
        target_type="app",
        target_id=app_id,
        reason=reason,
        data={"removal_id": removal.id},
    )
    return removal


def list_removals(session: Session, *, active_only: bool = False) -> list[Removal]:
    q = select(Removal)
    if active_only:
        q = q.where(Removal.lifted_at.is_(None))
    return list(session.scalars(q.order_by(Removal.id)))
