"""Helpers shared by the crud modules."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hegui.service.db.models import Base
from hegui.service.errors import InvalidInputError, NotFoundError

M = TypeVar("M", bound=Base)


def get_or_404(session: Session, model: type[M], row_id: int, what: str) -> M:
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(f"no {what} with id {row_id}; check the id (list them to find it)")
    return row


def add_unique(session: Session, row: Base) -> bool:
    """Insert ``row`` in a savepoint; False (and nothing inserted) when a unique constraint refused it,
    e.g. a concurrent upload of the same sha256 won the race. The outer transaction stays usable."""
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
        raise InvalidInputError(f"{what} is required: say who decided and why")
    if max_len is not None and len(text) > max_len:
        raise InvalidInputError(f"{what} is longer than {max_len} characters; shorten it")
    return text
