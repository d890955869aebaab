from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

import pytest

from hegui.checks.model import Severity
from hegui.report import FORMATTERS
from hegui.report import html as html_mod
from hegui.report.html import bar_chart, html_formatter, requirements, when
from tests.report.builders import HOSTILE, hostile_report, make_report, rich_report

pytestmark = pytest.mark.usefixtures("fake_knowledge")


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Elements()
    p.feed(html)
    return p.tags


def count(html: str, cls: str, tag: str = "article") -> int:
    return sum(1 for t, a in elements(html) if t == tag and cls in (a.get("class") or "").split())


def test_html_is_registered() -> None:
    assert FORMATTERS["html"] is html_formatter


def test_every_section_in_chinese() -> None:
    report = rich_report()
    out = html_formatter.render(report)
    assert out.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in out
    ids = {a.get("id") for _, a in elements(out)}
    for section in (
        "verdict",
        "verdict-badge",
        "overview",
        "app-type",
        "findings",
        "suppressed",
        "dual-list",
        "sdks",
        "startup",
        "permissions",
        "notes",
    ):
        assert section in ids, section
    for expected in (
        "示例商城",
        "com.example.shop",
        "1.2.3 (123)",
        "ab" * 32,
        "2024-05-01 08:00:00 UTC",
        "hegui 0.1.0",
        "不通过",
        "已豁免 1 项（不计入结论）",
        "网络购物类",
        "友盟统计 SDK",
        "未识别的第三方代码",
        "无同意保护",
        "读取电话状态",
        "dex-malformed",
        "hegui.toml 中的一条豁免已过期",
        "PIPL",
        "第十三条",
        "在取得用户同意后再收集。",
    ):
        assert expected in out, expected


def test_english() -> None:
    out = html_formatter.render(rich_report(), lang="en")
    assert '<html lang="en">' in out
    for expected in (
        "Verdict",
        "fail",
        "Online shopping",
        "Umeng Analytics SDK",
        "needs a reviewer",
        "Suppressed",
    ):
        assert expected in out, expected
    assert "不通过" not in out


def test_findings_one_card_each_grouped_by_severity() -> None:
    report = rich_report()
    out = html_formatter.render(report)
    assert count(out, "finding") == len(report.findings)
    order = [
        a["data-severity"] for t, a in elements(out) if t == "article" and "is-suppressed" not in a["class"]
    ]
    ranks = [Severity(s).rank for s in order]
    assert ranks == sorted(ranks, reverse=True)
    suppressed = out[out.index('id="suppressed"') :]
    assert count(suppressed, "is-suppressed") == 1
    assert "内网测试地址，发布版不包含" in suppressed and "2099-12-31" in suppressed


def test_assisted_and_manual_findings_need_a_reviewer() -> None:
    report = make_report([Severity.low, Severity.high])  # the builder's low finding is "assisted"
    out = html_formatter.render(report)
    cards = re.findall(r"<article.*?</article>", out, re.S)
    low = next(c for c in cards if 'data-severity="low"' in c)
    high = next(c for c in cards if 'data-severity="high"' in c)
    assert "需复核人员确认" in low and "需复核人员确认" not in high


def test_app_type_not_given() -> None:
    assert make_report().facts.app_type is None
    assert "未提供，也未能推断" in html_formatter.render(make_report())
    assert "not given / not inferred" in html_formatter.render(make_report(), lang="en")


def test_self_contained_no_scripts_no_outside_assets() -> None:
    out = html_formatter.render(hostile_report())
    tags = elements(out)
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "object", "embed", "img", "base")]
    assert not [a for _, a in tags if "src" in a or any(k.startswith("on") for k in a)]
    assert "@import" not in out and "url(" not in out and "@font-face" not in out
    csp = next(a for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in (csp["content"] or "")
    # links only to plain http(s) pages (the vendor's privacy policy), never javascript:
    assert all((a.get("href") or "").startswith(("https://", "http://")) for t, a in tags if t == "a")


def test_hostile_strings_are_escaped() -> None:
    out = html_formatter.render(hostile_report())
    assert HOSTILE not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in out
    assert "<img" not in out and "<script" not in out
    title = re.search(r"<title>(.*?)</title>", out, re.S)
    assert title is not None and "&lt;script&gt;" in title.group(1)


def test_charts_are_inline_svg() -> None:
    out = html_formatter.render(rich_report())
    assert count(out, "chart", "svg") == 2
    chart = bar_chart([("<b>", 4, 1, "#000"), ("x", 2, 0, "#000")], title="<t>")
    assert "<b>" not in chart and "&lt;b&gt;" in chart and "&lt;t&gt;" in chart
    widths = [
        float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"[^>]*fill="#000" fill-opacity', chart)
    ]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_no_pi_no_owner_chart() -> None:
    out = html_formatter.render(make_report(sites=[]))
    assert count(out, "chart", "svg") == 1
    assert "代码中未发现可触达的个人信息。" in out


def test_expand_opens_every_details() -> None:
    closed = html_formatter.render(rich_report())
    opened = html_formatter.render(rich_report(), expand=True)
    assert not [a for t, a in elements(closed) if t == "details" and "open" in a]
    details = [a for t, a in elements(opened) if t == "details"]
    assert details and all("open" in a for a in details)


def test_without_the_rulebook_findings_keep_their_legal_basis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "hegui.knowledge.rulebook", None)  # import fails
    html_mod._rulebook.cache_clear()
    try:
        assert requirements("HG-SDK-001", "zh") == []
        out = html_formatter.render(rich_report())
        assert "对应的合规要求" not in out
        assert "PIPL" in out and "第十三条" in out
    finally:
        monkeypatch.undo()
        html_mod._rulebook.cache_clear()


def test_when() -> None:
    assert when("2024-05-01T08:00:00+00:00") == "2024-05-01 08:00:00 UTC"
    assert when("2024-05-01T16:00:00+08:00") == "2024-05-01 16:00:00+08:00"
    assert when("yesterday") == "yesterday"


def test_no_knowledge_still_renders(no_knowledge: None) -> None:
    out = html_formatter.render(rich_report())
    assert "device_id.imei" in out and count(out, "finding") == len(rich_report().findings)
