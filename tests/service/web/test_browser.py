"""The issue's "done when" in a real browser: headless Chromium (Debian's, driven by Playwright with
``executable_path``) against a live uvicorn server on a free loopback port, a temporary SQLite
database and the in-process job engine.

A developer uploads ``sdk_no_consent.apk`` through the form and sees the verdict 不通过; a regulator
drafts a notice naming that app and publishes it; the public notice page lists it; and the gate,
asked by a store user, answers ``blocked``. The strike threshold is 0 in this test's settings, so
this one notice puts the organisation under review before release (more than 0 notices in the
year), and a version that failed is then blocked at the gate.

Screenshots go to /tmp/hegui-ui-*.png.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.service.live import live_server
from tests.service.web.conftest import FIXTURES, PASSWORD, WebEnv, make_env

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp")
PACKAGE = "com.hegui.fixture.noconsent"


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    return sync_playwright


@pytest.fixture
def live(tmp_path: Path, _migrated: Path) -> Iterator[tuple[str, WebEnv]]:
    env = make_env(tmp_path, _migrated, strike_threshold=0)  # one notice → review before release
    try:
        with live_server(env.app) as url:
            yield url, env
    finally:
        env.dispatcher.close(wait=True)


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:500]


def _logout(page) -> None:
    page.click("form[action='/logout'] button")
    page.wait_for_url("**/login")


def test_upload_verdict_notice_publish_gate_blocked(live: tuple[str, WebEnv]) -> None:
    sync_playwright = _playwright()
    base, env = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            # 1. a developer uploads the APK through the form (htmx: progress bar, then the job page)
            _login(page, base, "developer")
            page.goto(f"{base}/upload")
            page.screenshot(path=str(SHOTS / "hegui-ui-1-upload.png"), full_page=True)
            page.set_input_files("#file", str(FIXTURES / "sdk_no_consent.apk"))
            page.click("#upload-form button[type=submit]")
            page.wait_for_url("**/jobs/*", timeout=30_000)
            badge = page.locator("#verdict-badge")
            badge.wait_for(timeout=120_000)  # polled by htmx every 2 s until the verdict
            assert badge.inner_text().strip() == "不通过"
            assert badge.get_attribute("data-verdict") == "fail"
            page.screenshot(path=str(SHOTS / "hegui-ui-2-job-verdict.png"), full_page=True)
            page.click("#report-link")
            page.wait_for_url("**/results/*")
            frame = page.frame_locator("iframe.report")
            assert frame.locator("#verdict-badge").inner_text().strip() == "不通过"
            page.screenshot(path=str(SHOTS / "hegui-ui-3-result.png"))
            _logout(page)

            # 2. a reviewer's checklist (looked at, not required for the flow)
            _login(page, base, "reviewer")
            page.goto(base + "/apps")
            page.click("#apps a[href^='/results/']")
            page.wait_for_url("**/results/*")
            page.goto(page.url + "/review")
            assert page.locator("#review-findings .check-item").count() >= 2
            page.screenshot(path=str(SHOTS / "hegui-ui-4-review.png"))
            _logout(page)

            # 3. a regulator drafts a notice with that app and publishes it
            _login(page, base, "regulator")
            page.goto(f"{base}/notices")
            page.fill("#number", "2026年第1批")
            page.fill("#deadline", (date.today() + timedelta(days=15)).isoformat())
            page.click("#notice-new button[type=submit]")
            page.wait_for_url("**/notices/*")
            page.click(f"#candidates button[data-package='{PACKAGE}']")
            page.wait_for_load_state()
            assert page.locator("#entries table tbody tr").count() == 1
            page.screenshot(path=str(SHOTS / "hegui-ui-5-notice-draft.png"), full_page=True)
            page.click("#publish-link")
            page.wait_for_url("**/publish")
            page.check("#confirm-box")
            page.screenshot(path=str(SHOTS / "hegui-ui-6-publish-confirm.png"), full_page=True)
            page.click("#publish-button")
            page.wait_for_url("**/notices/*")
            assert "已发布" in page.inner_text(".page-head")
            public_href = page.get_attribute("a[href^='/public/notices/']", "href")
            assert public_href
            page.goto(f"{base}/orgs/{env.ids['org']}")
            assert page.locator("#release-review .badge").count() == 1  # under review before release
            page.screenshot(path=str(SHOTS / "hegui-ui-7-org.png"), full_page=True)
            _logout(page)

            # 4. the public notice page (no login) lists the app
            anon = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            anon.goto(base + public_href)
            heading = anon.inner_text("#notice-heading")
            assert heading.startswith("关于侵害用户权益行为的APP通报") and "（2026年第1批）" in heading
            rows = anon.locator("#public-notice table tbody tr")
            assert rows.count() == 1
            assert "No Consent Fixture" in rows.first.inner_text()
            assert "org Ltd" in rows.first.inner_text()
            anon.screenshot(path=str(SHOTS / "hegui-ui-8-public-notice.png"), full_page=True)

            # 5. the gate, asked by a store user, says blocked
            _login(page, base, "store")
            page.screenshot(path=str(SHOTS / "hegui-ui-9-dashboard.png"), full_page=True)
            page.goto(f"{base}/dashboard?lang=en")
            page.screenshot(path=str(SHOTS / "hegui-ui-10-dashboard-en.png"), full_page=True)
            phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            phone.goto(base + public_href)
            phone.screenshot(path=str(SHOTS / "hegui-ui-11-public-notice-phone.png"), full_page=True)
            response = page.goto(f"{base}/api/v1/gate?package={PACKAGE}&version_code=1")
            assert response is not None and response.status == 200
            gate = json.loads(response.text())
            assert gate["status"] == "blocked", gate
            assert not errors, errors
        finally:
            browser.close()
