"""HG-PERM-001 (requested, unused) and HG-PERM-002 (used, not requested), against the real catalogues."""

from __future__ import annotations

import pytest

from hegui.checks.model import Severity
from hegui.checks.registry import run_checks
from hegui.facts.model import AnalysisNote, PermissionRequest
from hegui.knowledge import permissions, sensitive_apis

from .conftest import make_facts, site

PHONE = "android.permission.READ_PHONE_STATE"
CONTACTS = "android.permission.READ_CONTACTS"
FINE = "android.permission.ACCESS_FINE_LOCATION"
COARSE = "android.permission.ACCESS_COARSE_LOCATION"


def run(facts, rule_id):
    return run_checks(facts, select=[rule_id])


def covered() -> set[str]:
    return {p for a in sensitive_apis() for p in a.permissions}


def test_catalogue_covers_the_permissions_these_tests_use():
    assert {PHONE, CONTACTS, FINE, COARSE} <= covered()
    assert all(permissions()[p].dangerous for p in (PHONE, CONTACTS, FINE, COARSE))


# --- HG-PERM-001 ---------------------------------------------------------------------------------


def test_unused_one_finding_per_permission():
    facts = make_facts(
        permissions=[PHONE, CONTACTS, PermissionRequest(name=FINE, sdk23=True)],
        call_sites=[site("contacts", permissions=[CONTACTS])],
    )
    found = run(facts, "HG-PERM-001")
    assert sorted(f.evidence[0].value for f in found) == [FINE, PHONE]
    assert all(f.confidence == "medium" and f.severity is Severity.medium for f in found)
    assert {f.evidence[0].element for f in found} == {
        "manifest/uses-permission",
        "manifest/uses-permission-sdk-23",
    }


def test_use_by_sdk_code_counts():
    facts = make_facts(
        permissions=[PHONE], call_sites=[site("device_id.imei", permissions=[PHONE], owner="sdk:x")]
    )
    assert run(facts, "HG-PERM-001") == []


def test_implied_use_counts():
    # a call needing COARSE (any of its list) is served by FINE
    facts = make_facts(permissions=[FINE], call_sites=[site("location.coarse", permissions=[COARSE])])
    assert run(facts, "HG-PERM-001") == []


def test_permissions_outside_the_api_catalogue_are_never_flagged():
    uncatalogued = sorted(p for p, info in permissions().items() if info.dangerous and p not in covered())
    normal = sorted(p for p, info in permissions().items() if not info.dangerous)
    assert uncatalogued and normal
    assert run(make_facts(permissions=[uncatalogued[0], normal[0], "com.example.OWN"]), "HG-PERM-001") == []


def test_no_code_analysed_no_claim():
    assert run(make_facts(permissions=[PHONE], dex_files=[]), "HG-PERM-001") == []


@pytest.mark.parametrize(
    "extra",
    [
        {"hidden_dex": ["assets/x.dex"]},
        {"notes": [AnalysisNote(code="dex-malformed", message="bad", file="classes2.dex")]},
    ],
)
def test_incomplete_code_lowers_confidence(extra):
    (f,) = run(make_facts(permissions=[PHONE], **extra), "HG-PERM-001")
    assert f.confidence == "low"


# --- HG-PERM-002 ---------------------------------------------------------------------------------


def test_missing_grouped_by_permission_list():
    sites = [
        site("device_id.imei", permissions=[PHONE], caller="La/A;->x()V"),
        site("device_id.imsi", permissions=[PHONE], caller="La/A;->y()V"),
        site("contacts", permissions=[CONTACTS], owner="sdk:x"),
        site("device_id.android_id"),  # needs nothing
    ]
    found = run(make_facts(call_sites=sites), "HG-PERM-002")
    by_perm = {f.message.en.split(" need ")[1].split(" (any one)")[0]: f for f in found}
    assert set(by_perm) == {PHONE, CONTACTS}
    assert len(by_perm[PHONE].evidence) == 2 and by_perm[PHONE].severity is Severity.medium
    assert by_perm[CONTACTS].severity is Severity.low and by_perm[CONTACTS].owner == "sdk:x"


@pytest.mark.parametrize(
    "requested, min_sdk, expected",
    [
        ([PermissionRequest(name=PHONE)], 21, 0),
        ([PermissionRequest(name=PHONE, max_sdk_version=28)], 21, 0),  # held on the older devices
        ([PermissionRequest(name=PHONE, max_sdk_version=22)], 24, 1),  # never granted where the app runs
        ([PermissionRequest(name=PHONE, max_sdk_version=22), PermissionRequest(name=PHONE)], 24, 0),
        ([], 21, 1),
    ],
)
def test_missing_accounts_for_max_sdk_version(requested, min_sdk, expected):
    facts = make_facts(
        permissions=requested, min_sdk=min_sdk, call_sites=[site("device_id.imei", permissions=[PHONE])]
    )
    assert len(run(facts, "HG-PERM-002")) == expected


def test_any_listed_permission_suffices_and_implied_ones_count():
    call = site("location.coarse", permissions=[COARSE])
    assert run(make_facts(permissions=[FINE], call_sites=[call]), "HG-PERM-002") == []
    two = site("location.precise", permissions=[FINE, COARSE])
    assert run(make_facts(permissions=[COARSE], call_sites=[two]), "HG-PERM-002") == []
