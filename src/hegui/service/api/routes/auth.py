"""Authentication: a token for a username and password, the caller, users and API tokens (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, status
from sqlalchemy import select

from hegui.service import crud
from hegui.service.api.deps import Admin, AnyRole, SessionDep
from hegui.service.api.errors import AUTH_ERRORS, CONFLICT, NOT_FOUND, TOO_MANY, NotAuthenticatedError
from hegui.service.api.schemas.accounts import (
    TokenCreate,
    TokenIssued,
    TokenResponse,
    UserCreate,
    UserPublic,
)
from hegui.service.db.models import ApiToken, User
from hegui.service.errors import NotFoundError

router = APIRouter(prefix="/auth", tags=["auth"], responses=AUTH_ERRORS)


def password_user(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(min_length=1, max_length=100)],
    password: Annotated[str, Form(min_length=1, max_length=200)],
) -> User:
    """The user of a username and password (the OAuth2 password form), else 401; 429 after too many
    failed logins for the username or from the address (``hegui.service.ratelimit``)."""
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else None
    limiter.check(username, address)
    user = crud.users.authenticate(session, username=username, password=password)
    if user is None:
        limiter.failed(username, address)
        raise NotAuthenticatedError("wrong username or password, or the user is deactivated")
    limiter.succeeded(username)
    return user


password_user.authenticates = True  # type: ignore[attr-defined]  # the route test accepts it as a guard
PasswordUser = Annotated[User, Depends(password_user)]


def _issued(token: ApiToken, plain: str) -> TokenIssued:
    return TokenIssued(
        id=token.id, user_id=token.user_id, name=token.name, token=plain, created_at=token.created_at
    )


@router.post(
    "/token",
    response_model=TokenResponse,
    summary="Log in: a new API token for a username and password",
    description="Form fields `username`, `password` (OAuth2 password flow). Send the token as "
    "`Authorization: Bearer <access_token>`. After 5 failed logins in 15 minutes for a username or "
    "from an address: 429 with `Retry-After` (`HEGUI_LOGIN_MAX_FAILURES`, `HEGUI_LOGIN_WINDOW`).",
    responses=TOO_MANY,
)
def login(session: SessionDep, user: PasswordUser) -> TokenResponse:
    token, plain = crud.users.create_token(session, user_id=user.id, name="login")
    session.commit()
    return TokenResponse(access_token=plain, user_id=user.id, role=user.role)  # type: ignore[arg-type]


@router.get("/me", response_model=UserPublic, summary="The caller")
def me(user: AnyRole) -> User:
    return user


@router.post(
    "/me/tokens",
    response_model=TokenIssued,
    status_code=status.HTTP_201_CREATED,
    summary="A new API token for the caller (e.g. for `hegui submit`)",
)
def new_own_token(body: TokenCreate, session: SessionDep, user: AnyRole) -> TokenIssued:
    token, plain = crud.users.create_token(session, user_id=user.id, name=body.name)
    session.commit()
    return _issued(token, plain)


@router.get("/users", response_model=list[UserPublic], summary="All users (admin)")
def list_users(session: SessionDep, _admin: Admin) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


@router.post(
    "/users",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Create a user (admin); a developer needs an organisation",
)
def create_user(body: UserCreate, session: SessionDep, admin: Admin) -> User:
    user = crud.users.create_user(
        session,
        username=body.username,
        role=body.role,
        password=body.password,
        organisation_id=body.organisation_id,
        display_name=body.display_name,
        actor_id=admin.id,
    )
    session.commit()
    return user


@router.post(
    "/users/{user_id}/tokens",
    response_model=TokenIssued,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
    summary="A new API token for a user (admin); shown once",
)
def new_token(user_id: int, body: TokenCreate, session: SessionDep, _admin: Admin) -> TokenIssued:
    token, plain = crud.users.create_token(session, user_id=user_id, name=body.name)
    session.commit()
    return _issued(token, plain)


@router.post(
    "/tokens/{token_id}/revoke",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
    summary="Revoke an API token (admin: any; others: their own)",
)
def revoke_token(token_id: int, session: SessionDep, user: AnyRole) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or (user.role != "admin" and token.user_id != user.id):
        raise NotFoundError(f"no API token with id {token_id} of yours")
    crud.users.revoke_token(session, token_id=token_id, actor_id=user.id)
    session.commit()
