"""Rendering and guarding the UI's pages: the Jinja2 environment (autoescape on for every template),
the page context, the role check for pages, bounded form reading with the CSRF check, and the route
class that turns every error into a page (never a traceback, never the API's JSON envelope).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from hegui import __version__
from hegui.service.api.deps import SAFE_METHODS, current_user_optional, require
from hegui.service.db.models import User
from hegui.service.errors import InvalidInputError, PermissionDeniedError, ServiceError, TooLargeError
from hegui.service.web import auth
from hegui.service.web.i18n import LANGS, request_lang, t
from hegui.service.web.messages import error_text, status_text

log = logging.getLogger("hegui.service.web")

MAX_FORM_FIELDS = 20
MAX_FIELD_BYTES = 64 * 1024  # any one text field of any form
MAX_FORM_BYTES = 256 * 1024  # a whole form (the APK upload is streamed and bounded apart)


class LoginRequired(Exception):
    """Raised by a page's guard when nobody is logged in: answered with a redirect to /login."""


class CsrfError(Exception):
    """A POST without this visitor's CSRF token."""


def when(value: datetime | date | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC") if value.tzinfo else value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def date_zh(value: date | datetime | None) -> str:
    """``2021年11月3日`` (the dateline of an official notice)."""
    if value is None:
        return "–"
    return f"{value.year}年{value.month}月{value.day}日"


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hegui.service.web", "templates"),
        autoescape=True,  # every template: app names, notes and titles are hostile
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.filters["date_zh"] = date_zh
    return env


def safe_next(value: str | None) -> str:
    """A local path to go back to after login; anything else (``//host``, ``http:``…) is ``/``."""
    if (
        value
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and len(value) < 500
    ):
        return value
    return "/"


NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/dashboard", "nav_dashboard", frozenset({"reviewer", "store", "regulator", "admin"})),
    ("/upload", "nav_upload", frozenset({"developer", "reviewer", "regulator", "admin"})),
    ("/apps", "nav_apps", frozenset({"developer", "reviewer", "store", "regulator", "admin"})),
    ("/notices", "nav_notices", frozenset({"regulator", "admin"})),
    ("/removals", "nav_removals", frozenset({"reviewer", "store", "regulator", "admin"})),
    ("/campaigns", "nav_campaigns", frozenset({"reviewer", "store", "regulator", "admin"})),
    ("/orgs", "nav_orgs", frozenset({"developer", "reviewer", "store", "regulator", "admin"})),
    # platform governance (hegui.governance.web): the queue for those who read cases, the
    # complaint form for everyone else
    ("/governance/queue", "nav_governance", frozenset({"moderator", "regulator", "admin"})),
    ("/governance/complaints/new", "nav_governance", frozenset({"developer", "reviewer", "store"})),
    (
        "/public/notices",
        "nav_public",
        frozenset({"developer", "reviewer", "store", "regulator", "moderator", "admin", ""}),
    ),
)


def home_for(user: User | None) -> str:
    if user is None:
        return "/login"
    if user.role == "moderator":
        return "/governance/queue"
    return "/upload" if user.role == "developer" else "/dashboard"


def base_context(request: Request, user: User | None) -> dict[str, Any]:
    lang = request_lang(request)
    other = "en" if lang == "zh" else "zh"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)]
    csrf = None
    session = auth.read_session(request)
    if session is not None:
        csrf = auth.csrf_token(request, session.nonce)
    role = user.role if user else ""
    return {
        "request": request,
        "version": __version__,
        "lang": lang,
        "t": functools.partial(t, lang=lang),
        "user": user,
        "csrf": csrf,
        "path": request.url.path,
        "switch_url": request.url.path + "?" + urlencode(params),
        "nav": [(href, key) for href, key, roles in NAV if role in roles or (user is None and "" in roles)],
    }


CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
)


def _secure_headers(response: Response) -> None:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")


def remember_lang(request: Request, response: Response) -> None:
    q = request.query_params.get("lang")
    if q in LANGS and request.cookies.get(auth.LANG_COOKIE) != q:
        response.set_cookie(auth.LANG_COOKIE, q, max_age=365 * 86400, samesite="lax", httponly=True, path="/")


def page(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    user: User | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    ctx = base_context(request, user)
    ctx.update(context or {})
    html = environment().get_template(name).render(**ctx)
    response = HTMLResponse(html, status_code=status, headers=headers)
    remember_lang(request, response)
    _secure_headers(response)
    return response


def redirect(request: Request, url: str) -> Response:
    """303 to ``url``; for an htmx request, 200 with ``HX-Redirect`` so the whole page moves."""
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, message: str = "") -> HTMLResponse:
    user = getattr(request.state, "web_user", None)
    lang = request_lang(request)
    key = f"error_{status}"
    title = t(key, lang) if t(key, lang) != key else t("error", lang)
    response = page(
        request,
        "error.html.j2",
        {"status": status, "title": title, "message": message},
        user=user,
        status=status,
    )
    if request.headers.get("hx-request"):  # let htmx swap the error in place of the target
        response.headers["HX-Retarget"] = "#main"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


