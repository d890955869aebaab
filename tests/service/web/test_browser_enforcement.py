"""Issue 6 in a real browser (headless Chromium through Playwright, a live uvicorn server, as
``test_browser.py``): a regulator orders a removal (下架) on the removals page and the gate, asked
by a store user, flips from ``allowed`` to ``blocked``; lifting it flips it back. Then a campaign
(专项检测) over a folder of APKs on the server is started from its page, whose progress htmx polls
until the report shows the failing APK as a candidate for the next notice.

Screenshots go to /tmp/hegui-ui-removal-*.png and /tmp/hegui-ui-campaign-*.png.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service.live import live_server
from tests.service.web.conftest import FIXTURES, WebEnv, make_env
from tests.service.web.test_browser import CHROMIUM, SHOTS, _login, _playwright

PACKAGE = "com.hegui.fixture.noconsent"


@pytest.fixture
def live(tmp_path: Path, _migrated: Path) -> Iterator[tuple[str, WebEnv]]:
    env = make_env(tmp_path, _migrated)  # threshold 3: one failing version is allowed (row 6)
    try:
        with live_server(env.app) as url:
            yield url, env
    finally:
        env.dispatcher.close(wait=True)


def _gate(page: Any, base: str, version_code: int) -> dict[str, Any]:
    response = page.goto(f"{base}/api/v1/gate?package={PACKAGE}&version_code={version_code}")
    assert response is not None and response.status == 200
    return json.loads(response.text())


def test_a_removal_ordered_on_the_page_blocks_the_gate(
    live: tuple[str, WebEnv], reports: dict[str, dict[str, Any]]
) -> None:
    sync_playwright = _playwright()
    base, env = live
    app_id, _v, _r = env.seed_result(reports["sdk_no_consent"], name="No Consent Fixture")
    code = int(reports["sdk_no_consent"]["facts"]["version_code"])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            store = browser.new_context(locale="zh-CN").new_page()
            _login(store, base, "store")
            assert _gate(store, base, code)["status"] == "allowed"

            page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            _login(page, base, "regulator")
            page.click("nav a[href='/removals']")
            page.wait_for_url("**/removals")
            page.select_option("#app_id", str(app_id))
            page.fill("#reason", "逾期未整改，依法下架")
            page.screenshot(path=str(SHOTS / "hegui-ui-removal-1-form.png"), full_page=True)
            page.click("#removal-submit")
            page.wait_for_url("**/removals")
            row = page.locator("#removal-list tbody tr").first
            assert "下架中" in row.inner_text() and "逾期未整改，依法下架" in row.inner_text()
            page.screenshot(path=str(SHOTS / "hegui-ui-removal-2-listed.png"), full_page=True)

            gate = _gate(store, base, code)
            assert gate["status"] == "blocked", gate
            store.goto(f"{base}/removals")  # the store sees the removal, without the decision forms
            assert "逾期未整改，依法下架" in store.inner_text("#removal-list")
            assert store.locator("#removal-new").count() == 0

            page.fill("#removal-list textarea[name=reason]", "已完成整改")
            page.click("#removal-list button[type=submit]")
            page.wait_for_url("**/removals")
            assert "已解除" in page.inner_text("#removal-list")
            assert _gate(store, base, code)["status"] == "allowed"
            assert not errors, errors
        finally:
            browser.close()


def test_a_campaign_started_on_its_page_is_polled_to_its_report(live: tuple[str, WebEnv]) -> None:
    sync_playwright = _playwright()
    base, env = live
    folder = env.settings.campaign_root / "2026-q1"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "sdk_no_consent.apk", folder / "a.apk")
    shutil.copy(FIXTURES / "clean.apk", folder / "b.apk")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            _login(page, base, "regulator")
            page.goto(f"{base}/campaigns")
            page.fill("#name", "2026年第一季度专项检测")
            page.check("input[name=source][value=folder]")
            page.fill("#path", "2026-q1")
            page.select_option("#organisation_id", str(env.ids["org"]))
            page.screenshot(path=str(SHOTS / "hegui-ui-campaign-1-form.png"), full_page=True)
            page.click("#campaign-submit")
            page.wait_for_url("**/campaigns/*")
            page.locator("#campaign-state[data-finished=yes]").wait_for(timeout=120_000)  # htmx polling
            assert page.inner_text("#fig-tested") == "2" and page.inner_text("#fig-failing") == "1"
            assert PACKAGE in page.inner_text("#campaign-candidates")
            page.screenshot(path=str(SHOTS / "hegui-ui-campaign-2-report.png"), full_page=True)
            page.click("#campaign-to-notice")
            page.wait_for_url("**/notices?campaign_id=*")
            assert not errors, errors
        finally:
            browser.close()
