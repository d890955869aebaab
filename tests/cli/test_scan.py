from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import hegui.cli.main as cli
from hegui.checks.model import Severity
from hegui.errors import ApkError, KnowledgeError
from hegui.report.model import Report

S = Severity
app = cli.app


def _run(runner, *args: str, **kw):
    return runner.invoke(app, [str(a) for a in args], **kw)


def _one_error_line(result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# -- exit codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severities", "fail_on", "code"),
    [
        ([S.high], None, 1),  # default --fail-on high
        ([S.critical], None, 1),
        ([S.medium, S.low], None, 0),
        ([], None, 0),
        ([S.medium], "medium", 1),
        ([S.low], "medium", 0),
        ([S.info], "info", 1),
        ([], "info", 0),
        ([S.high], "critical", 0),
        ([S.critical], "critical", 1),
        ([S.critical, S.high], "never", 0),
        ([S.low], "low", 1),
    ],
)
def test_exit_code_follows_fail_on(runner, apk, scan_returns, severities, fail_on, code) -> None:
    scan_returns(severities)
    args = ["scan", apk] + (["--fail-on", fail_on] if fail_on else [])
    result = _run(runner, *args)
    assert result.exit_code == code, result.output
    assert result.stderr == ""


def test_invalid_fail_on_is_a_usage_error(runner, apk, scan_returns) -> None:
    scan_returns([])
    assert _run(runner, "scan", apk, "--fail-on", "severe").exit_code == 2


# -- errors: one line, never a traceback ---------------------------------------------------------


def test_apk_error_is_one_line(runner, apk, scan_returns) -> None:
    scan_returns(ApkError("not_apk", "not a ZIP archive; is this an APK?"))
    result = _run(runner, "scan", apk)
    assert result.exit_code == 2
    assert _one_error_line(result) == f"hegui: {apk}: not_apk: not a ZIP archive; is this an APK?"
    assert result.stdout == ""


def test_multiline_messages_become_one_line(runner, apk, scan_returns) -> None:
    scan_returns(KnowledgeError("sdks.yaml entry 3:\n  field required\n  (reinstall hegui)"))
    result = _run(runner, "scan", apk)
    assert result.exit_code == 2
    assert (
        _one_error_line(result)
        == f"hegui: {apk}: knowledge: sdks.yaml entry 3: field required (reinstall hegui)"
    )


def test_unexpected_exception_is_one_line_with_a_hint(runner, apk, scan_returns, monkeypatch) -> None:
    monkeypatch.delenv("HEGUI_DEBUG", raising=False)
    scan_returns(ZeroDivisionError("division by zero"))
    result = _run(runner, "scan", apk)
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert line.startswith(f"hegui: {apk}: internal: ZeroDivisionError: division by zero (")
    assert "report it" in line and "HEGUI_DEBUG=1" in line


def test_hegui_debug_shows_the_exception(runner, apk, scan_returns) -> None:
    scan_returns(ZeroDivisionError("division by zero"))
    result = _run(runner, "scan", apk, env={"HEGUI_DEBUG": "1"})
    assert isinstance(result.exception, ZeroDivisionError)


def test_missing_file(runner, tmp_path) -> None:
    result = _run(runner, "scan", tmp_path / "nope.apk")
    assert result.exit_code == 2
    assert _one_error_line(result) == f"hegui: {tmp_path / 'nope.apk'}: io: no such file or folder"


def test_single_apk_time_out(runner, apk, monkeypatch) -> None:
    def slow(path: Path, options=None) -> Report:
        time.sleep(10)
        raise AssertionError("not reached")

    monkeypatch.setattr(cli, "scan_apk", slow)
    started = time.monotonic()
    result = _run(runner, "scan", apk, "--timeout", "0.3")
    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    assert _one_error_line(result).startswith(f"hegui: {apk}: timeout: analysis took longer than 0.3 s")


def test_unknown_format(runner, apk, scan_returns) -> None:
    scan_returns([])
    result = _run(runner, "scan", apk, "--format", "xml")
    assert result.exit_code == 2
    assert _one_error_line(result) == (
        "hegui: --format: formatter: unknown output format 'xml'; choose one of: "
        "text, json, sarif, html, pdf, dual-list-md, dual-list-html, dual-list-csv"
    )


