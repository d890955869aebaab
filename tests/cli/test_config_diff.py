"""hegui scan --config/--app-type, and hegui diff, end to end on fixture APKs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hegui.cli.main as cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "apk"
WHY = "SDK 初始化已移到同意之后（见 PR #42），待下一版本复测"


def _run(runner, *args, **kw):
    return runner.invoke(cli.app, [str(a) for a in args], **kw)


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_hegui_toml_in_cwd_suppresses_and_marks(runner, in_tmp) -> None:
    apk = FIXTURES / "sdk_no_consent.apk"
    assert _run(runner, "scan", apk, "--format", "json").exit_code == 1
    (in_tmp / "hegui.toml").write_text(
        f'[[suppress]]\nrule = "HG-SDK"\njustification = "{WHY}"\nexpires = 2099-12-31\n', encoding="utf-8"
    )
    result = _run(runner, "scan", apk, "--format", "json")
    data = json.loads(result.stdout)
    marked = [f for f in data["findings"] if "suppression" in f]
    assert marked and all(f["rule_id"].startswith("HG-SDK") for f in marked)
    assert marked[0]["suppression"]["justification"] == WHY
    assert data["verdict"]["suppressed"] == len(marked)
    high_left = [f for f in data["findings"] if "suppression" not in f and f["severity"] in ("high", "critical")]
    assert result.exit_code == (1 if high_left else 0)
    ignored = _run(runner, "scan", apk, "--format", "json", "--no-config")
    assert all("suppression" not in f for f in json.loads(ignored.stdout)["findings"])


def test_bad_hegui_toml_is_one_line(runner, in_tmp) -> None:
    (in_tmp / "hegui.toml").write_text("[[suppress]]\nrule = 1\n", encoding="utf-8")
    result = _run(runner, "scan", FIXTURES / "clean.apk")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("hegui: hegui.toml: config: ") and "[[suppress]] #1" in line


def test_unknown_app_type_names_choices(runner, in_tmp) -> None:
    result = _run(runner, "scan", FIXTURES / "clean.apk", "--app-type", "spaceship")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("hegui: --app-type: knowledge:") and "map_navigation" in line


def test_diff_command(runner, in_tmp) -> None:
    v1, v2 = FIXTURES / "update_v1.apk", FIXTURES / "update_v2.apk"
    text = _run(runner, "diff", v1, v2, "--lang", "en", "--fail-on", "never")
    assert text.exit_code == 0, text.stderr
    assert "+android.permission.READ_CONTACTS" in text.stdout and "+umeng_analytics" in text.stdout
    js = _run(runner, "diff", v1, v2, "--format", "json", "--fail-on", "never")
    assert json.loads(js.stdout)["pi_types"]["added"] == ["contacts", "device_id.imei"]
    gate = _run(runner, "diff", v1, v2, "--fail-on", "medium")
    assert gate.exit_code == 1  # the update adds medium findings (device IDs, missing permission)
    same = _run(runner, "diff", v1, v1, "--fail-on", "info")
    assert same.exit_code == 0


def test_diff_bad_input_is_one_line(runner, in_tmp) -> None:
    result = _run(runner, "diff", FIXTURES / "update_v1.apk", FIXTURES / "bad_truncated.apk")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "bad_truncated.apk" in line and "Traceback" not in result.output
