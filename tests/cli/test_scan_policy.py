"""hegui scan --policy FILE|URL, end to end on fixture APKs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hegui.cli.main as cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
COMPLETE = FIXTURES / "src" / "policy_complete" / "assets" / "privacy.html"


@pytest.fixture
def in_tmp_cwd(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no ./hegui.toml from the working tree
    return tmp_path


def _run(runner, *args):
    return runner.invoke(cli.app, [str(a) for a in args])


def _pol(data: dict) -> list[str]:
    return sorted({f["rule_id"] for f in data["findings"] if f["rule_id"].startswith("HG-POL")})


def test_given_policy_replaces_the_bundled_one(runner, in_tmp_cwd) -> None:
    apk = FIXTURES / "apk" / "policy_gaps.apk"
    bundled = json.loads(_run(runner, "scan", apk, "-f", "json", "--fail-on", "never").stdout)
    assert bundled["facts"]["policy_source"]["kind"] == "asset"
    assert _pol(bundled) == ["HG-POL-001", "HG-POL-002", "HG-POL-003", "HG-POL-004", "HG-POL-006"]
    result = _run(runner, "scan", apk, "-f", "json", "--fail-on", "never", "--policy", COMPLETE)
    assert result.exit_code == 0, result.output
    given = json.loads(result.stdout)
    assert given["facts"]["policy_source"] == {
        "kind": "given",
        "path": str(COMPLETE),
        "chars": given["facts"]["policy"]["text_chars"],
        "reason": "given with --policy",
        "candidates": [],
    }
    assert _pol(given) == ["HG-POL-001"]  # the clipboard: even the complete policy never states it


def test_unreadable_policy_is_one_line_and_exit_2(runner, in_tmp_cwd, tmp_path) -> None:
    result = _run(runner, "scan", FIXTURES / "apk" / "clean.apk", "--policy", tmp_path / "missing.html")
    assert result.exit_code == 2
    assert "missing.html" in result.stderr and "Traceback" not in result.stderr
    binary = tmp_path / "policy.html"
    binary.write_bytes(b"\x00\x01" * 50)
    result = _run(runner, "scan", FIXTURES / "apk" / "clean.apk", "--policy", binary)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_scan_and_policy_check_name_a_bad_policy_alike(runner, in_tmp_cwd, tmp_path) -> None:
    pdf = tmp_path / "privacy.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n")
    scanned = _run(runner, "scan", FIXTURES / "apk" / "clean.apk", "--policy", pdf)
    checked = _run(runner, "policy", "check", pdf)
    assert scanned.exit_code == checked.exit_code == 2
    line = f"hegui: {pdf}: policy: PDF policies are not supported: save the policy as text or HTML"
    assert scanned.stderr.strip() == checked.stderr.strip() == line
