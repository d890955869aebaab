"""The HTML report as a browser lays it out, at a desktop and a phone width.

Playwright drives Debian's Chromium (``/usr/bin/chromium``, or ``$HEGUI_CHROMIUM``). Screenshots go
to pytest's ``tmp_path``, and one per width also to ``/tmp/hegui-report-<width>.png`` for people
to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hegui.api import scan
from hegui.report.html import html_formatter
from hegui.report.model import Report
from tests.report.builders import rich_report

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)

CHROMIUM = os.environ.get("HEGUI_CHROMIUM") or "/usr/bin/chromium"
if shutil.which(CHROMIUM) is None:
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "apk" / "sdk_no_consent.apk"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=shutil.which(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def scanned() -> Report:
    return scan(FIXTURE)


def _open(browser, tmp_path: Path, report: Report, size: tuple[int, int], lang: str = "zh"):
    page_file = tmp_path / f"report-{lang}.html"
    page_file.write_text(html_formatter.render(report, lang=lang), encoding="utf-8")
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(page_file.as_uri())
    return page


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


def _check_layout(page, report: Report, size: tuple[int, int]) -> None:
    width, height = size
    badge = _box(page, "#verdict-badge")
    assert badge["y"] + badge["height"] <= height, "the verdict badge must be on the first screen"
    assert badge["x"] >= 0 and badge["x"] + badge["width"] <= width
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"horizontal overflow: {scroll_width} > {width}"
    assert page.locator("article.finding").count() == len(report.findings)
    charts = page.locator("svg.chart")
    assert charts.count() >= 1
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 50 and box["height"] > 20
        assert box["x"] + box["width"] <= width
    assert page.locator("#dual-list").count() == 1
    assert page.locator("#dual-list table").count() >= 1
    # CJK glyphs are drawn: a heading's text has width, and Chinese runs about one em per character
    # (a missing font would give narrow boxes or nothing)
    han = _text_width(page, "合规检测")
    assert han > 0
    assert han >= 1.5 * _text_width(page, "iiii")
    title = page.locator("h2").first.bounding_box()
    assert title is not None and title["width"] > 0
    # and they are real glyphs: without a CJK font every character is the same empty box
    he, gui, blank = _glyphs(page, ["合", "规", " "])
    assert he != gui and he != blank, "CJK glyphs render as boxes: apt-get install fonts-noto-cjk"


def _glyphs(page, chars: list[str]) -> list[str]:
    """Each character drawn in the body's font on a small canvas, as a data URL."""
    return page.evaluate(
        """(chars) => chars.map((ch) => { const c = document.createElement('canvas'); c.width = c.height = 40;
             const x = c.getContext('2d'); x.font = '32px ' + getComputedStyle(document.body).fontFamily;
             x.fillText(ch, 2, 34); return c.toDataURL(); })""",
        chars,
    )


def _text_width(page, text: str) -> float:
    return page.evaluate(
        """(text) => { const s = document.createElement('span'); s.textContent = text;
             s.style.fontSize = '20px'; s.style.position = 'absolute'; document.body.appendChild(s);
             const w = s.getBoundingClientRect().width; s.remove(); return w; }""",
        text,
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_scanned_fixture_layout(browser, scanned: Report, tmp_path: Path, viewport: str) -> None:
    size = VIEWPORTS[viewport]
    page = _open(browser, tmp_path, scanned, size)
    try:
        _check_layout(page, scanned, size)
        shot = tmp_path / f"report-{size[0]}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        shutil.copyfile(shot, f"/tmp/hegui-report-{size[0]}.png")
    finally:
        page.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_section_layout(browser, tmp_path: Path, viewport: str, lang: str) -> None:
    """A report with every section filled (SDKs, startup chains, suppressed findings, notes)."""
    report = rich_report()
    size = VIEWPORTS[viewport]
    page = _open(browser, tmp_path, report, size, lang)
    try:
        _check_layout(page, report, size)
        assert page.locator("#suppressed article.finding").count() == 1
        page.screenshot(path=str(tmp_path / f"rich-{lang}-{size[0]}.png"), full_page=True)
    finally:
        page.close()


def test_evidence_opens_on_click(browser, scanned: Report, tmp_path: Path) -> None:
    page = _open(browser, tmp_path, scanned, VIEWPORTS["desktop"])
    try:
        details = page.locator("article.finding details.evidence-details").first
        evidence = details.locator("ul.evidence")
        assert not evidence.is_visible()
        details.locator("summary").click()
        assert evidence.is_visible()
    finally:
        page.close()
