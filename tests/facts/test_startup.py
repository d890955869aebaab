"""SDK detection, attribution and collection before consent, against the fixtures' ground truth."""

from __future__ import annotations

import functools

import pytest

from hegui.api import scan
from hegui.knowledge import sdks

from ..conftest import FIXTURES, load_truth

TRUTH = load_truth()
WITH_STARTUP = sorted(k for k, v in TRUTH.items() if v.get("startup"))
RULE_OF = {"pre_consent_sdk_init": "HG-SDK-001", "pre_consent_collection": "HG-SDK-002"}


@functools.cache
def report_of(name: str):
    return scan(FIXTURES / TRUTH[name]["file"])


def sdk_matches(sdk_id: str, prefix: str) -> bool:
    return any(p == prefix or p.startswith(prefix + ".") for p in sdks()[sdk_id].code)


@pytest.mark.parametrize("name", WITH_STARTUP)
def test_sdk_inits_and_gates(name):
    found = report_of(name).facts.startup.sdk_inits
    for t in TRUTH[name]["startup"].get("sdk_inits") or []:
        hits = [i for i in found if i.api == t["api"] and i.entry == t["entry"]]
        assert hits, f"init {t['api']} from {t['entry']} not found"
        assert all(sdk_matches(i.sdk, t["sdk_prefix"]) for i in hits)
        assert all(i.gated == t["gated"] for i in hits), (t, hits)


@pytest.mark.parametrize("name", WITH_STARTUP)
def test_collection_before_consent(name):
    st = report_of(name).facts.startup
    unconditional = {(c.api, c.caller, tuple(c.chain)) for c in st.collection if not c.conditional}
    expected = {
        (t["api"], t["caller"], tuple(t["chain"]))
        for t in TRUTH[name]["startup"].get("collection") or []
        if not t.get("gated")
    }
    assert unconditional == expected


@pytest.mark.parametrize("name", WITH_STARTUP)
def test_expected_findings(name):
    rules = {f.rule_id for f in report_of(name).findings}
    for key in TRUTH[name].get("expect_findings") or []:
        assert RULE_OF[key] in rules, key
    for key in TRUTH[name].get("expect_no_findings") or []:
        assert RULE_OF[key] not in rules, key


def test_obfuscated_sdk_still_attributed():
    facts = report_of("sdk_obfuscated").facts
    for rule in TRUTH["sdk_obfuscated"]["owners"]:
        if "caller" in rule:
            sites = [c for c in facts.call_sites if c.caller == rule["caller"]]
        else:
            sites = [c for c in facts.call_sites if c.caller.startswith(rule["caller_prefix"])]
        assert sites, rule
        for c in sites:
            if rule.get("owner") == "app":
                assert c.owner == "app"
            else:
                assert c.owner.startswith("sdk:") and sdk_matches(c.owner[4:], rule["owner_sdk_prefix"]), c


def test_detected_sdks_report_reached_and_declared_pi():
    facts = report_of("sdk_no_consent").facts
    by_id = {s.id: s for s in facts.sdks}
    umeng = [s for s in by_id.values() if sdk_matches(s.id, "com.umeng")]
    assert umeng and any("device_id.imei" in s.pi_reached for s in umeng)
    assert all(s.pi_declared == sorted(sdks()[s.id].collects) for s in facts.sdks)
