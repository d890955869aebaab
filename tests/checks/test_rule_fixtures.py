"""Every auto rule against real APKs: a fixture it must fire on and a clean variant it must not.

The fixtures are built from smali by tests/fixtures/build.sh; what each one contains is known by
construction (tests/fixtures/README.md). Assisted and manual rules are listed where a fixture shows
them. A new auto rule without a pair here fails ``test_every_auto_rule_has_a_pair``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from hegui.api import ScanOptions, scan
from hegui.checks.registry import all_rules

APKS = Path(__file__).resolve().parents[1] / "fixtures" / "apk"

# rule -> (violating fixture, clean fixture); a fixture may be "name@app_type"
PAIRS: dict[str, tuple[str, str]] = {
    "HG-INT-002": ("bad_traversal", "clean"),
    "HG-MAN-001": ("manifest_flags", "clean"),
    "HG-MAN-002": ("manifest_flags", "clean"),
    "HG-MAN-003": ("app_startup", "clean"),
    "HG-NET-001": ("tls_trust_all", "tls_safe"),
    "HG-NET-002": ("debug_user_ca", "clean"),
    "HG-NET-003": ("tls_trust_all", "tls_safe"),
    "HG-NET-004": ("tls_trust_all", "tls_safe"),
    "HG-NET-005": ("tls_trust_all", "tls_safe"),
    "HG-NET-006": ("tls_trust_all", "tls_safe"),
    "HG-PERM-001": ("manifest_flags", "clean"),
    "HG-PERM-002": ("update_v2", "update_v1"),
    "HG-PERM-003": ("pi_installed_apps", "clean"),
    "HG-PI-001": ("pi_installed_apps", "pi_running_apps"),
    "HG-PI-002": ("pi_running_apps", "pi_installed_apps"),
    "HG-PI-003": ("pi_clipboard", "clean"),
    "HG-PI-004": ("pi_device_id", "pi_location"),
    "HG-PI-005": ("pi_contacts", "pi_device_id"),
    "HG-PI-006": ("pi_location@news", "pi_location@map_navigation"),
    "HG-POL-001": ("policy_gaps", "policy_complete"),
    "HG-POL-002": ("policy_gaps", "policy_complete"),
    "HG-POL-004": ("policy_gaps", "policy_complete"),
    "HG-SDK-001": ("sdk_no_consent", "sdk_consent_gated"),
    "HG-SDK-002": ("sdk_umeng", "sdk_consent_gated"),
    "HG-SDK-004": ("obfuscated", "sdk_obfuscated"),
    "HG-SDK-005": ("sdk_ad_shake", "pi_sensors"),
    "HG-SEC-001": ("manifest_flags", "clean"),
    "HG-SEC-002": ("debug_user_ca", "clean"),
    "HG-SEC-003": ("bad_traversal", "clean"),
}
# HG-INT-001 is raised by the registry when a check crashes (tests/checks/test_registry.py).
NOT_FROM_APKS = {"HG-INT-001"}


@functools.cache
def _rules_on(fixture: str) -> frozenset[str]:
    name, _, app_type = fixture.partition("@")
    report = scan(APKS / f"{name}.apk", options=ScanOptions(app_type=app_type or None))
    return frozenset(f.rule_id for f in report.findings)


def test_every_auto_rule_has_a_pair() -> None:
    auto = {r.id for r in all_rules() if r.judgement == "auto" and r.status != "removed"}
    assert auto - NOT_FROM_APKS - set(PAIRS) == set()
    assert set(PAIRS) <= {r.id for r in all_rules()}


@pytest.mark.parametrize("rule_id", sorted(PAIRS))
def test_fires_on_violating_fixture(rule_id: str) -> None:
    assert rule_id in _rules_on(PAIRS[rule_id][0])


@pytest.mark.parametrize("rule_id", sorted(PAIRS))
def test_silent_on_clean_fixture(rule_id: str) -> None:
    assert rule_id not in _rules_on(PAIRS[rule_id][1])


def test_clean_fixture_is_clean() -> None:
    assert _rules_on("clean") == frozenset()
