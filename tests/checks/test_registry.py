from __future__ import annotations

import pytest

from hegui.checks import registry as reg
from hegui.checks.declarative import load
from hegui.checks.model import Evidence, Severity, Text
from hegui.checks.registry import (
    Registry,
    RuleDefinitionError,
    UnknownRuleError,
    all_rules,
    get_rule,
    rule,
    run_checks,
)
from hegui.errors import HeguiError

from .conftest import make_facts, site

T = Text(zh="中文", en="English")


def meta(rule_id: str, family: str | None = None, **kw):
    base = {
        "id": rule_id,
        "family": family or rule_id.split("-")[1],
        "title": T,
        "description": T,
        "advice": T,
        "severity": Severity.low,
    }
    base.update(kw)
    return base


def add(r: Registry, rule_id: str, func=None, **kw):
    @rule(**meta(rule_id, **kw), registry=r)
    def check(facts):
        yield from (func(facts) if func else ())

    return check


def test_all_rules_sorted_and_unique():
    got = [r.id for r in all_rules()]
    assert got == sorted(got) and len(got) == len(set(got))


def test_get_rule_known_and_unknown():
    assert get_rule("HG-MAN-001").id == "HG-MAN-001"
    with pytest.raises(KeyError) as err:
        get_rule("HG-MAN-999")
    assert isinstance(err.value, UnknownRuleError) and isinstance(err.value, HeguiError)
    assert "HG-MAN-001" in str(err.value)  # names the rules of that family


@pytest.mark.parametrize(
    "bad", ["HG-MAN-1", "hg-man-001", "HG-MAN-0001", "HG-MAN001", "XX-MAN-001", "HG-M4N-001"]
)
def test_malformed_id_rejected(bad):
    with pytest.raises(RuleDefinitionError, match="malformed"):
        add(Registry(), bad, family="MAN")


def test_family_must_match_id():
    with pytest.raises(RuleDefinitionError, match="family"):
        add(Registry(), "HG-MAN-001", family="NET")


def test_duplicate_id_rejected():
    r = Registry()
    add(r, "HG-TST-001")
    with pytest.raises(RuleDefinitionError, match="already registered"):
        add(r, "HG-TST-001")


def test_builtin_ids_cannot_be_registered_again():
    with pytest.raises(RuleDefinitionError, match="already registered"):
        add(reg.REGISTRY, "HG-MAN-001")


def test_removed_rule_never_runs_and_its_id_is_not_reused():
    r = Registry()
    add(r, "HG-TST-001", func=lambda f: [reg.finding(r.get("HG-TST-001").rule, message=T)], status="removed")
    assert r.run(make_facts()) == []
    assert [x.id for x in r.rules()] == ["HG-TST-001"]  # still listed (docs, ID reservation)
    with pytest.raises(RuleDefinitionError, match="removed"):
        add(r, "HG-TST-001")


def test_crashing_check_becomes_int_001_and_scan_goes_on():
    r = Registry()
    r.add(reg.CHECK_FAILED)

    def boom(facts):
        raise ValueError("cannot read this")

    def partial(facts):  # findings yielded before a crash are dropped with it
        yield reg.finding(r.get("HG-TST-002").rule, message=T)
        raise RuntimeError("half way")

    add(r, "HG-TST-001", func=boom)
    add(r, "HG-TST-002", func=partial)
    add(r, "HG-TST-003", func=lambda f: [reg.finding(r.get("HG-TST-003").rule, message=T)])
    found = r.run(make_facts())
    assert [f.rule_id for f in found] == ["HG-TST-003", "HG-INT-001", "HG-INT-001"]
    crashes = [f for f in found if f.rule_id == "HG-INT-001"]
    assert all(f.severity is Severity.info for f in crashes)
    assert crashes[0].evidence == [
        Evidence(kind="note", element="HG-TST-001", value="ValueError: cannot read this")
    ]
    assert crashes[1].evidence[0].value == "RuntimeError: half way"
    assert "HG-TST-001" in crashes[0].message.en and "ValueError" in crashes[0].message.zh


def test_crash_report_can_be_ignored():
    r = Registry()
    r.add(reg.CHECK_FAILED)
    add(r, "HG-TST-001", func=lambda f: 1 / 0)
    assert [f.rule_id for f in r.run(make_facts())] == ["HG-INT-001"]
    assert r.run(make_facts(), ignore=["HG-INT-001"]) == []


