"""UI sessions and CSRF, with nothing but :mod:`hmac` (``itsdangerous`` is not a dependency).

The session cookie ``hegui_session`` is ``<payload>.<mac>``: ``payload`` is base64url JSON
``{"u": user id, "n": nonce, "e": expiry (unix s)}`` and ``mac`` its HMAC-SHA256 under the service's
``HEGUI_SECRET_KEY`` (a random per-process key when none is set, which ``hegui serve`` only allows on
loopback: sessions then end with the process). HttpOnly, SameSite=Lax, ``Secure`` over https.

CSRF: every POST form carries ``csrf`` = HMAC(key, "csrf|" + nonce). The nonce is the session's, or,
before login, the one in the signed ``hegui_pre`` cookie; a new nonce is drawn at login (no
fixation). A POST whose token does not match is refused with 403 before anything is read or changed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from fastapi import Request, Response

SESSION_COOKIE = "hegui_session"
PRE_COOKIE = "hegui_pre"
LANG_COOKIE = "hegui_lang"
SESSION_SECONDS = 12 * 3600
_EPHEMERAL_KEY = secrets.token_bytes(32)


def secret_key(request: Request) -> bytes:
    settings = getattr(request.app.state, "settings", None)
    key = getattr(settings, "secret_key", "") or ""
    return key.encode() if key else _EPHEMERAL_KEY


def _mac(key: bytes, data: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, data, hashlib.sha256).digest()).rstrip(b"=").decode()


def sign(key: bytes, payload: dict[str, object]) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"{body}.{_mac(key, body.encode())}"


def unsign(key: bytes, value: str | None) -> dict[str, object] | None:
    """The payload of a cookie we signed, or None (missing, malformed, forged)."""
    if not value or len(value) > 1024 or value.count(".") != 1:
        return None
    body, mac = value.split(".")
    if not hmac.compare_digest(mac, _mac(key, body.encode())):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class WebSession:
    user_id: int
    nonce: str


def read_session(request: Request) -> WebSession | None:
    data = unsign(secret_key(request), request.cookies.get(SESSION_COOKIE))
    if not data:
        return None
    uid, nonce, exp = data.get("u"), data.get("n"), data.get("e")
    if not isinstance(uid, int) or not isinstance(nonce, str) or not isinstance(exp, int | float):
        return None
    if exp < time.time():
        return None
    return WebSession(uid, nonce)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def start_session(request: Request, response: Response, user_id: int) -> None:
    payload = {"u": user_id, "n": secrets.token_urlsafe(16), "e": int(time.time()) + SESSION_SECONDS}
    response.set_cookie(
        SESSION_COOKIE,
        sign(secret_key(request), payload),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(PRE_COOKIE, path="/")


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def pre_nonce(request: Request) -> str | None:
    data = unsign(secret_key(request), request.cookies.get(PRE_COOKIE))
    nonce = data.get("n") if data else None
    return nonce if isinstance(nonce, str) else None


def ensure_pre_nonce(request: Request, response: Response) -> str:
    """The anonymous visitor's nonce (for the login form's token), set as a cookie if new."""
    nonce = pre_nonce(request)
    if nonce is None:
        nonce = secrets.token_urlsafe(16)
        response.set_cookie(
            PRE_COOKIE,
            sign(secret_key(request), {"n": nonce}),
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path="/",
        )
    return nonce


def csrf_token(request: Request, nonce: str) -> str:
    return _mac(secret_key(request), b"csrf|" + nonce.encode())


def csrf_ok(request: Request, given: str | None) -> bool:
    """Does ``given`` (form field or ``X-CSRF-Token`` header) match this visitor's nonce?"""
    if not given or len(given) > 200:
        return False
    session = read_session(request)
    nonce = session.nonce if session else pre_nonce(request)
    return nonce is not None and hmac.compare_digest(given, csrf_token(request, nonce))
