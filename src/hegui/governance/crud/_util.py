"""Helpers of the governance crud: bounded text, the deciding user's role."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hegui.service.db.models import User
from hegui.service.errors import InvalidInputError, PermissionDeniedError

DECIDERS = frozenset({"moderator", "admin"})


def bounded(value: str | None, what: str, max_len: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInputError(f"{what} is required")
    if len(text) > max_len:
        raise InvalidInputError(f"{what} is longer than {max_len} characters; shorten it")
    return text


def check_decider(session: Session, actor_id: int | None) -> User:
    """Only a moderator (or admin) decides: sanctions never come from the system or a score."""
    user = session.get(User, actor_id) if actor_id is not None else None
    if user is None or not user.active or user.role not in DECIDERS:
        raise PermissionDeniedError("only a moderator decides cases and appeals")
    return user
