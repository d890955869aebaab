from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hegui.batch import BatchError, BatchItem
from hegui.checks.model import Severity
from hegui.report import FORMATTERS
from hegui.report.json import json_formatter, report_dict
from hegui.report.model import REPORT_SCHEMA_VERSION, Report
from hegui.report.schema import BATCH_LINE_SCHEMA_ID, REPORT_SCHEMA_ID, all_schemas, report_schema
from tests.report.builders import make_report

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "docs" / "schema"


def _load_script():
    spec = importlib.util.spec_from_file_location("gen_schema", ROOT / "scripts" / "gen_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_gen = _load_script()
gen_schema_main, schema_text = _gen.main, _gen.schema_text


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _nulls(node: object) -> int:
    if node is None:
        return 1
    if isinstance(node, dict):
        return sum(_nulls(v) for v in node.values())
    if isinstance(node, list):
        return sum(_nulls(v) for v in node)
    return 0


def test_json_is_registered() -> None:
    assert FORMATTERS["json"] is json_formatter


def test_json_round_trips(report: Report) -> None:
    text = json_formatter.render(report)
    assert text.endswith("}\n")
    data = json.loads(text)
    assert data == report.model_dump(mode="json", exclude_none=True)
    assert Report.model_validate(data) == report


def test_json_keeps_chinese_and_drops_nulls(report: Report) -> None:
    text = json_formatter.render(report)
    assert "启动时收集设备标识" in text and "\\u" not in text
    assert _nulls(json.loads(text)) == 0
    assert text.startswith('{\n  "schema_version": "1.2",\n  "tool": {')


def test_json_key_order_is_stable(report: Report) -> None:
    data = json.loads(json_formatter.render(report))
    assert list(data) == [
        "schema_version",
        "tool",
        "scanned_at",
        "duration_ms",
        "facts",
        "findings",
        "verdict",
        "warnings",
    ]
    assert list(data["facts"])[:4] == ["schema_version", "file_name", "file_size", "sha256"]
    assert json_formatter.render(report) == json_formatter.render(report.model_copy(deep=True))


def test_json_ignores_lang(report: Report) -> None:
    assert json_formatter.render(report, lang="en") == json_formatter.render(report, lang="zh")


# -- schema -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_committed_schema_equals_generated(name: str) -> None:
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == schema_text(all_schemas()[name]), "run: python scripts/gen_schema.py"


def test_gen_schema_check_mode_passes() -> None:
    assert gen_schema_main(["--check"]) == 0


def test_gen_schema_check_mode_detects_drift(tmp_path: Path) -> None:
    assert gen_schema_main(["--check", "--dir", str(tmp_path)]) == 1
    assert gen_schema_main(["--dir", str(tmp_path)]) == 0
    assert gen_schema_main(["--check", "--dir", str(tmp_path)]) == 0


def test_schema_header() -> None:
    schema = report_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == REPORT_SCHEMA_ID.format(major=REPORT_SCHEMA_VERSION.split(".")[0])
    assert schema["title"] == "hegui report"
    assert schema["schema_version"] == REPORT_SCHEMA_VERSION
    assert all_schemas()["batch-line.schema.json"]["$id"].startswith(BATCH_LINE_SCHEMA_ID.split("{")[0])


@pytest.mark.parametrize(
    "severities",
    [None, [], [Severity.medium], [Severity.info, Severity.info]],
    ids=["all", "none", "medium", "info"],
)
def test_rendered_json_validates(severities) -> None:
    data = json.loads(json_formatter.render(make_report(severities)))
    _validator("report.schema.json").validate(data)


def test_empty_report_validates() -> None:
    data = json.loads(json_formatter.render(make_report([], sites=[])))
    _validator("report.schema.json").validate(data)


def test_schema_rejects_wrong_documents(report: Report) -> None:
    v = _validator("report.schema.json")
    data = report_dict(report)
    assert not v.is_valid({**data, "schema_version": "2.0"})
    assert not v.is_valid({**data, "verdict": {"status": "maybe", "reasons": []}})
    broken = json.loads(json.dumps(data))
    broken["findings"][0]["severity"] = "urgent"
    assert not v.is_valid(broken)
    nulled = json.loads(json.dumps(data))
    nulled["facts"]["version_name"] = None  # absent is allowed, null is not
    assert not v.is_valid(nulled)


def test_stable_fields_exist(report: Report) -> None:
    """The fields other tools read (docs/json-output.md, 'Stable fields')."""
    data = json.loads(json_formatter.render(report))
    facts = data["facts"]
    assert facts["package"] == "com.example.shop"
    assert facts["version_code"] == 123
    assert "android.permission.READ_PHONE_STATE" in facts["permissions"]
    assert facts["call_sites"]
    for site in facts["call_sites"]:
        assert {"api", "caller", "pi_type", "owner"} <= set(site)
    assert data["findings"]
    for f in data["findings"]:
        assert {"rule_id", "severity", "evidence"} <= set(f)
        assert f["severity"] in {s.value for s in Severity}
    assert data["verdict"]["status"] in {"pass", "fail", "needs-review"}
    # and the schema requires them, so a report without them cannot validate
    schema = report_schema()
    defs = schema["$defs"]
    assert {"facts", "findings", "verdict"} <= set(schema["required"])
    assert {"package", "permissions", "call_sites"} <= set(defs["Facts"]["required"])
    assert defs["Facts"]["properties"]["version_code"] == {"title": "Version Code", "type": "integer"}
    assert {"api", "caller", "pi_type", "owner"} <= set(defs["CallSite"]["required"])
    assert {"rule_id", "severity", "evidence"} <= set(defs["Finding"]["required"])
    assert {"status", "reasons"} <= set(defs["Verdict"]["required"])


def test_batch_lines_validate(report: Report) -> None:
    v = _validator("batch-line.schema.json")
    ok = BatchItem(index=0, path="a.apk", seconds=1.23456, sha256="ab" * 32, report=report_dict(report))
    err = BatchItem(
        index=1, path="b.apk", seconds=0.5, error=BatchError(kind="crash", message="killed by SIGSEGV")
    )
    for item in (ok, err):
        line = item.to_json()
        v.validate(json.loads(json.dumps(line)))
    assert ok.to_json()["seconds"] == 1.235
    assert not v.is_valid({"path": "x", "status": "weird", "seconds": 1})
    assert not v.is_valid({"path": "x", "status": "ok", "seconds": 1})  # ok needs the report
    assert not v.is_valid({"path": "x", "status": "error", "seconds": 1})  # error needs the error
    both = {**ok.to_json(), "error": {"kind": "crash", "message": "m"}}
    assert not v.is_valid(json.loads(json.dumps(both)))


@given(st.text(max_size=30), st.text(max_size=30))
def test_schema_accepts_any_strings_in_text_fields(title: str, package: str) -> None:
    report = make_report([Severity.high], sites=[])
    f = report.findings[0].model_copy(
        update={"title": report.findings[0].title.model_copy(update={"zh": title})}
    )
    report = report.model_copy(
        update={"findings": [f], "facts": report.facts.model_copy(update={"package": package})}
    )
    data = json.loads(json_formatter.render(report))
    assert data["findings"][0]["title"]["zh"] == title
    _VALIDATOR.validate(data)


_VALIDATOR = _validator("report.schema.json")
