"""Typed errors of the service. Every message says what went wrong and what to do.

``ServiceError`` → ``NotFoundError`` (404), ``ConflictError`` (409), ``StateError`` (409),
``PermissionDeniedError`` (403), ``TooLargeError`` (413), ``InvalidInputError`` (422). Each class
carries its HTTP status as ``http_status`` so the API can map the whole family with one handler;
crud and domain code never import anything from HTTP.

The message (``str(exc)``) is English, for the API and the logs. ``zh=`` gives the same message in
Chinese for the web UI's Chinese pages; without it they show a Chinese text of the error's kind
(``hegui.service.web.messages``), never the English one.
"""

from __future__ import annotations

from hegui.errors import HeguiError


class ServiceError(HeguiError):
    """Base of every error the service raises on purpose."""

    http_status = 400

    def __init__(self, *args: object, zh: str | None = None) -> None:
        super().__init__(*args)
        self.zh = zh  # the message in Chinese, when the raiser gives one


class NotFoundError(ServiceError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    http_status = 404


class ConflictError(ServiceError):
    """The request contradicts data already stored (a duplicate name, a package of another organisation)."""

    http_status = 409


class StateError(ServiceError):
    """The object is not in a state that allows this step (publishing a published notice, lifting
    a removal that is not active)."""

    http_status = 409


class PermissionDeniedError(ServiceError):
    """The caller's role does not allow this decision."""

    http_status = 403


class TooLargeError(ServiceError):
    """An upload is larger than the configured limit (``HEGUI_MAX_UPLOAD_MB``)."""

    http_status = 413


class InvalidInputError(ServiceError):
    """A value is malformed (an unknown role, a sha256 that is not 64 hex digits, an empty reason)."""

    http_status = 422
