"""Every page in Chinese (the default) and English (``?lang=en``, remembered in a cookie)."""

from __future__ import annotations

import re
from typing import Any

from hegui.service.web import i18n
from tests.service.web.conftest import WebEnv


def test_chinese_by_default_english_on_request_and_remembered(web: WebEnv) -> None:
    c = web.client()
    assert '<html lang="zh-CN">' in c.get("/login").text
    r = c.get("/login?lang=en")
    assert '<html lang="en">' in r.text and ">Log in<" in r.text
    assert "hegui_lang=en" in r.headers["set-cookie"]
    assert ">Log in<" in c.get("/login").text  # the cookie
    assert "登录" in c.get("/login?lang=zh").text


def test_the_language_switch_keeps_the_query(web: WebEnv) -> None:
    html = web.as_role("regulator").get("/dashboard?x=1").text
    assert 'href="/dashboard?x=1&amp;lang=en"' in html


def test_pages_in_both_languages(web: WebEnv, reports: dict[str, dict[str, Any]]) -> None:
    app_id, _v, result_id = web.seed_result(reports["sdk_no_consent"])
    batch = web.notice([app_id], publish=True)
    c = web.as_role("admin")
    checks = {
        "/dashboard": ("专项检测概览", "Campaign dashboard"),
        "/upload": ("上传安装包送检", "Upload an APK for testing"),
        f"/results/{result_id}": ("不通过", "fail"),
        f"/results/{result_id}/review": ("复核清单", "Review checklist"),
        "/notices": ("通报批次", "Notice batches"),
        f"/orgs/{web.ids['org']}": ("上架前检测", "Review before release"),
        f"/public/notices/{batch}": ("应用开发者", "Developer"),
    }
    for path, (zh, en) in checks.items():
        assert zh in c.get(path + "?lang=zh").text, path
        assert en in c.get(path + "?lang=en").text, path
    report = c.get(f"/results/{result_id}/report?lang=en").text
    assert 'lang="en"' in report and "Verdict" in report


def test_every_key_used_in_templates_exists_in_both_languages() -> None:
    from importlib.resources import files

    used: set[str] = set()
    for f in files("hegui.service.web").joinpath("templates").iterdir():
        used |= set(re.findall(r'\bt\("([a-z0-9_]+)"', f.read_text(encoding="utf-8")))
    dynamic = {k for k in used if k.endswith("_")}
    missing = sorted(used - dynamic - i18n.keys())
    assert not missing, missing
