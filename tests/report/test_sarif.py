from __future__ import annotations

import json
from pathlib import Path

import pytest

from hegui.checks.model import Evidence, Severity
from hegui.checks.registry import all_checks, get_check
from hegui.report import FORMATTERS
from hegui.report.sarif import FINGERPRINT_KEY, SARIF_SCHEMA, SECURITY_SEVERITY, sarif_formatter
from tests.report.builders import finding, hostile_report, make_report, rich_report

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "reference" / "sarif-schema-2.1.0.json"
LEVELS = {"error", "warning", "note"}


def sarif(report, lang: str = "zh") -> dict:
    return json.loads(sarif_formatter.render(report, lang=lang))


def test_sarif_is_registered() -> None:
    assert FORMATTERS["sarif"] is sarif_formatter


@pytest.mark.skipif(not SCHEMA.is_file(), reason=f"official SARIF schema not found at {SCHEMA}")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validates_against_the_official_schema(lang: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for report in (rich_report(), hostile_report(), make_report([])):
        errors = sorted(validator.iter_errors(sarif(report, lang)), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_github_requirements() -> None:
    """What GitHub code scanning rejects a file for, checked without the schema."""
    report = hostile_report()
    log = sarif(report)
    assert log["version"] == "2.1.0" and log["$schema"] == SARIF_SCHEMA
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert len(run["results"]) == len(report.findings)
    for res in run["results"]:
        assert res["ruleId"] in ids
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in LEVELS
        assert res["message"]["text"]
        assert res["locations"], "GitHub: expected at least one location"
        for loc in res["locations"]:
            assert loc["physicalLocation"]["artifactLocation"]["uri"] == report.facts.file_name
            assert loc["physicalLocation"]["region"]["startLine"] >= 1
        assert res["partialFingerprints"][FINGERPRINT_KEY]
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["text"] and r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] in LEVELS
        tags = r["properties"]["tags"]
        assert "security" in tags and len(tags) <= 20
        assert 0.0 <= float(r["properties"]["security-severity"]) <= 10.0


def test_rules_are_every_registered_rule_plus_any_a_finding_names() -> None:
    report = make_report([Severity.high])
    unknown = finding(Severity.medium, rule_id="HG-ZZZ-999")
    report = report.model_copy(update={"findings": [*report.findings, unknown]})
    run = sarif(report)["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    registered = {c.rule.id for c in all_checks() if c.rule.status != "removed"}
    assert registered <= set(ids)
    assert "HG-ZZZ-999" in ids  # a rule this hegui does not know still gets a descriptor
    assert ids == sorted(ids)
    stand_in = run["tool"]["driver"]["rules"][ids.index("HG-ZZZ-999")]
    assert stand_in["shortDescription"]["text"] == unknown.title.zh


def test_rule_descriptor_content() -> None:
    check = next(c for c in all_checks() if c.doc and c.rule.legal_basis)
    run = sarif(make_report([]), "en")["runs"][0]
    d = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == check.rule.id)
    assert d["shortDescription"]["text"] == check.rule.title.en
    assert d["fullDescription"]["text"] == check.rule.description.en
    assert get_check(check.rule.id).doc.strip() in d["help"]["markdown"]
    assert check.rule.advice.en in d["help"]["text"]
    assert d["name"][0].isupper() and " " not in d["name"]
    tags = d["properties"]["tags"]
    assert f"family/{check.rule.family}" in tags
    assert f"judgement/{check.rule.judgement}" in tags
    assert all(f"law/{b.law}" in tags for b in check.rule.legal_basis)
    assert d["properties"]["security-severity"] == SECURITY_SEVERITY[check.rule.severity]
    zh = next(
        r for r in sarif(make_report([]))["runs"][0]["tool"]["driver"]["rules"] if r["id"] == check.rule.id
    )
    assert zh["shortDescription"]["text"] == check.rule.title.zh


@pytest.mark.parametrize(
    ("severity", "level", "score"),
    [
        (Severity.critical, "error", "9.5"),
        (Severity.high, "error", "8.0"),
        (Severity.medium, "warning", "5.5"),
        (Severity.low, "note", "3.0"),
        (Severity.info, "note", "1.0"),
    ],
)
def test_levels_and_security_severity(severity: Severity, level: str, score: str) -> None:
    res = sarif(make_report([severity]))["runs"][0]["results"][0]
    assert res["level"] == level
    assert res["properties"]["security-severity"] == score


def test_no_invented_urls() -> None:
    text = sarif_formatter.render(rich_report())
    assert "informationUri" not in text and "helpUri" not in text


def test_locations_name_the_caller_and_the_manifest_element() -> None:
    run = sarif(make_report([Severity.high]))["runs"][0]
    logical = run["results"][0]["locations"][0]["logicalLocations"]
    func = next(x for x in logical if x["kind"] == "function")
    assert func["fullyQualifiedName"] == "com.example.shop.MainActivity.onCreate(Bundle)"
    assert func["decoratedName"].startswith("Lcom/example/shop/MainActivity;->onCreate")
    element = next(x for x in logical if x["kind"] == "element")
    assert element["fullyQualifiedName"] == "AndroidManifest.xml/application/@android:allowBackup"
    artifact = run["artifacts"][0]
    assert artifact["location"]["uri"] == "shop-1.2.3.apk"
    assert artifact["hashes"]["sha-256"] == "ab" * 32


def test_fingerprints_are_stable_across_runs_and_languages() -> None:
    a = sarif(rich_report(), "zh")["runs"][0]["results"]
    later = rich_report().model_copy(update={"scanned_at": "2030-01-01T00:00:00+00:00", "duration_ms": 1})
    b = sarif(later, "en")["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in a] == [r["partialFingerprints"] for r in b]
    # different evidence, different fingerprint
    one = finding(Severity.high)
    other = one.model_copy(
        update={"evidence": [Evidence(kind="permission", value="android.permission.CAMERA")]}
    )
    prints = {
        sarif(make_report([]).model_copy(update={"findings": [f]}))["runs"][0]["results"][0][
            "partialFingerprints"
        ][FINGERPRINT_KEY]
        for f in (one, other)
    }
    assert len(prints) == 2


def test_suppressed_findings_carry_an_external_suppression() -> None:
    report = rich_report()
    results = sarif(report)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1 == sum(1 for f in report.findings if f.suppression)
    (s,) = suppressed[0]["suppressions"]
    assert s["kind"] == "external" and s["status"] == "accepted"
    assert s["justification"] == "内网测试地址，发布版不包含"
    assert s["properties"]["expires"] == "2099-12-31"


def test_run_carries_verdict_notes_and_category() -> None:
    run = sarif(rich_report(), "en")["runs"][0]
    assert run["properties"]["verdict"] == "fail"
    assert run["automationDetails"]["id"] == "hegui/com.example.shop/"
    assert run["language"] == "en-US"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("dex-malformed" in n["message"]["text"] for n in notes)
    assert any(n["level"] == "warning" for n in notes)  # the report's warning
    assert run["invocations"][0]["startTimeUtc"] == "2024-05-01T08:00:00Z"
