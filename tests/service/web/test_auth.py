"""Log in and out: the signed session cookie, its flags, CSRF on the login form, safe redirects."""

from __future__ import annotations

import time

from hegui.service.db.models import User
from hegui.service.web import auth
from tests.service.web.conftest import PASSWORD, SECRET, WebEnv, csrf_of


def test_login_sets_a_signed_httponly_lax_cookie_and_goes_home(web: WebEnv) -> None:
    c = web.client()
    page = c.get("/login")
    assert page.status_code == 200
    assert 'name="csrf"' in page.text and "hegui_pre=" in page.headers["set-cookie"]
    r = c.post("/login", data={"csrf": csrf_of(page.text), "username": "developer", "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/upload"
    cookie = r.headers["set-cookie"]
    assert "hegui_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert c.get("/upload").status_code == 200


def test_each_role_lands_on_its_start_page(web: WebEnv) -> None:
    for role, home in (("developer", "/upload"), ("store", "/dashboard"), ("regulator", "/dashboard")):
        c = web.as_role(role)
        assert c.get("/").headers["location"] == home


def test_wrong_password_is_refused_without_telling_which_part(web: WebEnv) -> None:
    c = web.client()
    for user, pw in (("developer", "nope"), ("nobody", PASSWORD)):
        page = c.get("/login")
        r = c.post("/login", data={"csrf": csrf_of(page.text), "username": user, "password": pw})
        assert r.status_code == 401
        assert "用户名或密码不正确" in r.text
        assert "hegui_session=" not in r.headers.get("set-cookie", "")


def test_login_without_or_with_a_foreign_csrf_token_is_refused(web: WebEnv) -> None:
    c = web.client()
    c.get("/login")
    r = c.post("/login", data={"username": "developer", "password": PASSWORD})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert "CSRF" in r.text
    other = web.client()
    token = csrf_of(other.get("/login").text)  # another visitor's token
    r = c.post("/login", data={"csrf": token, "username": "developer", "password": PASSWORD})
    assert r.status_code == 403


def test_anonymous_pages_redirect_to_login_and_back(web: WebEnv) -> None:
    c = web.client()
    r = c.get("/upload")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/upload"
    page = c.get(r.headers["location"])
    assert 'name="next" value="/upload"' in page.text
    r = c.post(
        "/login",
        data={"csrf": csrf_of(page.text), "username": "developer", "password": PASSWORD, "next": "/apps"},
    )
    assert r.headers["location"] == "/apps"


def test_next_cannot_leave_the_site(web: WebEnv) -> None:
    c = web.client()
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        page = c.get("/login")
        r = c.post(
            "/login",
            data={"csrf": csrf_of(page.text), "username": "developer", "password": PASSWORD, "next": target},
        )
        assert r.headers["location"] == "/upload", target
        c.cookies.clear()


def test_htmx_requests_get_hx_redirect_to_login(web: WebEnv) -> None:
    r = web.client().get("/upload", headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.headers["HX-Redirect"].startswith("/login")


def test_forged_expired_or_inactive_sessions_are_anonymous(web: WebEnv) -> None:
    key = SECRET.encode()
    uid = web.ids["regulator"]
    good = auth.sign(key, {"u": uid, "n": "abc", "e": int(time.time()) + 60})
    forged = auth.sign(b"another key", {"u": uid, "n": "abc", "e": int(time.time()) + 60})
    expired = auth.sign(key, {"u": uid, "n": "abc", "e": int(time.time()) - 1})
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    c = web.client()
    c.cookies.set("hegui_session", good)
    assert c.get("/dashboard").status_code == 200
    for value in (forged, expired, tampered, "garbage", "a.b.c"):
        c.cookies.set("hegui_session", value)
        assert c.get("/dashboard").status_code == 303, value
    with web.sessions() as s:
        s.get(User, uid).active = False  # type: ignore[union-attr]
        s.commit()
    c.cookies.set("hegui_session", good)
    assert c.get("/dashboard").status_code == 303


def test_logout_needs_the_token_and_ends_the_session(web: WebEnv) -> None:
    c = web.as_role("regulator")
    page = c.get("/dashboard")
    assert c.post("/logout").status_code == 403
    r = c.post("/logout", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert 'hegui_session=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]
    c.cookies.clear()
    assert c.get("/dashboard").status_code == 303


def test_the_session_cookie_also_authenticates_api_reads(web: WebEnv) -> None:
    c = web.as_role("store")
    r = c.get("/api/v1/gate", params={"package": "com.unknown", "version_code": 1})
    assert r.status_code == 200 and r.json()["status"] == "pending"
