"""The error envelope of the API: every 4xx/5xx body is ``{"error": {"kind": ..., "message": ...}}``.

:class:`hegui.service.errors.ServiceError` subclasses carry their HTTP status (``http_status``); one
handler maps the whole family. Request validation errors become ``kind: "validation"`` (with the
locations, never the rejected input echoed back), other HTTP errors ``kind: "http"``, and anything
unexpected a logged 500 with a generic message: no traceback reaches the client.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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


async def _service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    status = int(getattr(exc, "http_status", 400))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(kind_of(exc), one_line(exc)), status_code=status, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details: list[dict[str, object]] = [
        {"loc": [str(p) for p in err.get("loc", ())], "msg": one_line(err.get("msg", ""))}
        for err in exc.errors()[:MAX_DETAILS]
    ]
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])  # type: ignore[union-attr]
    message = f"{where}: {first['msg']}" if where else str(first["msg"])
    return JSONResponse(error_body("validation", message, details), status_code=422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(
        error_body("http", one_line(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error in %s %s", request.method, request.url.path)
    return JSONResponse(
        error_body("internal", "internal server error; the server log has the details"), status_code=500
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
