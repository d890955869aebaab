"""The governance pages in a real browser: headless Chromium (Debian's, via Playwright with
``executable_path``) against a live uvicorn server on a temporary SQLite database.

A user files a complaint through the form; a moderator finds the case at the top of the queue,
verifies the evidence and decides it (the ladder's warning); drafts the period's notice and publishes
it; the public notice (no login) shows the masked account id. A paused registration shows its message.
Screenshots go to /tmp/hegui-gov-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.governance.web_env import gov_env
from tests.service.live import live_server
from tests.service.web.conftest import PASSWORD, WebEnv, _migrated  # noqa: F401 - the migrated template
from tests.service.web.test_browser import CHROMIUM, _playwright

SHOTS = Path("/tmp")


@pytest.fixture
def live(tmp_path: Path, _migrated: Path) -> Iterator[tuple[str, WebEnv]]:  # noqa: F811
    env = gov_env(tmp_path, _migrated)
    try:
        with live_server(env.app) as url:
            yield url, env
    finally:
        env.dispatcher.close(wait=True)


def _login(page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/login?next={next_path}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:500]


def test_complaint_decision_notice_in_chromium(live: tuple[str, WebEnv]) -> None:
    sync_playwright = _playwright()
    base, _env = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            errors: list[str] = []
            page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))

            # 1. a user files a complaint
            _login(page, base, "developer", "/governance/complaints/new")
            page.select_option("#target_type", "account")
            page.fill("#target_uid", "wxid_seller8888yz")
            page.fill("#target_name", "张三丰")
            page.select_option("#category", "prohibited_goods")
            page.fill("#text", "朋友圈出售电子烟，代购香烟")
            page.fill("#ev_text", "电子烟批发，加微信下单")
            page.check("input[name=forwarded]")
            page.screenshot(path=str(SHOTS / "hegui-gov-1-complaint.png"), full_page=True)
            page.click("#complaint button[type=submit]")
            page.wait_for_url("**/complaints/new?case=*")
            assert page.locator("#complaint-done").count() == 1
            page.click("form[action='/logout'] button")
            page.wait_for_url("**/login")

            # 2. a moderator decides it from the queue
            _login(page, base, "moderator", "/governance/queue")
            page.screenshot(path=str(SHOTS / "hegui-gov-2-queue.png"), full_page=True)
            page.click("#queue tbody tr:first-child a")
            page.wait_for_url("**/governance/cases/*")
            assert "电子烟批发" in page.inner_text("#case-complaints")
            assert page.locator("#proposal").count() == 1
            page.select_option("#dcategory", "prohibited_goods")
            page.check("#verified")
            page.fill("#reason", "核实朋友圈截图，确认销售电子烟")
            page.screenshot(path=str(SHOTS / "hegui-gov-3-case.png"), full_page=True)
            page.click("#decide-form button[type=submit]")
            page.wait_for_load_state()
            assert page.inner_text("#case-status").strip() == "已处置"
            assert "警告" in page.inner_text("#case-decisions")

            # 3. the period's notice, published
            page.goto(f"{base}/governance/notices")
            today = date.today().isoformat()
            page.fill("#start", today)
            page.fill("#end", today)
            page.click("#gov-notice-new button[type=submit]")
            page.wait_for_url("**/governance/notices/*")
            assert "个人账号1个、群聊0个" in page.inner_text("#gov-notice")
            page.click("#publish")
            page.wait_for_url("**/governance/public/notices/*")
            public_url = page.url

            # 4. anyone sees the notice, identifiers masked
            anon = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            anon.goto(public_url)
            text = anon.inner_text("#gov-notice")
            assert "wxid_se****yz" in text and "wxid_seller8888yz" not in text and "张三丰" not in text
            anon.screenshot(path=str(SHOTS / "hegui-gov-4-public-notice.png"), full_page=True)

            # 5. a paused registration shows its message
            page.goto(f"{base}/governance/registration")
            page.fill("#channel", "*")
            page.check("input[name=paused]")
            page.fill("#message_zh", "系统合规升级，暂停新用户注册")
            page.fill("#resume_on", "2026-12-01")
            page.fill("#creason", "合规升级")
            page.click("#controls + section button[type=submit]")
            page.wait_for_url("**/governance/registration")
            anon.goto(f"{base}/governance/register?channel=phone")
            assert anon.inner_text("#pause-message") == "系统合规升级，暂停新用户注册"
            anon.screenshot(path=str(SHOTS / "hegui-gov-5-register.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()
