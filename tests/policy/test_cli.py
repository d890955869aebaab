from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hegui.cli.main import app
from tests.policy.conftest import SAMPLE_MD, SAMPLE_TEXT


def test_check_json(tmp_path: Path) -> None:
    p = tmp_path / "policy.md"
    p.write_text(SAMPLE_MD, encoding="utf-8")
    r = CliRunner().invoke(app, ["policy", "check", str(p), "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["format"] == "markdown"
    assert any(c["pi_type"] == "device_id" and c["evidence"]["text"] for c in out["collected"])
    assert {"name": "极光推送SDK", "sdk_id": "jiguang_jpush"}.items() <= out["third_parties"][0].items()
    assert set(out["elements"]) and all("present" in v for v in out["elements"].values())


def test_check_text_zh_and_en(tmp_path: Path) -> None:
    p = tmp_path / "policy.txt"
    p.write_text(SAMPLE_TEXT, encoding="utf-8")
    zh = CliRunner().invoke(app, ["policy", "check", str(p)])
    assert zh.exit_code == 0 and "收集的个人信息" in zh.stdout and "device_id.imei" in zh.stdout
    en = CliRunner().invoke(app, ["policy", "check", str(p), "--lang", "en"])
    assert en.exit_code == 0 and "Required elements" in en.stdout


def test_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["policy", "check", str(tmp_path / "missing.txt")])
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    b = tmp_path / "x.bin"
    b.write_bytes(b"\x00\x01\x02" * 1000)
    r = CliRunner().invoke(app, ["policy", "check", str(b)])
    assert r.exit_code == 2 and "binary" in r.output


def test_check_with_apk_prints_consistency_findings(tmp_path: Path) -> None:
    apk = Path(__file__).resolve().parents[1] / "fixtures" / "apk" / "clean.apk"
    p = tmp_path / "policy.txt"
    p.write_text(SAMPLE_TEXT, encoding="utf-8")
    r = CliRunner().invoke(app, ["policy", "check", str(p), "--apk", str(apk), "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["policy"]["source"] == str(p)
    assert all(f["rule_id"].startswith("HG-POL") for f in out["findings"])
    text = CliRunner().invoke(app, ["policy", "check", str(p), "--apk", str(apk), "--lang", "en"])
    assert text.exit_code == 0 and "Consistency with the APK" in text.stdout


def test_bad_apk_is_one_line(tmp_path: Path) -> None:
    p = tmp_path / "policy.txt"
    p.write_text(SAMPLE_TEXT, encoding="utf-8")
    bad = tmp_path / "bad.apk"
    bad.write_bytes(b"not a zip")
    r = CliRunner().invoke(app, ["policy", "check", str(p), "--apk", str(bad)])
    assert r.exit_code == 2 and "Traceback" not in r.output