def test_crash_reported_even_when_int_not_selected():
    r = Registry()
    r.add(reg.CHECK_FAILED)
    add(r, "HG-TST-001", func=lambda f: 1 / 0)
    assert [f.rule_id for f in r.run(make_facts(), select=["HG-TST"])] == ["HG-INT-001"]


def test_select_and_ignore_by_id_and_prefix():
    facts = make_facts(
        manifest={"debuggable": True, "uses_cleartext_traffic": True},
        call_sites=[site("clipboard"), site("installed_apps")],
    )
    every = {f.rule_id for f in run_checks(facts)}
    assert {"HG-MAN-001", "HG-NET-001", "HG-PI-001", "HG-PI-003"} <= every
    assert {f.rule_id for f in run_checks(facts, select=["HG-MAN-001"])} == {"HG-MAN-001"}
    assert {f.rule_id for f in run_checks(facts, select=["HG-PI"])} == {"HG-PI-001", "HG-PI-003"}
    assert {f.rule_id for f in run_checks(facts, select=["HG-PI"], ignore=["HG-PI-003"])} == {"HG-PI-001"}
    assert "HG-NET-001" not in {f.rule_id for f in run_checks(facts, ignore=["HG-NET"])}


def test_unknown_selector_is_an_error():
    with pytest.raises(UnknownRuleError, match="names no rule"):
        run_checks(make_facts(), select=["HG-NOPE"])
    with pytest.raises(UnknownRuleError):
        run_checks(make_facts(), ignore=["HG-MAN-999"])


def test_findings_sorted_by_severity_then_id():
    facts = make_facts(
        manifest={"debuggable": True, "uses_cleartext_traffic": True},
        call_sites=[site("clipboard"), site("installed_apps")],
        certificates=[],
        hidden_dex=["assets/x.dex"],
    )
    found = run_checks(facts, ignore=["HG-PERM"])
    keys = [(-f.severity.rank, f.rule_id) for f in found]
    assert keys == sorted(keys)
    assert found[0].rule_id == "HG-MAN-001"


def test_finding_helper_takes_overrides():
    check = reg.get_check("HG-MAN-002")
    f = check.finding(message=T, severity=Severity.low, owner="sdk:x")
    assert f.severity is Severity.low and f.owner == "sdk:x"
    assert f.confidence == check.rule.confidence and f.rule_id == "HG-MAN-002"


# --- the declarative rule engine -------------------------------------------------------------------------

RULEBOOK_ENTRY = """
entries:
  - id: HG-TST-001
    family: TST
    title: {zh: 标题, en: Title}
    description: {zh: 描述, en: Description}
    advice: {zh: 建议, en: Advice}
    severity: low
    legal_basis: [{law: PIPL, article: 第六条}]
    match: {pi_type: ["device_id.*"]}
    message: {zh: "{count} 处 {pi_type}", en: "{count} x {pi_type}"}
    doc: "## What it does"
"""


def test_declarative_entry_registers_and_runs():
    r = Registry()
    (check,) = load(RULEBOOK_ENTRY, r)
    facts = make_facts(call_sites=[site("device_id.imei"), site("device_id.imei"), site("device_id.mac")])
    found = r.run(facts)
    assert [f.message.en for f in found] == ["2 x device_id.imei", "1 x device_id.mac"]
    assert check.rule.legal_basis[0].article == "第六条"


@pytest.mark.parametrize(
    "change, error",
    [
        ("id: HG-TST-001", "id: HG-TST-01"),  # malformed ID
        ('message: {zh: "{count} 处 {pi_type}"', 'message: {zh: "{nope}"'),  # unknown placeholder
        ('match: {pi_type: ["device_id.*"]}', "match: {}"),  # no matcher
        ("severity: low", "severity: awful"),  # not a severity
        ("    doc:", "    unknown_key: 1\n    doc:"),  # typo in a key
    ],
)
def test_malformed_declarative_entry_rejected(change, error):
    with pytest.raises(RuleDefinitionError):
        load(RULEBOOK_ENTRY.replace(change, error), Registry())


def test_declarative_duplicate_id_rejected():
    r = Registry()
    load(RULEBOOK_ENTRY, r)
    with pytest.raises(RuleDefinitionError, match="already registered"):
        load(RULEBOOK_ENTRY, r)
