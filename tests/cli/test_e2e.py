"""End to end through the real library on the fixture APKs (skipped until they and scan exist)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import hegui.cli.main as cli

ROOT = Path(__file__).resolve().parents[2]
APKS = ROOT / "tests" / "fixtures" / "apk"
SCHEMAS = ROOT / "docs" / "schema"

try:
    import hegui.api  # noqa: F401
except ImportError:  # pragma: no cover - while the library is being written
    _api = False
else:
    _api = True

pytestmark = pytest.mark.skipif(
    not (_api and (APKS / "clean.apk").is_file()), reason="needs hegui.api and tests/fixtures/apk"
)


def _schema(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def _run(*args):
    return CliRunner().invoke(cli.app, [str(a) for a in args])


def test_clean_apk_passes() -> None:
    result = _run("scan", APKS / "clean.apk")
    assert result.exit_code == 0, result.output
    assert "com.hegui.fixture.clean" in result.stdout
    assert result.stderr == ""


def test_clean_apk_json_validates() -> None:
    result = _run("scan", APKS / "clean.apk", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    _schema("report.schema.json").validate(data)
    assert data["facts"]["package"] == "com.hegui.fixture.clean"
    assert data["verdict"]["status"] == "pass"


@pytest.mark.parametrize("name", ["pi_device_id", "manifest_flags", "sdk_umeng", "app_startup"])
def test_reports_with_findings_validate(name: str) -> None:
    if not (APKS / f"{name}.apk").is_file():
        pytest.skip(f"no fixture {name}.apk")
    result = _run("scan", APKS / f"{name}.apk", "-f", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _schema("report.schema.json").validate(data)
    assert data["findings"]
    for site in data["facts"]["call_sites"]:
        assert {"api", "caller", "pi_type", "owner"} <= set(site)
    for lang in ("zh", "en"):
        assert _run("scan", APKS / f"{name}.apk", "--lang", lang, "--fail-on", "never").exit_code == 0


def test_not_an_apk_is_one_line() -> None:
    bad = APKS / "bad_not_apk.apk"
    result = _run("scan", bad)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"hegui: {bad}: not_apk: ")
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("name", ["bad_truncated", "bad_zipbomb", "bad_no_manifest"])
def test_other_bad_inputs_are_one_line(name: str) -> None:
    bad = APKS / f"{name}.apk"
    if not bad.is_file():
        pytest.skip(f"no fixture {name}.apk")
    result = _run("scan", bad)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"hegui: {bad}: ")


def test_batch_folder_with_two_jobs(tmp_path: Path) -> None:
    jsonl = tmp_path / "run.jsonl"
    result = _run("scan", APKS, "--jobs", "2", "--jsonl", jsonl, "--fail-on", "never", "--timeout", "120")
    apks = sorted(APKS.rglob("*.apk"))
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(apks)
    assert sorted(Path(r["path"]).name for r in rows) == sorted(p.name for p in apks)
    validator = _schema("batch-line.schema.json")
    for row in rows:
        validator.validate(row)
    by_name = {Path(r["path"]).name: r for r in rows}
    assert by_name["clean.apk"]["status"] == "ok"
    assert by_name["bad_not_apk.apk"]["error"]["kind"] == "not_apk"
    failed = [r for r in rows if r["status"] == "error"]
    assert result.exit_code == (2 if failed else 0)
    assert len([line for line in result.stderr.splitlines() if line.startswith("hegui: /")]) == len(failed)
