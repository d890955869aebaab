"""The append-only audit log: who decided what, about which object, and why.

``record`` is the only writer. The ORM refuses to update or delete an ``AuditLog`` row (a
``before_flush`` hook on every session raises ``StateError``); the tests also watch the SQL sent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from hegui.service.db.models import AuditLog
from hegui.service.errors import StateError


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: int | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit row (``actor_id`` None: the system decided, e.g. the strike rule)."""
    row = AuditLog(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason or "",
        data=_jsonable(data or {}),
    )
    session.add(row)
    session.flush()
    return row


def list_for(
    session: Session, *, target_type: str | None = None, target_id: int | None = None, limit: int = 100
) -> list[AuditLog]:
    """Audit rows, newest first, optionally for one type of target or one target."""
    q = select(AuditLog)
    if target_type is not None:
        q = q.where(AuditLog.target_type == target_type)
    if target_id is not None:
        q = q.where(AuditLog.target_id == target_id)
    return list(session.scalars(q.order_by(AuditLog.id.desc()).limit(limit)))


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _ctx: object, _instances: object) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditLog):
            raise StateError("the audit log is append-only: a row cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditLog) and session.is_modified(obj):
            raise StateError("the audit log is append-only: a row cannot be changed; record a new one")
