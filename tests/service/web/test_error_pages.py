"""Errors on non-API paths are the UI's pages (zh/en); API paths keep the JSON envelope (issue 6)."""

from __future__ import annotations

import pytest
from fastapi import APIRouter

from hegui.service.errors import StateError
from hegui.service.web.messages import error_text
from tests.service.web.conftest import WebEnv


def _is_page(r) -> bool:  # noqa: ANN001
    return r.headers["content-type"].startswith("text/html") and 'id="error-title"' in r.text


def test_an_unknown_path_is_a_404_page_in_both_languages(web: WebEnv) -> None:
    c = web.client()
    r = c.get("/no/such/page")
    assert r.status_code == 404 and _is_page(r)
    assert "页面不存在" in r.text and "Not Found" not in r.text
    assert "content-security-policy" in r.headers
    en = c.get("/no/such/page?lang=en")
    assert en.status_code == 404 and _is_page(en) and "There is no such page" in en.text


def test_the_404_page_knows_the_logged_in_user(web: WebEnv) -> None:
    r = web.as_role("regulator").get("/nope")
    assert r.status_code == 404 and _is_page(r) and 'href="/notices"' in r.text  # the regulator's nav


def test_a_wrong_method_on_a_page_is_a_405_page(web: WebEnv) -> None:
    r = web.client().put("/login")
    assert r.status_code == 405 and _is_page(r) and "不支持该请求方法" in r.text
    assert "GET" in r.headers.get("allow", "")


def test_api_paths_keep_the_json_envelope(web: WebEnv) -> None:
    c = web.client()
    for method, path, status in (("get", "/api/v1/nope", 404), ("put", "/api/v1/health", 405)):
        r = getattr(c, method)(path)
        assert r.status_code == status and r.headers["content-type"].startswith("application/json")
        assert set(r.json()["error"]) >= {"kind", "message"}


def test_an_unexpected_error_outside_the_pages_routes_is_a_500_page(web: WebEnv) -> None:
    router = APIRouter()

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    @router.get("/api/v1/boom")
    def api_boom() -> None:
        raise RuntimeError("secret internals")

    web.app.include_router(router)
    c = web.client()
    c_raise = type(c)(web.app, raise_server_exceptions=False)
    r = c_raise.get("/boom")
    assert r.status_code == 500 and _is_page(r) and "secret internals" not in r.text and "已记录" in r.text
    api = c_raise.get("/api/v1/boom")
    assert api.status_code == 500 and api.json()["error"]["kind"] == "internal"


@pytest.mark.parametrize(
    ("exc", "zh", "en"),
    [
        (
            StateError("x is not removed; nothing to lift", zh="x 未下架，无需解除。"),
            "x 未下架",
            "x is not removed",
        ),
        (StateError("untranslated English detail"), "当前状态不允许此操作", "untranslated English detail"),
    ],
)
def test_service_errors_are_chinese_on_chinese_pages(exc, zh, en) -> None:  # noqa: ANN001
    assert zh in error_text(exc, "zh") and "English" not in error_text(exc, "zh")
    assert en in error_text(exc, "en")


def test_a_refused_decision_on_a_zh_page_is_in_chinese(web: WebEnv) -> None:
    from tests.service.web.conftest import csrf_of

    c = web.as_role("regulator")
    token = csrf_of(c.get("/notices").text)
    r = c.post("/notices", data={"csrf": token, "title": "空通报", "deadline": "2099-01-01"})
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    r = c.post(f"{url}/publish", data={"csrf": token, "confirm": "yes"})
    assert r.status_code == 409 and "通报中还没有应用" in r.text and "names no app" not in r.text
    en = c.post(f"{url}/publish?lang=en", data={"csrf": token, "confirm": "yes"})
    assert en.status_code == 409 and "names no app" in en.text
