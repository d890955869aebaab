"""Errors are pages (never a traceback, never the API's JSON), static files, security headers."""

from __future__ import annotations

import pytest

from hegui.service.web import queries
from tests.service.web.conftest import WebEnv, csrf_of


def test_an_internal_error_is_a_page_without_details(web: WebEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(queries, "dashboard", boom)
    r = web.as_role("regulator").get("/dashboard")
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "服务器内部错误" in r.text
    assert "Traceback" not in r.text and "secret internals" not in r.text and "RuntimeError" not in r.text


def test_not_found_and_bad_ids_are_pages(web: WebEnv) -> None:
    c = web.as_role("admin")
    for path in ("/results/999", "/jobs/999", "/notices/999", "/orgs/999", "/results/abc"):
        r = c.get(path)
        assert r.status_code in (404, 422), path
        assert r.headers["content-type"].startswith("text/html") and 'id="error-title"' in r.text


def test_a_form_over_the_size_limit_is_refused(web: WebEnv) -> None:
    c = web.as_role("regulator")
    token = csrf_of(c.get("/notices").text)
    r = c.post("/notices", data={"csrf": token, "title": "x" * 300_000, "deadline": "2099-01-01"})
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")


def test_static_files_and_nothing_else(web: WebEnv) -> None:
    c = web.client()
    js = c.get("/static/htmx.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert js.text.startswith("var htmx=")
    css = c.get("/static/report.css")
    assert css.status_code == 200 and "--accent: #1e3a8a" in css.text  # the HTML report's own CSS
    assert c.get("/static/ui.css").status_code == 200 and c.get("/static/htmx.LICENSE").status_code == 200
    for name in ("README.md", "..%2Froutes.py", "nope.js"):
        assert c.get(f"/static/{name}").status_code == 404, name


def test_pages_carry_a_strict_content_security_policy(web: WebEnv) -> None:
    r = web.client().get("/login")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text  # no inline script anywhere: htmx and ui.js are files
