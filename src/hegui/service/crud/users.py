"""Users, passwords (for the UI login) and API tokens (only their SHA-256 is stored)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service import security
from hegui.service.crud import audit
from hegui.service.crud._common import add_unique, get_or_404, require_text
from hegui.service.db.models import ROLES, ApiToken, Organisation, User, utcnow
from hegui.service.errors import ConflictError, InvalidInputError, StateError


def create_user(
    session: Session,
    *,
    username: str,
    role: str,
    password: str | None = None,
    organisation_id: int | None = None,
    display_name: str = "",
    actor_id: int | None = None,
) -> User:
    """A new active user. A developer must belong to an organisation (it sees only its apps).
    Without a password the user can only use API tokens."""
    username = require_text(username, "username", max_len=100)
    if role not in ROLES:
        raise InvalidInputError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
    if organisation_id is not None:
        get_or_404(session, Organisation, organisation_id, "organisation")
    elif role == "developer":
        raise InvalidInputError("a developer belongs to an organisation: pass organisation_id")
    if password is not None and not password:
        raise InvalidInputError("an empty password is not allowed; pass None for a token-only user")
    user = User(
        username=username,
        role=role,
        organisation_id=organisation_id,
        display_name=display_name or "",
        password_hash=security.hash_password(password) if password else None,
        active=True,
    )
    if get_user_by_username(session, username) is not None or not add_unique(session, user):
        raise ConflictError(f"the username {username!r} is taken; choose another")
    audit.record(
        session,
        actor_id=actor_id,
        action="user.create",
        target_type="user",
        target_id=user.id,
        data={"username": username, "role": role, "organisation_id": organisation_id},
    )
    return user


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The active user with this password, or None. An unknown name costs the same time as a wrong
    password, so names cannot be probed by timing."""
    user = get_user_by_username(session, username)
    if user is None or not user.active or not user.password_hash:
        security.dummy_verify(password)
        return None
    if not security.verify_password(password, user.password_hash):
        return None
    if security.needs_rehash(user.password_hash):
        user.password_hash = security.hash_password(password)
        session.flush()
    return user


def create_token(session: Session, *, user_id: int, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for the user: the row and the plain token, which is shown once and never stored."""
    user = get_or_404(session, User, user_id, "user")
    if not user.active:
        raise StateError(f"user {user.username!r} is deactivated; reactivate it before issuing tokens")
    plain = security.new_token()
    token = ApiToken(user_id=user_id, token_sha256=security.token_sha256(plain), name=(name or "")[:100])
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor_id=user_id,
        action="token.create",
        target_type="api_token",
        target_id=token.id,
        data={"user_id": user_id, "name": token.name},
    )
    return token, plain


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live token belongs to; None for an unknown or revoked token or an inactive user."""
    if not token:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == security.token_sha256(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def list_tokens(session: Session, *, user_id: int) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)))


def revoke_token(
    session: Session, *, token_id: int, actor_id: int | None = None, reason: str = ""
) -> ApiToken:
    """Revoke a token (idempotent: revoking a revoked token changes nothing and records nothing)."""
    token = get_or_404(session, ApiToken, token_id, "API token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor_id=actor_id,
            action="token.revoke",
            target_type="api_token",
            target_id=token.id,
            reason=reason,
            data={"user_id": token.user_id},
        )
    return token
