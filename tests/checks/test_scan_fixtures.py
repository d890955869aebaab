"""Rules end to end: fixture APKs (tests/fixtures/apk/) through hegui.api.scan."""

from __future__ import annotations

import pytest

from hegui.checks.model import Severity

from ..conftest import FIXTURES
from .conftest import by_rule, fixture_report

GOOD = sorted(p.stem for p in (FIXTURES / "apk").glob("*.apk") if not p.stem.startswith("bad_"))




def test_clean_has_nothing_at_medium_or_above():
    assert [f.rule_id for f in fixture_report("clean").findings if f.severity.at_least(Severity.medium)] == []
    assert fixture_report("clean").verdict.status == "pass"


def test_manifest_flags():
    found = by_rule("manifest_flags")
    assert {"HG-NET-001", "HG-MAN-001", "HG-MAN-002", "HG-PERM-001", "HG-PERM-002"} <= set(found)
    assert sorted(f.evidence[0].value for f in found["HG-PERM-001"]) == [
        "android.permission.ACCESS_FINE_LOCATION",
        "android.permission.CAMERA",
        "android.permission.READ_CONTACTS",
    ]
    assert all(f.confidence == "low" for f in found["HG-PERM-001"])  # assets/payload.dex was not analysed
    (missing,) = found["HG-PERM-002"]
    assert "getLine1Number" in missing.evidence[0].api
    (net,) = found["HG-NET-001"]
    domains = [e.value or "" for e in net.evidence if e.element == "network-security-config/domain-config"]
    assert "10.0.0.1" in domains and any(d.endswith("api.example-cleartext.cn") for d in domains)
    assert [e.file for e in found["HG-SEC-001"][0].evidence] == ["assets/payload.dex"]
    assert fixture_report("manifest_flags").verdict.status == "fail"


@pytest.mark.parametrize("name", GOOD)
def test_no_check_crashes_on_real_facts(name):
    assert [f.message.en for f in fixture_report(name).findings if f.rule_id == "HG-INT-001"] == []
