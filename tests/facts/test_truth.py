"""Every fixture APK against its ground truth (tests/fixtures/truth.yaml).

The fixtures are written as smali by hand, so the planted call sites are known exactly: hegui must
find every one with the right caller, and nothing else.
"""

from __future__ import annotations

import functools

import pytest

from hegui.errors import ApkError
from hegui.facts.extract import extract

from ..conftest import FIXTURES, load_truth

TRUTH = load_truth()
GOOD = sorted(k for k, v in TRUTH.items() if not v.get("error"))
BAD = sorted(k for k, v in TRUTH.items() if v.get("error"))


@functools.cache
def facts_of(name: str):
    return extract(FIXTURES / TRUTH[name]["file"])


@pytest.mark.parametrize("name", GOOD)
def test_call_sites_exact(name):
    expected = {(c["api"], c["kind"], c["caller"]) for c in TRUTH[name].get("call_sites") or []}
    found = {(c.api, c.kind, c.caller) for c in facts_of(name).call_sites}
    assert found - expected == set(), "found but not planted"
    assert expected - found == set(), "planted but not found"


@pytest.mark.parametrize("name", GOOD)
def test_identity_and_permissions(name):
    t, f = TRUTH[name], facts_of(name)
    assert f.package == t["package"]
    for key in ("version_code", "version_name", "min_sdk", "target_sdk"):
        if key in t:
            assert getattr(f, key) == t[key], key
    if "permissions" in t:
        assert f.permissions == sorted(set(t["permissions"] or []))


@pytest.mark.parametrize("name", BAD)
def test_bad_inputs_raise_apk_error(name):
    with pytest.raises(ApkError) as err:
        extract(FIXTURES / TRUTH[name]["file"])
    assert err.value.kind == TRUTH[name]["error"]
    assert "\n" not in str(err.value)


def test_subclass_call_resolves_to_framework_api():
    sites = [c for c in facts_of("subclass").call_sites if c.via]
    assert sites, "the call through an app subclass of TelephonyManager was not resolved"
    assert all(c.api.startswith("Landroid/telephony/TelephonyManager;->") for c in sites)


def test_multidex_sites_in_both_files():
    assert {c.dex for c in facts_of("multidex").call_sites} == {"classes.dex", "classes2.dex"}


def test_call_sites_carry_pi_type_and_owner():
    for c in facts_of("pi_device_id").call_sites:
        assert c.pi_type.startswith("device_id.")
        assert c.owner == "app"
