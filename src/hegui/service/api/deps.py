"""FastAPI dependencies as ``Annotated`` aliases: settings, a database session, the store, the job
dispatcher, today's date, the caller and the role check.

The caller is found from ``Authorization: Bearer <API token>`` or, for the web UI, from the signed
``hegui_session`` cookie (:mod:`hegui.service.web.auth`). A state-changing request authenticated by
the cookie must also carry the UI's CSRF token in ``X-CSRF-Token``; bearer tokens need none.

Every route depends on :func:`require` (or, for ``POST /auth/token``, on a username and password).
``admin`` passes every role check. Developers are further limited to their own organisation's data by
:func:`check_org` / :func:`scope_org` in the routes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from hegui.service.api.errors import NotAuthenticatedError
from hegui.service.config import Settings
from hegui.service.db.models import ROLES, User
from hegui.service.errors import NotFoundError, PermissionDeniedError

TOKEN_URL = "/api/v1/auth/token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_TOKEN_CHARS = 200

oauth2_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; routes commit what they change, anything else is rolled back."""
    with request.app.state.session_factory() as session:
        yield session


def get_store(request: Request) -> Any:
    return request.app.state.store


def get_dispatcher(request: Request) -> Any:
    return request.app.state.dispatcher


def get_today() -> date:
    """The date deadlines and the strike year are counted on (overridden in tests)."""
    return date.today()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
StoreDep = Annotated[Any, Depends(get_store)]
DispatcherDep = Annotated[Any, Depends(get_dispatcher)]
TodayDep = Annotated[date, Depends(get_today)]


def current_user_optional(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User | None:
    """The caller, or None. A bearer token wins over the cookie; a bad token is None (not the cookie).

    Sets ``request.state.auth`` to ``"token"`` or ``"cookie"``. The web UI reuses this dependency.
    """
    from hegui.service import crud

    if token is not None:
        if len(token) > MAX_TOKEN_CHARS:
            return None
        user = crud.users.user_for_token(session, token)
        if user is not None and user.active:
            request.state.auth = "token"
            return user
        return None
    from hegui.service.web.auth import read_session

    web = read_session(request)
    if web is None:
        return None
    user = session.get(User, web.user_id)
    if user is None or not user.active:
        return None
    request.state.auth = "cookie"
    return user


def current_user(request: Request, user: Annotated[User | None, Depends(current_user_optional)]) -> User:
    if user is None:
        raise NotAuthenticatedError(
            "authentication required: send 'Authorization: Bearer <token>' (POST /api/v1/auth/token "
            "gives one) or log in to the web UI"
        )
    if getattr(request.state, "auth", None) == "cookie" and request.method not in SAFE_METHODS:
        from hegui.service.web.auth import csrf_ok

        if not csrf_ok(request, request.headers.get("x-csrf-token")):
            raise PermissionDeniedError(
                "a change made with the UI session cookie needs the page's CSRF token in X-CSRF-Token; "
                "reload the page, or use a bearer token"
            )
    return user


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(current_user_optional)]


def require(*roles: str) -> Callable[..., User]:
    """A dependency that lets through the caller when its role is one of ``roles`` (or ``admin``).

    The returned function carries ``roles`` (a frozenset) so a test can check that every route has one.
    """
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; roles are {', '.join(ROLES)}")
    allowed = frozenset(roles) | {"admin"}
    names = " or ".join(r for r in ROLES if r in allowed)

    def check_role(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise PermissionDeniedError(f"this needs the role {names}; you are {user.role}")
        return user

    check_role.roles = allowed  # type: ignore[attr-defined]
    check_role.__name__ = "require_" + "_".join(sorted(allowed))
    return check_role


# the role groups of the API (see docs/service.md, "HTTP API")
AnyRole = Annotated[User, Depends(require(*ROLES))]
Admin = Annotated[User, Depends(require())]
Regulator = Annotated[User, Depends(require("regulator"))]
Reviewer = Annotated[User, Depends(require("reviewer"))]
Uploader = Annotated[User, Depends(require("developer", "reviewer", "regulator"))]
Overseer = Annotated[User, Depends(require("reviewer", "store", "regulator"))]  # reads everything


def is_developer(user: User) -> bool:
    return user.role == "developer"


def scope_org(user: User) -> int | None:
    """The organisation a listing is limited to: the developer's own; None (all) for other roles.

    A developer without an organisation is limited to organisation id 0, which matches nothing."""
    return (user.organisation_id or 0) if is_developer(user) else None


def check_org(user: User, organisation_id: int | None, what: str) -> None:
    """A developer asking for another organisation's ``what`` gets 404, as if it did not exist."""
    if is_developer(user) and (user.organisation_id is None or organisation_id != user.organisation_id):
        raise NotFoundError(f"{what} not found")
