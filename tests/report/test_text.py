from __future__ import annotations

import pytest
from rich.cells import cell_len

from hegui.checks.model import Evidence, Severity
from hegui.report import FORMATTERS
from hegui.report.labels import LANGS, keys, label
from hegui.report.text import DEFAULT_WIDTH, evidence_summary, text_formatter
from tests.report.builders import IMEI_API, MAIN_ON_CREATE, call_sites, make_report

pytestmark = pytest.mark.usefixtures("fake_knowledge")


def test_text_is_registered() -> None:
    assert FORMATTERS["text"] is text_formatter
    assert text_formatter.name == "text"


def test_chinese_report_has_every_section(report) -> None:
    out = text_formatter.render(report, width=300)
    for expected in (
        "hegui 个人信息合规检测报告",
        "包名",
        "com.example.shop",
        "1.2.3 (123)",
        "最低 21 / 目标 33",
        "CN=Example Shop, O=Example, C=CN",
        "sha256 cdcdcdcdcdcdcdcd…",
        "v1+v2",
        "ab" * 32,
        "结论: 不通过",
        "HG-PI-001 启动时收集设备标识",
        "申请的权限 (5)",
        "读取电话状态",
        "代码中可触达的个人信息 (46)",
        "国际移动设备识别码（device_id.imei）",
        "[敏感个人信息]",
        "检测发现 (5)",
        "整改建议",
        "合计: 严重 1 · 高 1 · 中 1 · 低 1 · 提示 1",
        "分析说明 (2)",
        "dex-malformed",
    ):
        assert expected in out, expected


def test_english_report_uses_english_labels_and_names(report) -> None:
    out = text_formatter.render(report, lang="en", width=300)  # wide: no wrapping inside cells
    for expected in (
        "hegui personal-information compliance report",
        "Package",
        "Verdict: fail",
        "Requested permissions (5)",
        "Read phone state",
        "Personal information reachable in code (46)",
        "IMEI (device_id.imei)",
        "[sensitive PI]",
        "Device ID collected at start-up",
        "Collect only after the user agrees.",
        "Analysis notes (2)",
    ):
        assert expected in out, expected
    assert "包名" not in out and "结论" not in out


def test_call_sites_show_caller_class_and_method(report) -> None:
    out = text_formatter.render(report)
    assert "TelephonyManager.getDeviceId()" in out
    assert "com.example.shop.MainActivity" in out
    assert "onCreate(Bundle)" in out
    assert "com.example.shop.util.Device0" in out
    assert "collect25(Context, byte[], int)" in out
    assert "sdk:umeng" in out or "sdk:amap" in out


def test_identical_call_sites_are_counted_once() -> None:
    out = text_formatter.render(make_report(n_imei=0))
    row = next(line for line in out.splitlines() if "onCreate(Bundle)" in line and "getDeviceId" in line)
    assert row.rstrip().endswith("2")


def test_hundreds_of_call_sites_stay_readable() -> None:
    report = make_report(n_imei=800)
    out = text_formatter.render(report)
    # 800 sites in 800 methods: only the first 10 rows are shown, the rest counted
    assert "… 另有 791 处" in out
    assert len(out.splitlines()) < 200
    en = text_formatter.render(report, lang="en")
    assert "… and 791 more" in en and "--format json" in en


@pytest.mark.parametrize("lang", LANGS)
def test_lines_fit_the_width(report, lang: str) -> None:
    out = text_formatter.render(report, lang=lang)
    assert max(cell_len(line) for line in out.splitlines()) <= DEFAULT_WIDTH
    assert "\x1b[" not in out  # no colour codes in captured text
    assert all(line == line.rstrip() for line in out.splitlines())


def test_markup_in_data_is_shown_literally(report) -> None:
    out = text_formatter.render(report)
    assert "'[red]content://sms/inbox'" in out


def test_render_never_prints(report, capsys) -> None:
    text_formatter.render(report)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_pass_verdict_and_empty_sections() -> None:
    report = make_report([], sites=[])
    out = text_formatter.render(report)
    assert "结论: 通过" in out
    assert "无检测发现。" in out
    assert "未发现调用个人信息相关 API。" in out
    assert "Verdict: pass" in text_formatter.render(report, lang="en")


def test_needs_review_verdict() -> None:
    out = text_formatter.render(make_report([Severity.medium]), lang="en")
    assert "Verdict: needs review" in out
    assert "confidence: medium" in out


@pytest.mark.usefixtures("no_knowledge")
def test_renders_without_knowledge_files(report) -> None:
    out = text_formatter.render(report)
    assert "device_id.imei" in out  # the id stands in for the name
    assert "android.permission.CAMERA" in out


def test_evidence_summary_by_kind() -> None:
    ev = Evidence(kind="call_site", api=IMEI_API, caller=MAIN_ON_CREATE, owner="sdk:umeng")
    assert evidence_summary(ev) == (
        "TelephonyManager.getDeviceId() ← com.example.shop.MainActivity.onCreate(Bundle) (sdk:umeng)"
    )
    manifest = Evidence(
        kind="manifest", file="AndroidManifest.xml", element="application/@debuggable", value="true"
    )
    assert evidence_summary(manifest) == "AndroidManifest.xml application/@debuggable = true"
    assert evidence_summary(Evidence(kind="permission", value="android.permission.CAMERA")) == (
        "android.permission.CAMERA"
    )
    assert evidence_summary(Evidence(kind="note")) == "note"


def test_every_label_is_bilingual() -> None:
    for key in keys():
        zh, en = label(key, "zh"), label(key, "en")
        assert zh and en, key
    assert label("more", "en", n=3).startswith("… and 3 more")


def test_unknown_lang_falls_back_to_chinese(report) -> None:
    assert "包名" in text_formatter.render(report, lang="fr")


def test_renderables_for_terminal(report) -> None:
    parts = text_formatter.renderables(report, lang="en")
    assert len(parts) >= 5


def test_many_sites_across_types() -> None:
    sites = call_sites(5) * 50  # duplicates everywhere
    out = text_formatter.render(make_report(sites=sites), lang="en")
    assert "call sites 350, calling methods 6" in out  # (5 + 2) IMEI sites x 50
