from __future__ import annotations

import pytest

from hegui.checks.model import Severity
from hegui.checks.registry import run_checks
from hegui.facts.model import NetworkSecurityConfig

from .conftest import make_facts

NSC_FILE = "res/xml/network_security_config.xml"


def nsc(**kw):
    return NetworkSecurityConfig(file=NSC_FILE, **kw)


def cleartext(facts):
    return run_checks(facts, select=["HG-NET-001"])


@pytest.mark.parametrize(
    "manifest, target, severity",
    [
        ({"uses_cleartext_traffic": True}, 33, Severity.medium),
        ({"uses_cleartext_traffic": None}, 27, Severity.medium),  # platform default before API 28
        ({"uses_cleartext_traffic": None}, 28, None),
        ({"uses_cleartext_traffic": False}, 27, None),
        ({"network_security_config": nsc(base_cleartext_permitted=True)}, 33, Severity.medium),
        ({"network_security_config": nsc()}, 27, Severity.medium),  # base-config default before API 28
        ({"network_security_config": nsc()}, 28, None),
        ({"network_security_config": nsc(cleartext_domains=["api.example.cn"])}, 33, Severity.low),
        # the config governs on Android 7+: the manifest attribute is overridden
        (
            {"uses_cleartext_traffic": True, "network_security_config": nsc(base_cleartext_permitted=False)},
            33,
            None,
        ),
        # an unreadable config: fall back to the manifest
        (
            {"uses_cleartext_traffic": True, "network_security_config": nsc(parse_error="bad xml")},
            33,
            Severity.medium,
        ),
    ],
)
def test_cleartext_decision(manifest, target, severity):
    found = cleartext(make_facts(manifest=manifest, target_sdk=target, min_sdk=24))
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_cleartext_evidence_names_domains_and_http_urls():
    facts = make_facts(
        manifest={"network_security_config": nsc(cleartext_domains=["a.example.cn", "10.0.0.1"])},
        urls=[f"http://a.example.cn/{i}" for i in range(30)] + ["https://secure.example.cn/"],
    )
    (f,) = cleartext(facts)
    domains = [e.value for e in f.evidence if e.element == "network-security-config/domain-config"]
    assert domains == ["a.example.cn", "10.0.0.1"]
    assert all(e.file == NSC_FILE for e in f.evidence if e.element)
    urls = [e.value for e in f.evidence if e.element is None]
    assert len(urls) == 20 and all(u.startswith("http://") for u in urls)
    assert "30 http:// URL(s)" in f.message.en and "a.example.cn, 10.0.0.1" in f.message.zh


def test_overridden_manifest_attribute_still_reported_for_android_6():
    manifest = {
        "uses_cleartext_traffic": True,
        "network_security_config": nsc(base_cleartext_permitted=False),
    }
    (f,) = cleartext(make_facts(manifest=manifest, min_sdk=21))
    assert f.severity is Severity.low
    assert f.evidence[0].element == "application/@android:usesCleartextTraffic"
    assert "Android 6.0" in f.message.en


def test_unreadable_config_is_mentioned():
    manifest = {"uses_cleartext_traffic": True, "network_security_config": nsc(parse_error="bad xml")}
    (f,) = cleartext(make_facts(manifest=manifest))
    assert "bad xml" in f.message.en and "bad xml" in f.message.zh


@pytest.mark.parametrize(
    "config, target, expected",
    [
        (nsc(trusts_user_certificates=True), 33, 1),
        (None, 23, 1),  # default trust anchors include user CAs before API 24
        (None, 24, 0),
        (nsc(), 23, 0),
    ],
)
def test_user_certificates(config, target, expected):
    found = run_checks(
        make_facts(manifest={"network_security_config": config}, target_sdk=target), select=["HG-NET-002"]
    )
    assert len(found) == expected