class WebRoute(APIRoute):
    """Every error of a page becomes an HTML page with the right status."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                response = await handler(request)
            except LoginRequired:
                target = "/login?next=" + quote(safe_next(request.url.path), safe="/")
                return redirect(request, target)
            except CsrfError:
                return error_page(request, 403, t("error_csrf", request_lang(request)))
            except ServiceError as exc:
                return error_page(request, exc.http_status, error_text(exc, request_lang(request)))
            except RequestValidationError:
                return error_page(request, 422, t("error_422", request_lang(request)))
            except StarletteHTTPException as exc:
                lang = request_lang(request)
                return error_page(request, exc.status_code, status_text(exc.status_code, lang))
            except Exception:
                log.exception("web UI: %s %s failed", request.method, request.url.path)
                return error_page(request, 500, t("error_internal", request_lang(request)))
            _secure_headers(response)
            return response

        return guarded


async def read_form(request: Request, *, max_files: int = 0) -> FormData:
    """The request's form, bounded in fields and sizes (the file of an upload is bounded by the
    caller, before this, through Content-Length)."""
    if getattr(request, "_form", None) is None and not hasattr(request, "_body"):
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
            raise TooLargeError(f"form over {MAX_FORM_BYTES} bytes", zh=f"表单超过 {MAX_FORM_BYTES} 字节")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_FORM_BYTES:
                raise TooLargeError(f"form over {MAX_FORM_BYTES} bytes", zh=f"表单超过 {MAX_FORM_BYTES} 字节")
            chunks.append(chunk)
        request._body = b"".join(chunks)  # Starlette parses the form from the body read here
    try:
        return await request.form(
            max_files=max_files, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES
        )
    except StarletteHTTPException:
        raise
    except Exception as exc:  # a malformed body
        raise InvalidInputError("the form could not be read", zh="无法读取提交的表单") from exc


async def check_csrf(request: Request, *, from_query: bool = False) -> None:
    """The token of a POST: the ``X-CSRF-Token`` header (htmx), else the form's ``csrf`` field, or,
    for the streamed upload (whose body must not be read before the check), ``?csrf=``."""
    token = request.headers.get("x-csrf-token")
    if not token and from_query:
        token = request.query_params.get("csrf")
    elif not token:
        form = await read_form(request, max_files=1)
        value = form.get("csrf")
        token = value if isinstance(value, str) else None
    if not auth.csrf_ok(request, token):
        raise CsrfError


def text_field(form: FormData, name: str, *, max_len: int, required: bool = False, label: str = "") -> str:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise InvalidInputError(f"{label or name}: required", zh=f"{label or name}：必填")
    if len(text) > max_len:
        raise InvalidInputError(
            f"{label or name}: longer than {max_len} characters", zh=f"{label or name}：超过 {max_len} 个字符"
        )
    return text


def page_user(*roles: str, csrf_in_query: bool = False) -> Callable[..., Coroutine[Any, Any, User]]:
    """The guard of a page: a logged-in user whose role is one of ``roles`` (admin always passes; the
    role groups are :func:`hegui.service.api.deps.require`'s), and on a POST the CSRF token.

    Anonymous visitors are sent to the login page; a wrong role is a 403 page."""
    allowed: frozenset[str] = require(*roles).roles  # type: ignore[attr-defined]

    async def guard(request: Request, user: Annotated[User | None, Depends(current_user_optional)]) -> User:
        if user is None:
            if request.method not in SAFE_METHODS:
                await check_csrf(
                    request, from_query=csrf_in_query
                )  # a forged POST is refused as such, not bounced to the login
            raise LoginRequired
        request.state.web_user = user
        if user.role not in allowed:
            raise PermissionDeniedError(t("error_role", request_lang(request), role=user.role))
        if request.method not in SAFE_METHODS and getattr(request.state, "auth", "cookie") == "cookie":
            await check_csrf(request, from_query=csrf_in_query)
        return user

    guard.roles = allowed  # type: ignore[attr-defined]
    return guard


def optional_user() -> Callable[..., Coroutine[Any, Any, User | None]]:
    async def guard(
        request: Request, user: Annotated[User | None, Depends(current_user_optional)]
    ) -> User | None:
        request.state.web_user = user
        return user

    return guard
