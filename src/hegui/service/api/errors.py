"""The error envelope of the API: every 4xx/5xx body is ``{"error": {"kind": ..., "message": ...}}``.

:class:`hegui.service.errors.ServiceError` subclasses carry their HTTP status (``http_status``); one
handler maps the whole family. Request validation errors become ``kind: "validation"`` (with the
locations, never the rejected input echoed back), other HTTP errors ``kind: "http"``, and anything
unexpected a logged 500 with a generic message: no traceback reaches the client.

Only API paths (``/api/...``) answer JSON: when the web UI is installed it sets
``app.state.page_error(request, status, exc)``, and an error on any other path (an unknown page, a
wrong method, a crash outside a page's route) is rendered as the UI's error page instead.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from hegui.service.errors import ServiceError

log = logging.getLogger("hegui.service.api")

MAX_DETAILS = 20


class NotAuthenticatedError(ServiceError):
    """No valid credentials: no token, an unknown or revoked token, a wrong password."""

    http_status = 401
    kind = "not_authenticated"


class BadApkError(ServiceError):
    """An upload is not an APK hegui can read (the one-line :class:`hegui.errors.ApkError` message)."""

    http_status = 422
    kind = "bad_apk"


# the kinds of hegui.errors.ApkError, the first word of a bad_apk message
APK_KIND_ZH: dict[str, str] = {
    "corrupt": "安装包已损坏（不是完整的 ZIP 文件）。",
    "not_apk": "上传的文件不是 APK 安装包（缺少 AndroidManifest.xml）。",
    "zip_bomb": "安装包解压后过大（疑似压缩炸弹），已拒绝。",
    "too_large": "安装包超过可分析的大小限制。",
    "unsupported": "不支持此安装包的格式。",
    "io": "读取安装包时出错，请重新上传。",
}


class ErrorDetail(BaseModel):
    kind: str
    message: str
    details: list[dict[str, object]] | None = None


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


def _response(status: int, detail: str) -> dict[str, object]:
    return {"model": ErrorResponse, "description": detail}


# for the OpenAPI document: the errors any authenticated route may answer
AUTH_ERRORS: dict[int | str, dict[str, object]] = {
    401: _response(401, "No valid bearer token or UI session (kind: not_authenticated)"),
    403: _response(403, "The caller's role does not allow this (kind: permission_denied)"),
    422: _response(422, "A field is missing, too long or malformed (kind: validation or invalid_input)"),
}
NOT_FOUND = {404: _response(404, "Not found, or not visible to the caller (kind: not_found)")}
CONFLICT = {409: _response(409, "Conflicts with stored data or the object's state (kind: conflict, state)")}
TOO_MANY = {429: _response(429, "Too many failed logins; wait for Retry-After seconds (kind: rate_limited)")}
TOO_LARGE = {413: _response(413, "The upload is over the size limit (kind: too_large)")}


def as_json(responses: dict[int | str, dict[str, object]]) -> dict[int | str, dict[str, object]]:
    """The same error responses for a route whose own response is not JSON (e.g. an HTML report)."""
    ref = {"$ref": "#/components/schemas/ErrorResponse"}
    return {
        code: {"description": r["description"], "content": {"application/json": {"schema": ref}}}
        for code, r in responses.items()
    }


def kind_of(exc: ServiceError) -> str:
    """``NotFoundError`` → ``not_found``; a class may set ``kind`` itself."""
    explicit = getattr(type(exc), "kind", None)
    if isinstance(explicit, str):
        return explicit
    name = type(exc).__name__.removesuffix("Error") or "service"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def error_body(kind: str, message: str, details: list[dict[str, object]] | None = None) -> dict[str, object]:
    body: dict[str, object] = {"kind": kind, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def _page(request: Request, status: int, exc: Exception) -> Response | None:
    """The web UI's error page for a non-API path, if the UI is installed (None: answer JSON)."""
    hook = getattr(request.app.state, "page_error", None)
    if hook is None or is_api_path(request.url.path):
        return None
    try:
        return hook(request, status, exc)
    except Exception:  # the page itself failed: the JSON envelope still answers
        log.exception("the error page for %s failed", request.url.path)
        return None


async def _service_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    status = int(getattr(exc, "http_status", 400))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 429 and getattr(exc, "retry_after", None):
        headers = {"Retry-After": str(exc.retry_after)}  # type: ignore[attr-defined]
    if (page := _page(request, status, exc)) is not None:
        page.headers.update(headers or {})
        return page
    return JSONResponse(error_body(kind_of(exc), one_line(exc)), status_code=status, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if (page := _page(request, 422, exc)) is not None:
        return page
    details: list[dict[str, object]] = [
        {"loc": [str(p) for p in err.get("loc", ())], "msg": one_line(err.get("msg", ""))}
        for err in exc.errors()[:MAX_DETAILS]
    ]
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])  # type: ignore[union-attr]
    message = f"{where}: {first['msg']}" if where else str(first["msg"])
    return JSONResponse(error_body("validation", message, details), status_code=422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if (page := _page(request, exc.status_code, exc)) is not None:
        if exc.headers:
            page.headers.update(exc.headers)
        return page
    return JSONResponse(
        error_body("http", one_line(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error in %s %s", request.method, request.url.path)
    if (page := _page(request, 500, exc)) is not None:
        return page
    return JSONResponse(
        error_body("internal", "internal server error; the server log has the details"), status_code=500
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
