"""ASGI middleware of the API.

:class:`EscapeJSONMiddleware`: in every ``application/json`` response, ``<``, ``>`` and ``&`` are
written as ``\\u003c``, ``\\u003e``, ``\\u0026``. The parsed JSON is the same (values are stored and
returned verbatim), but a response that a browser is tricked into rendering as HTML holds no markup.
Outside strings JSON never contains these characters, so a byte-wise replacement is exact.

:class:`SecurityHeadersMiddleware`: ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy`` on
every response, and a restrictive ``Content-Security-Policy`` on API responses.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))
API_CSP = b"default-src 'none'; frame-ancestors 'none'"


def escape_json(body: bytes) -> bytes:
    for raw, escaped in _ESCAPES:
        body = body.replace(raw, escaped)
    return body


class EscapeJSONMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_escaped(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                ctype = dict(message.get("headers", [])).get(b"content-type", b"")
                if ctype.split(b";")[0].strip() == b"application/json":
                    start = message  # held until the whole body is known (its length changes)
                    return
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = escape_json(b"".join(chunks))
                headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, send_escaped)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, api_prefix: str = "/api/") -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        # the interactive docs (Swagger UI, ReDoc) load their scripts from a CDN: no CSP there
        strict = path.startswith(self.api_prefix) and not path.startswith(("/api/docs", "/api/redoc"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"referrer-policy" not in names:
                    headers.append((b"referrer-policy", b"same-origin"))
                if strict and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", API_CSP))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Request bodies of the API (JSON, forms) are read up to ``max_bytes`` and refused with 413
    past it, before any route parses them. Paths in ``exempt`` (the APK upload, which bounds its
    own stream) pass untouched; so does everything outside ``prefix`` (the web UI bounds its forms)."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, prefix: str = "/api/", exempt: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.exempt = exempt

    async def _too_large(self, send: Send) -> None:
        body = (
            b'{"error":{"kind":"too_large","message":"request body over '
            + str(self.max_bytes).encode()
            + b' bytes"}}'
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(self.prefix) or path.rstrip("/") in self.exempt:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message]), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        await self.app(
            scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send
        )


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()  # e.g. http.disconnect after the body
        return {"type": "http.disconnect"}

    return receive
