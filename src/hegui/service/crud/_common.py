"""Helpers shared by the crud modules."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hegui.service.db.models import Base, utcnow
from hegui.service.errors import InvalidInputError, NotFoundError

M = TypeVar("M", bound=Base)


def get_or_404(session: Session, model: type[M], row_id: int, what: str) -> M:
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(
            f"no {what} with id {row_id}; check the id (list them to find it)",
            zh=f"未找到编号为 {row_id} 的记录。",
        )
    return row


def lock_for_write(session: Session) -> None:
    """Make this transaction hold SQLite's write lock before it reads what it is about to write.

    PostgreSQL needs nothing (row locks, unique indexes). The pysqlite driver begins a transaction
    only at the first INSERT/UPDATE/DELETE: reads before it see every commit, ``SELECT ... FOR
    UPDATE`` locks nothing, and a SAVEPOINT opened outside a transaction *is* the transaction, so
    releasing it commits (half a request committed, e.g. a version without its job). ``BEGIN
    IMMEDIATE`` takes the write lock (waiting up to the busy timeout), so the checks that follow see
    the latest data and no other writer can act on them before this transaction ends."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    dbapi = conn.connection.dbapi_connection
    if dbapi is not None and not dbapi.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def add_unique(session: Session, row: Base) -> bool:
    """Insert ``row`` in a savepoint; False (and nothing inserted) when a unique constraint refused it,
    e.g. a concurrent upload of the same sha256 won the race. The outer transaction stays usable."""
    lock_for_write(session)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def require_text(value: str, what: str, *, max_len: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInputError(
            f"{what} is required: say who decided and why", zh="必须填写理由：说明由谁决定、为什么。"
        )
    if max_len is not None and len(text) > max_len:
        raise InvalidInputError(
            f"{what} is longer than {max_len} characters; shorten it",
            zh=f"内容超过 {max_len} 个字符，请缩短。",
        )
    return text


def mark_lifted(row: Any, *, actor_id: int, reason: str, at: datetime | None = None) -> None:
    """Record who ended ``row`` (a removal, a review before release, a sanction), when and why:
    its ``lifted_at``, ``lifted_by`` and ``lift_reason``."""
    row.lifted_at, row.lifted_by, row.lift_reason = at or utcnow(), actor_id, reason
