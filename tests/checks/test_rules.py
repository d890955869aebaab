"""Every rule fires on a positive case and stays silent on a negative one (small constructed Facts).

Family files (test_manifest.py, test_network.py ...) test the details; this table guarantees that
no rule exists without both cases.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hegui.checks.registry import all_rules, run_checks
from hegui.facts.model import (
    AnalysisNote,
    AppTypeAssessment,
    Component,
    Facts,
    NetworkSecurityConfig,
    StartupCollection,
    StartupInit,
    StartupReach,
    ThirdPartyPackage,
    TlsOverride,
    UrlRef,
)

from .conftest import cert, make_facts, site
from .test_policy_rules import POL_CASES

READ_PHONE_STATE = "android.permission.READ_PHONE_STATE"
IMEI_API = "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"

Case = Callable[[], Facts]
ENTRY = "Lcom/example/app/App;->onCreate()V"


def _startup(*, inits=(), collection=()) -> StartupReach:
    return StartupReach(entries=[ENTRY], sdk_inits=list(inits), collection=list(collection))


def _init(*, gated: bool) -> StartupInit:
    api = "Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V"
    return StartupInit(sdk="umeng_common", api=api, entry=ENTRY, chain=[ENTRY], gated=gated)


def _collected(*, conditional: bool) -> StartupCollection:
    caller = "Lcom/example/app/Tracker;->start()V"
    return StartupCollection(
        api=IMEI_API,
        pi_type="device_id.imei",
        caller=caller,
        owner="app",
        entry=ENTRY,
        chain=[ENTRY, caller],
        conditional=conditional,
    )


_CALLER = "Lcom/example/app/Api;->send()V"


def _tls(kind: str, verdict: str) -> TlsOverride:
    return TlsOverride(
        kind=kind,  # type: ignore[arg-type]
        declaring_class="Lcom/example/app/Net;",
        method="Lcom/example/app/Net;->m()V",
        interface="Ljavax/net/ssl/X509TrustManager;",
        verdict=verdict,  # type: ignore[arg-type]
        dex="classes.dex",
    )


def _sensor(owner: str):
    return site(
        "sensors.motion",
        api="Landroid/hardware/SensorManager;->registerListener(Landroid/hardware/SensorEventListener;Landroid/hardware/Sensor;I)Z",
        api_id="sensor_manager.register_listener",
        owner=owner,
    )


CASES: dict[str, tuple[Case, Case]] = {
    "HG-INT-002": (
        lambda: make_facts(
            notes=[AnalysisNote(code="dex-malformed", message="bad header", file="classes2.dex")]
        ),
        lambda: make_facts(notes=[AnalysisNote(code="hidden-dex", message="packed", file="assets/a.dex")]),
    ),
    "HG-MAN-001": (
        lambda: make_facts(manifest={"debuggable": True}),
        lambda: make_facts(manifest={"debuggable": False}),
    ),
    "HG-MAN-002": (
        lambda: make_facts(manifest={"allow_backup": True}, call_sites=[site("device_id.imei")]),
        lambda: make_facts(manifest={"allow_backup": True}),  # no PI reached
    ),
    "HG-MAN-003": (
        lambda: make_facts(
            manifest={"components": [Component(kind="provider", name="com.example.app.P", exported=True)]}
        ),
        lambda: make_facts(
            manifest={
                "components": [
                    Component(kind="provider", name="com.example.app.P", exported=True, permission="x.SIGNED")
                ]
            }
        ),
    ),
    "HG-NET-001": (
        lambda: make_facts(manifest={"uses_cleartext_traffic": True}),
        lambda: make_facts(manifest={"uses_cleartext_traffic": None}, target_sdk=28),
    ),
    "HG-NET-002": (
        lambda: make_facts(
            manifest={"network_security_config": NetworkSecurityConfig(trusts_user_certificates=True)}
        ),
        lambda: make_facts(manifest={"network_security_config": NetworkSecurityConfig()}),
    ),
    "HG-PERM-001": (
        lambda: make_facts(permissions=[READ_PHONE_STATE]),
        lambda: make_facts(
            permissions=[READ_PHONE_STATE],
            call_sites=[site("device_id.imei", permissions=[READ_PHONE_STATE], owner="sdk:umeng")],
        ),
    ),
    "HG-PERM-002": (
        lambda: make_facts(call_sites=[site("device_id.imei", permissions=[READ_PHONE_STATE])]),
        lambda: make_facts(
            permissions=[READ_PHONE_STATE],
            call_sites=[site("device_id.imei", permissions=[READ_PHONE_STATE])],
        ),
    ),
    "HG-PERM-003": (
        lambda: make_facts(permissions=["android.permission.QUERY_ALL_PACKAGES"]),
        lambda: make_facts(permissions=["android.permission.INTERNET"]),
    ),
    "HG-PI-001": (
        lambda: make_facts(call_sites=[site("installed_apps")]),
        lambda: make_facts(call_sites=[site("clipboard")]),
    ),
    "HG-PI-002": (
        lambda: make_facts(call_sites=[site("running_apps")]),
        lambda: make_facts(call_sites=[site("installed_apps")]),
    ),
    "HG-PI-003": (
        lambda: make_facts(call_sites=[site("clipboard")]),
        lambda: make_facts(call_sites=[site("running_apps")]),
    ),
    "HG-PI-004": (
        lambda: make_facts(call_sites=[site("device_id.android_id")]),
        lambda: make_facts(call_sites=[site("installed_apps")]),
    ),
    "HG-SDK-001": (
        lambda: make_facts(startup=_startup(inits=[_init(gated=False)])),
        lambda: make_facts(startup=_startup(inits=[_init(gated=True)])),
    ),
    "HG-SDK-002": (
        lambda: make_facts(startup=_startup(collection=[_collected(conditional=False)])),
        lambda: make_facts(startup=_startup(collection=[_collected(conditional=True)])),
    ),
    "HG-SDK-003": (
        lambda: make_facts(startup=_startup(collection=[_collected(conditional=True)])),
        lambda: make_facts(startup=_startup(collection=[_collected(conditional=False)])),
    ),
    "HG-SDK-004": (
        lambda: make_facts(
            third_party_packages=[
                ThirdPartyPackage(package="com.x.sdk", pi_reached=["device_id.imei"], call_sites=1)
            ]
        ),
        lambda: make_facts(third_party_packages=[]),
    ),
    "HG-PI-005": (
        lambda: make_facts(call_sites=[site("contacts")]),
        lambda: make_facts(call_sites=[site("clipboard")]),
    ),
    "HG-SEC-001": (
        lambda: make_facts(hidden_dex=["assets/payload.dex"]),
        lambda: make_facts(),
    ),
    "HG-SEC-002": (
        lambda: make_facts(certificates=[cert(debug=True)]),
        lambda: make_facts(certificates=[cert()]),
    ),
    "HG-SEC-003": (
        lambda: make_facts(signing_schemes=["v1"], target_sdk=30),
        lambda: make_facts(signing_schemes=["v1"], target_sdk=29),
    ),
    "HG-NET-003": (
        lambda: make_facts(tls=[_tls("trust_manager", "accepts_all")]),
        lambda: make_facts(tls=[_tls("trust_manager", "checks")]),
    ),
    "HG-NET-004": (
        lambda: make_facts(tls=[_tls("hostname_verifier", "accepts_all")]),
        lambda: make_facts(tls=[_tls("hostname_verifier", "checks")]),
    ),
    "HG-NET-005": (
        lambda: make_facts(tls=[_tls("webview_ssl_error", "proceeds")]),
        lambda: make_facts(tls=[_tls("webview_ssl_error", "checks")]),
    ),
    "HG-NET-006": (
        lambda: make_facts(
            manifest={"uses_cleartext_traffic": True},
            cleartext_urls=[UrlRef(url="http://api.example.cn/v1", caller=_CALLER)],
            call_sites=[site("device_id.imei")],
        ),
        lambda: make_facts(
            manifest={"uses_cleartext_traffic": False},
            cleartext_urls=[UrlRef(url="http://api.example.cn/v1", caller=_CALLER)],
            call_sites=[site("device_id.imei")],
        ),
    ),
    "HG-SDK-005": (
        lambda: make_facts(call_sites=[_sensor("sdk:tencent_gdt")]),
        lambda: make_facts(call_sites=[_sensor("app")]),
    ),
    "HG-PI-006": (
        lambda: make_facts(app_type=_app_type("news", []), call_sites=[site("device_id.imei")]),
        lambda: make_facts(
            app_type=_app_type("map_navigation", ["location.precise"]), call_sites=[site("location.precise")]
        ),
    ),
    **POL_CASES,
}


def _app_type(type_id: str, necessary: list[str]) -> AppTypeAssessment:
    return AppTypeAssessment(
        id=type_id,
        name_zh=type_id,
        name_en=type_id,
        source="given",
        confidence="high",
        basis="--app-type",
        necessary_pi_types=necessary,
    )
# Raised by the registry when a check crashes, never by Facts: see test_registry.py.
NOT_FROM_FACTS = {"HG-INT-001"}


def ids(findings):
    return [f.rule_id for f in findings]


def test_every_rule_has_cases():
    live = {r.id for r in all_rules() if r.status != "removed"}
    assert live - NOT_FROM_FACTS - set(CASES) == set(), "rules without a positive/negative case"
    assert set(CASES) - live == set(), "cases for rules that do not exist"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_positive(rule_id):
    found = run_checks(CASES[rule_id][0](), select=[rule_id])
    assert rule_id in ids(found)
    assert "HG-INT-001" not in ids(found), found


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_negative(rule_id):
    found = run_checks(CASES[rule_id][1](), select=[rule_id])
    assert found == []


def test_quiet_app_has_no_findings():
    assert run_checks(make_facts()) == []


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_findings_carry_rule_metadata(rule_id):
    from hegui.checks.registry import get_rule

    rule = get_rule(rule_id)
    for f in run_checks(CASES[rule_id][0](), select=[rule_id]):
        assert f.title == rule.title and f.advice == rule.advice and f.legal_basis == rule.legal_basis
        assert f.message.zh and f.message.en
        assert f.evidence, "a finding without evidence"
