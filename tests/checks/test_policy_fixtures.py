"""HG-POL-* end to end: fixture APKs with a bundled policy (tests/fixtures/truth.yaml ``policy``)."""

from __future__ import annotations

import pytest

from hegui.api import ScanOptions, scan
from hegui.policy import analyse
from hegui.report import get_formatter
from hegui.report.dual_list import dual_list_rows

from ..conftest import FIXTURES, load_truth
from .conftest import by_rule, fixture_report

TRUTH = load_truth()
WITH_POLICY = sorted(k for k, v in TRUTH.items() if "policy" in v)


@pytest.mark.parametrize("name", WITH_POLICY)
def test_policy_found_where_planted(name):
    facts = fixture_report(name).facts
    want = TRUTH[name]["policy"]
    assert facts.policy is not None and facts.policy_source is not None
    assert (facts.policy_source.kind, facts.policy_source.path) == (want["kind"], want["path"])


def test_policy_gaps_shows_each_inconsistency():
    t, found = TRUTH["policy_gaps"], by_rule("policy_gaps")
    pi = {e.value for f in found["HG-POL-001"] for e in f.evidence if e.kind == "file"}
    assert pi == {f"no sentence states {p} as collected" for p in t["undisclosed_pi"]}
    assert {f.owner for f in found["HG-POL-002"]} == {f"sdk:{s}" for s in t["undisclosed_sdks"]}
    assert {f.owner for f in found["HG-POL-003"]} == {f"sdk:{s}" for s in t["stale_sdks"]}
    assert [g for g in t["unexplained_groups"] if any(g in f.message.en for f in found["HG-POL-004"])] == t[
        "unexplained_groups"
    ]
    assert len(found["HG-POL-006"]) == len(t["missing_elements"])
    for f in found["HG-POL-001"]:  # both pieces of evidence: the call site and the policy
        assert f.evidence[0].kind == "call_site" and f.evidence[-1].file == "assets/privacy_policy.html"
    assert fixture_report("policy_gaps").verdict.status == "fail"


def test_policy_complete_is_consistent():
    assert not {r for r in by_rule("policy_complete") if r.startswith("HG-POL")}


def test_no_policy_says_so():
    found = by_rule("sdk_umeng")
    assert [f.rule_id for f in found.values() for f in f if f.rule_id.startswith("HG-POL")] == ["HG-POL-005"]
    assert fixture_report("sdk_umeng").facts.policy_source.kind == "none"


def test_given_policy_replaces_the_bundled_one():
    complete = FIXTURES / "src" / "policy_complete" / "assets" / "privacy.html"
    for given in (complete, analyse(complete)):
        report = scan(FIXTURES / "apk" / "policy_gaps.apk", options=ScanOptions(policy=given))
        assert report.facts.policy_source.kind == "given"
        pol = {f.rule_id for f in report.findings if f.rule_id.startswith("HG-POL")}
        assert pol == {"HG-POL-001"}  # only the clipboard: the complete policy covers the rest


def test_dual_list_uses_stated_purposes():
    rows = dual_list_rows(fixture_report("policy_complete"))
    by = {(r.pi_type, r.owner): r.purpose for r in rows.collected}
    assert by[("location.precise", "app")] == "展示您附近的门店"
    shared = {r.sdk_id: r for r in rows.shared}
    assert shared["umeng_common"].purpose_stated


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reports_have_a_policy_section(fmt, lang):
    out = get_formatter(fmt).render(fixture_report("policy_gaps"), lang=lang)
    assert ("隐私政策" if lang == "zh" else "Privacy policy") in out
    assert "jiguang_jpush" in out and "assets/privacy_policy.html" in out
    none = get_formatter(fmt).render(fixture_report("sdk_umeng"), lang=lang)
    assert ("未找到隐私政策" if lang == "zh" else "No privacy policy") in none
