"""POST /auth/token, /auth/me, users and tokens (admin), revocation, the UI cookie and its CSRF token."""

from __future__ import annotations

from hegui.service.web import auth as web_auth
from tests.service.api.conftest import error_of


def test_password_gives_a_bearer_token(api):
    r = api.client.post("/api/v1/auth/token", data={"username": "store", "password": "store-password"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["role"] == "store"
    me = api.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["username"] == "store"
    assert "password_hash" not in me.json()


def test_wrong_password_or_unknown_user_is_401(api):
    for form in ({"username": "store", "password": "nope"}, {"username": "ghost", "password": "x"}):
        r = api.client.post("/api/v1/auth/token", data=form)
        assert r.status_code == 401 and error_of(r)["kind"] == "not_authenticated"
    r = api.client.post("/api/v1/auth/token", data={"username": "u" * 101, "password": "x"})
    assert r.status_code == 422


def test_admin_creates_users_and_tokens(api):
    body = {
        "username": "dev2",
        "role": "developer",
        "password": "long enough",
        "organisation_id": api.ids["org_b"],
    }
    r = api.post("/api/v1/auth/users", "admin", json=body)
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    assert api.post("/api/v1/auth/users", "admin", json=body).status_code == 409
    tok = api.post(f"/api/v1/auth/users/{uid}/tokens", "admin", json={"name": "ci"})
    assert tok.status_code == 201
    me = api.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tok.json()['token']}"})
    assert me.json()["role"] == "developer" and me.json()["organisation_id"] == api.ids["org_b"]
    users = api.get("/api/v1/auth/users", "admin").json()
    assert "dev2" in {u["username"] for u in users}


def test_user_fields_are_checked(api):
    bad = [
        {"username": "a b", "role": "store"},
        {"username": "x", "role": "emperor"},
        {"username": "x", "role": "store", "password": "short"},
        {"username": "x", "role": "developer"},  # a developer needs an organisation (crud: 422)
        {"username": "x", "role": "store", "is_admin": True},
    ]
    for body in bad:
        assert api.post("/api/v1/auth/users", "admin", json=body).status_code == 422, body


def test_own_token_and_revocation(api):
    r = api.post("/api/v1/auth/me/tokens", "reviewer", json={"name": "laptop"})
    assert r.status_code == 201
    token, token_id = r.json()["token"], r.json()["id"]
    h = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v1/auth/me", headers=h).status_code == 200
    # someone else's token is not found for a non-admin
    assert api.post(f"/api/v1/auth/tokens/{token_id}/revoke", "store").status_code == 404
    assert api.client.post(f"/api/v1/auth/tokens/{token_id}/revoke", headers=h).status_code == 204
    assert api.client.get("/api/v1/auth/me", headers=h).status_code == 401


def _cookie(api, username: str) -> tuple[str, str]:
    """A UI session cookie for the user, and its CSRF token (as the web UI's login makes them)."""
    key = web_auth._EPHEMERAL_KEY
    nonce = "n0nce"
    value = web_auth.sign(key, {"u": api.ids[username], "n": nonce, "e": 4102444800})
    import base64
    import hashlib
    import hmac

    csrf = base64.urlsafe_b64encode(hmac.new(key, b"csrf|" + nonce.encode(), hashlib.sha256).digest())
    return value, csrf.rstrip(b"=").decode()


def test_ui_session_cookie_authenticates_and_needs_csrf_for_changes(api):
    cookie, csrf = _cookie(api, "regulator")
    api.client.cookies.set(web_auth.SESSION_COOKIE, cookie)
    try:
        assert api.client.get("/api/v1/auth/me").json()["username"] == "regulator"
        body = {"title": "t", "deadline": "2021-07-01"}
        r = api.client.post("/api/v1/notices", json=body)
        assert r.status_code == 403 and "CSRF" in error_of(r)["message"]
        r = api.client.post("/api/v1/notices", json=body, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 201, r.text
    finally:
        api.client.cookies.clear()


def test_forged_cookie_is_ignored(api):
    api.client.cookies.set(web_auth.SESSION_COOKIE, "eyJ1IjoxfQ.forged")
    try:
        assert api.client.get("/api/v1/auth/me").status_code == 401
    finally:
        api.client.cookies.clear()
