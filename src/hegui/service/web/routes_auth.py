"""Log in, log out, the start page and the static files."""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from hegui.service import crud
from hegui.service.api.deps import SessionDep
from hegui.service.db.models import User
from hegui.service.errors import NotFoundError
from hegui.service.ratelimit import RateLimitedError
from hegui.service.web import auth
from hegui.service.web.i18n import request_lang
from hegui.service.web.messages import error_text
from hegui.service.web.render import (
    CsrfError,
    WebRoute,
    check_csrf,
    home_for,
    optional_user,
    page,
    read_form,
    redirect,
    safe_next,
    text_field,
)

router = APIRouter(route_class=WebRoute, include_in_schema=False)

_STATIC = {
    "htmx.min.js": "text/javascript; charset=utf-8",
    "ui.js": "text/javascript; charset=utf-8",
    "ui.css": "text/css; charset=utf-8",
    "htmx.LICENSE": "text/plain; charset=utf-8",
}


@functools.cache
def _static(name: str) -> bytes:
    if name == "report.css":  # the HTML report's own stylesheet: one look for the UI and the report
        from hegui.report.html import environment

        return environment().get_template("_style.css.j2").render().encode()
    return files("hegui.service.web").joinpath("static", name).read_bytes()


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name == "report.css":
        media = "text/css; charset=utf-8"
    elif name in _STATIC:
        media = _STATIC[name]
    else:
        raise NotFoundError("no such file")
    return Response(_static(name), media_type=media, headers={"Cache-Control": "public, max-age=3600"})


@router.get("/")
def home(request: Request, user: Annotated[User | None, Depends(optional_user())]) -> Response:
    return redirect(request, home_for(user))


@router.get("/login")
def login_form(request: Request, user: Annotated[User | None, Depends(optional_user())]) -> Response:
    nxt = safe_next(request.query_params.get("next"))
    if user is not None and auth.read_session(request) is not None:
        return redirect(request, nxt if nxt != "/" else home_for(user))
    return _login_page(request, nxt, "", failed=False)


def _login_page(
    request: Request, nxt: str, username: str, *, failed: bool, limited: RateLimitedError | None = None
) -> Response:
    probe = Response()
    nonce = auth.ensure_pre_nonce(request, probe)
    ctx = {
        "login_csrf": auth.csrf_token(request, nonce),
        "next": nxt,
        "username": username,
        "failed": failed,
        "limited": error_text(limited, request_lang(request)) if limited else "",
    }
    status = 429 if limited else 401 if failed else 200
    headers = {"Retry-After": str(limited.retry_after)} if limited else None
    response = page(request, "login.html.j2", ctx, status=status, headers=headers)
    for key, value in probe.raw_headers:
        if key == b"set-cookie":
            response.raw_headers.append((key, value))
    return response


@router.post("/login")
async def login(request: Request, session: SessionDep) -> Response:
    if auth.read_session(request) is not None:
        await check_csrf(request)  # a logged-in visitor's token is the session's
    elif not auth.csrf_ok(request, (await read_form(request)).get("csrf")):  # type: ignore[arg-type]
        raise CsrfError
    form = await read_form(request)
    username = text_field(form, "username", max_len=100)
    password = form.get("password")
    nxt = safe_next(form.get("next") if isinstance(form.get("next"), str) else None)  # type: ignore[arg-type]
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else None
    try:
        limiter.check(username, address)  # before the password: a refused attempt costs no scrypt
    except RateLimitedError as exc:
        return _login_page(request, nxt, username, failed=True, limited=exc)
    user = None
    if username and isinstance(password, str) and 0 < len(password) <= 200:
        user = crud.users.authenticate(session, username=username, password=password)
    if user is None:
        limiter.failed(username, address)
        return _login_page(request, nxt, username, failed=True)
    limiter.succeeded(username)
    session.commit()  # a password re-hash, if any
    response = redirect(request, nxt if nxt != "/" else home_for(user))
    auth.start_session(request, response, user.id)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await check_csrf(request)
    response = redirect(request, "/login")
    auth.end_session(response)
    return response