def test_real_scan_of_a_non_apk_is_one_line(runner, tmp_path) -> None:
    """Through the real library: whatever state it is in, a text file never gives a traceback."""
    bad = tmp_path / "bad.apk"
    bad.write_text("this is not a zip file", encoding="utf-8")
    result = _run(runner, "scan", bad)
    assert result.exit_code == 2
    assert _one_error_line(result).startswith(f"hegui: {bad}: ")


# -- output ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("fake_knowledge")
def test_text_output_zh_and_en(runner, apk, scan_returns) -> None:
    scan_returns([S.medium])
    zh = _run(runner, "scan", apk)
    assert zh.exit_code == 0
    assert "结论: 需人工复核" in zh.stdout and "国际移动设备识别码" in zh.stdout
    en = _run(runner, "scan", apk, "--lang", "en")
    assert "Verdict: needs review" in en.stdout and "IMEI (device_id.imei)" in en.stdout


def test_json_output_to_stdout(runner, apk, scan_returns) -> None:
    scan_returns([S.high])
    result = _run(runner, "scan", apk, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["findings"][0]["severity"] == "high"
    assert data["facts"]["package"] == "com.example.shop"


def test_out_file(runner, apk, scan_returns, tmp_path) -> None:
    scan_returns([])
    out = tmp_path / "report.json"
    result = _run(runner, "scan", apk, "-f", "json", "--out", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"]["status"] == "pass"


def test_out_file_that_cannot_be_written(runner, apk, scan_returns, tmp_path) -> None:
    scan_returns([])
    out = tmp_path / "no" / "such" / "dir" / "r.txt"
    result = _run(runner, "scan", apk, "--out", out)
    assert result.exit_code == 2
    assert _one_error_line(result).startswith(f"hegui: {out}: io: cannot write the output")


# -- other commands --------------------------------------------------------------------------------


def test_version(runner) -> None:
    result = _run(runner, "version")
    assert result.exit_code == 0
    assert result.stdout.startswith("hegui 0.1.0 (report schema 1.2")


def test_rules(runner, monkeypatch) -> None:
    from hegui.checks.model import LegalBasis, Rule, Text

    rules = [
        Rule(
            id="HG-PI-001",
            family="PI",
            title=Text(zh="启动时收集设备标识", en="Device ID collected at start-up"),
            description=Text(zh="d", en="d"),
            advice=Text(zh="a", en="a"),
            severity=S.high,
            legal_basis=[
                LegalBasis(law="164号文", article="一(2)"),
                LegalBasis(law="PIPL", article="第十三条"),
            ],
        ),
        Rule(
            id="HG-NET-001",
            family="NET",
            title=Text(zh="明文传输", en="Cleartext traffic"),
            description=Text(zh="d", en="d"),
            advice=Text(zh="a", en="a"),
            severity=S.medium,
            status="preview",
        ),
    ]
    monkeypatch.setattr(cli, "load_rules", lambda: rules)
    zh = _run(runner, "rules")
    assert zh.exit_code == 0
    assert "启动时收集设备标识" in zh.stdout and "164号文 一(2); PIPL 第十三条" in zh.stdout
    assert zh.stdout.index("HG-NET-001") < zh.stdout.index("HG-PI-001")  # sorted by ID
    en = _run(runner, "rules", "--lang", "en")
    assert "Device ID collected at start-up" in en.stdout and "[preview]" in en.stdout


def test_rules_without_registry_is_one_line(runner, monkeypatch) -> None:
    def broken():
        raise KnowledgeError("rulebook.yaml: duplicate id HG-PI-001")

    monkeypatch.setattr(cli, "load_rules", broken)
    result = _run(runner, "rules")
    assert result.exit_code == 2
    assert _one_error_line(result) == "hegui: rules: knowledge: rulebook.yaml: duplicate id HG-PI-001"


def test_every_output_format_is_handled() -> None:
    for fmt in cli.OutputFormat:
        assert fmt.to_formatter().name == fmt.value


def test_ctrl_c_exits_130(runner, apk, scan_returns) -> None:
    scan_returns(KeyboardInterrupt())
    result = _run(runner, "scan", apk)
    assert result.exit_code == 130
    assert result.stderr == "hegui: interrupted\n"
