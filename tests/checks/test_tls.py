"""Transport rules HG-NET-003..006 and the shake-to-open rule HG-SDK-005: constructed Facts and the
fixture APKs (tls_trust_all / tls_safe, sdk_ad_shake / pi_sensors)."""

from __future__ import annotations

import pytest

from hegui.checks.cleartext import is_transport
from hegui.checks.registry import run_checks
from hegui.facts.model import DetectedSdk, NetworkSecurityConfig, TlsOverride, UrlRef

from ..conftest import load_truth
from .conftest import by_rule, fixture_report, make_facts, site

TRUTH = load_truth()
PKG = "Lcom/example/app"
SENSOR_API = "Landroid/hardware/SensorManager;->registerListener(Landroid/hardware/SensorEventListener;Landroid/hardware/Sensor;I)Z"


def tls(
    kind: str, verdict: str, *, cls: str = f"{PKG}/Net;", name: str = "m", owner: str = "app"
) -> TlsOverride:
    return TlsOverride(
        kind=kind,  # type: ignore[arg-type]
        declaring_class=cls,
        method=f"{cls}->{name}()V",
        interface="Ljavax/net/ssl/X509TrustManager;",
        verdict=verdict,  # type: ignore[arg-type]
        owner=owner,
        dex="classes2.dex",
        offset=7,
    )


def run(rule_id: str, **facts):
    return run_checks(make_facts(**facts), select=[rule_id])


def sdk(sid: str, category: str) -> DetectedSdk:
    return DetectedSdk(
        id=sid,
        name_zh=f"{sid} 中文名",
        name_en=f"{sid} name",
        vendor_zh="厂商",
        vendor_en="Vendor",
        category=category,
        country="CN",
        confidence="high",
    )


# -- HG-NET-003 / 004 / 005 ------------------------------------------------------------------
@pytest.mark.parametrize(
    "rule_id, kind, fires, quiet",
    [
        ("HG-NET-003", "trust_manager", ["accepts_all"], ["checks"]),
        ("HG-NET-004", "hostname_verifier", ["accepts_all"], ["checks"]),
        ("HG-NET-004", "allow_all_verifier", ["accepts_all"], []),
        ("HG-NET-005", "webview_ssl_error", ["proceeds", "conditional"], ["checks"]),
    ],
)
def test_tls_rules_follow_the_verdict(rule_id, kind, fires, quiet):
    for verdict in fires:
        (f,) = run(rule_id, tls=[tls(kind, verdict)])
        assert f.owner == "app" and f.evidence[0].caller == f"{PKG}/Net;->m()V"
        assert f.evidence[0].file == "classes2.dex" and f.evidence[0].value == f"{verdict} @7"
    for verdict in quiet:
        assert run(rule_id, tls=[tls(kind, verdict)]) == []


def test_tls_rules_ignore_other_kinds():
    facts = {"tls": [tls("webview_ssl_error", "proceeds")]}
    assert run("HG-NET-003", **facts) == [] and run("HG-NET-004", **facts) == []
    assert run("HG-NET-005", tls=[tls("trust_manager", "accepts_all")]) == []


def test_one_finding_per_class_with_every_method():
    items = [
        tls("trust_manager", "accepts_all", name="a"),
        tls("trust_manager", "accepts_all", name="b"),
        tls("trust_manager", "accepts_all", cls=f"{PKG}/Other;"),
    ]
    found = run("HG-NET-003", tls=items)
    assert [len(f.evidence) for f in found] == [2, 1]
    assert "com.example.app.Net" in found[0].message.zh and "com.example.app.Net" in found[0].message.en


def test_trust_manager_evidence_names_the_platform_method():
    (f,) = run("HG-NET-003", tls=[tls("trust_manager", "accepts_all")])
    assert f.evidence[0].api == "Ljavax/net/ssl/X509TrustManager;->m()V"


def test_webview_conditional_lowers_confidence():
    (sure,) = run("HG-NET-005", tls=[tls("webview_ssl_error", "proceeds")])
    (cond,) = run("HG-NET-005", tls=[tls("webview_ssl_error", "conditional")])
    assert sure.confidence == "high" and cond.confidence == "medium"
    assert "有条件" in cond.message.zh and "conditional" in cond.message.en


def test_sdk_owned_override_names_the_sdk():
    (f,) = run(
        "HG-NET-003",
        tls=[tls("trust_manager", "accepts_all", cls="Lcom/qq/e/comm/net/T;", owner="sdk:tencent_gdt")],
        sdks=[sdk("tencent_gdt", "ads")],
    )
    assert (
        f.owner == "sdk:tencent_gdt"
        and "tencent_gdt 中文名" in f.message.zh
        and "tencent_gdt name" in f.message.en
    )
    (f,) = run("HG-NET-004", tls=[tls("allow_all_verifier", "accepts_all", owner="third-party:com.x.net")])
    assert "com.x.net" in f.message.en and "ALLOW_ALL_HOSTNAME_VERIFIER" in f.message.en


# -- HG-NET-006 ------------------------------------------------------------------------------
URL = "http://api.example.cn/v1/upload"
CALLER = f"{PKG}/Api;->send()V"


def cleartext(manifest=None, *, urls=None, sites=None, **kw):
    return run(
        "HG-NET-006",
        manifest={"uses_cleartext_traffic": True} if manifest is None else manifest,
        cleartext_urls=[UrlRef(url=u, caller=c, owner=o) for u, c, o in (urls or [(URL, CALLER, "app")])],
        call_sites=sites if sites is not None else [site("device_id.imei")],
        **kw,
    )


def test_cleartext_with_pi_of_the_same_owner():
    (f,) = cleartext()
    assert f.owner == "app" and f.judgement == "assisted"
    assert [e.value for e in f.evidence if e.kind == "network"] == [URL]
    assert [e.api for e in f.evidence if e.kind == "call_site"] == [site("x").api]
    assert URL in f.message.en and "IMEI" in f.message.zh


def test_confidence_medium_when_the_url_class_reads_the_pi():
    assert cleartext()[0].confidence == "low"
    same = site("device_id.imei", caller=f"{PKG}/Api;->collect()V")
    assert cleartext(sites=[same])[0].confidence == "medium"


@pytest.mark.parametrize(
    "manifest, target, fires",
    [
        ({"uses_cleartext_traffic": True}, 33, True),
        ({"uses_cleartext_traffic": None}, 27, True),  # platform default before API 28
        ({"uses_cleartext_traffic": None}, 28, False),
        ({"uses_cleartext_traffic": False}, 27, False),
        ({"network_security_config": NetworkSecurityConfig(base_cleartext_permitted=True)}, 33, True),
        ({"network_security_config": NetworkSecurityConfig(cleartext_domains=["*.example.cn"])}, 33, True),
        ({"network_security_config": NetworkSecurityConfig(cleartext_domains=["api.example.cn"])}, 33, True),
        ({"network_security_config": NetworkSecurityConfig(cleartext_domains=["other.cn"])}, 33, False),
        ({"network_security_config": NetworkSecurityConfig(cleartext_domains=["*.other.cn"])}, 33, False),
    ],
)
def test_cleartext_policy_as_hg_net_001_decides(manifest, target, fires):
    assert bool(cleartext(manifest, target_sdk=target)) is fires


def test_android6_override_counts_for_every_url():
    m = {
        "uses_cleartext_traffic": True,
        "network_security_config": NetworkSecurityConfig(base_cleartext_permitted=False),
    }
    assert cleartext(m, min_sdk=21)
    assert not cleartext(m, min_sdk=24)


def test_cleartext_needs_pi_of_that_owner():
    assert cleartext(sites=[]) == []
    assert cleartext(sites=[site("device_id.imei", owner="sdk:umeng")]) == []
    (f,) = cleartext(
        urls=[(URL, "Lcom/umeng/a;->b()V", "sdk:umeng")], sites=[site("device_id.imei", owner="sdk:umeng")]
    )
    assert f.owner == "sdk:umeng"


def test_one_finding_per_owner():
    urls = [
        (URL, CALLER, "app"),
        ("http://b.example.cn/", CALLER, "app"),
        ("http://t.x.cn/", "Lcom/x/A;->a()V", "third-party:com.x"),
    ]
    sites = [site("device_id.imei"), site("location.precise", owner="third-party:com.x")]
    found = cleartext(urls=urls, sites=sites)
    assert sorted(f.owner for f in found) == ["app", "third-party:com.x"]
    app = next(f for f in found if f.owner == "app")
    assert len([e for e in app.evidence if e.kind == "network"]) == 2


@pytest.mark.parametrize(
    "url, transport",
    [
        ("http://api.example.cn/v1", True),
        ("http://10.0.0.1/router", True),  # a LAN device is still a network hop
        ("http://127.0.0.1:8080/debug", False),
        ("http://127.1.2.3/", False),
        ("http://0.0.0.0/", False),
        ("http://[::1]:80/", False),
        ("http://localhost/x", False),
        ("http://10.0.2.2:3000/", False),
        ("http://schemas.android.com/apk/res/android", False),
        ("http://www.w3.org/2001/XMLSchema", False),
        ("http://www.apache.org/licenses/LICENSE-2.0", False),
        ("http://java.sun.example.cn/dtd/properties.dtd", False),
        ("http://cfg.example.cn/schema/app.XSD", False),
        ("http://[bad", False),
    ],
)
def test_not_transport_strings(url, transport):
    assert is_transport(url) is transport


def test_excluded_urls_do_not_fire():
    assert (
        cleartext(
            urls=[("http://127.0.0.1/", CALLER, "app"), ("http://www.w3.org/1999/xhtml", CALLER, "app")]
        )
        == []
    )


# -- HG-SDK-005 ------------------------------------------------------------------------------
def sensor(owner: str, *, api_id: str = "sensor_manager.register_listener", caller: str = f"{PKG}/S;->s()V"):
    return site("sensors.motion", api=SENSOR_API, api_id=api_id, owner=owner, caller=caller)


def test_ad_sdk_sensor_listener_fires_with_its_call_sites_only():
    sites = [sensor("sdk:tencent_gdt", caller="Lcom/qq/e/a;->b()V"), sensor("app")]
    (f,) = run("HG-SDK-005", call_sites=sites, sdks=[sdk("tencent_gdt", "ads")])
    assert f.owner == "sdk:tencent_gdt" and f.judgement == "assisted"
    assert [e.caller for e in f.evidence] == ["Lcom/qq/e/a;->b()V"]
    assert "tencent_gdt 中文名" in f.message.zh


@pytest.mark.parametrize(
    "owner, sdks",
    [
        ("app", []),
        ("third-party:com.adsdk.shake", []),  # an ad-like package name is not enough
        ("sdk:umeng", [sdk("umeng", "analytics")]),  # a catalogued SDK, not an ads one
    ],
)
def test_sensor_listener_of_others_does_not_fire(owner, sdks):
    assert run("HG-SDK-005", call_sites=[sensor(owner)], sdks=sdks) == []


def test_ad_sdk_category_from_the_catalogue_when_not_in_facts():
    (f,) = run("HG-SDK-005", call_sites=[sensor("sdk:pangle_csj")])
    assert f.owner == "sdk:pangle_csj" and "Pangle" in f.message.en


def test_other_sensor_apis_and_other_pi_of_an_ad_sdk_do_not_fire():
    trigger = sensor("sdk:tencent_gdt", api_id="sensor_manager.request_trigger_sensor")
    imei = site("device_id.imei", owner="sdk:tencent_gdt")
    assert run("HG-SDK-005", call_sites=[trigger, imei], sdks=[sdk("tencent_gdt", "ads")]) == []


# -- the fixtures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", sorted(k for k, v in TRUTH.items() if "expect_rules" in v or "expect_no_rules" in v)
)
def test_fixture_expectations(name):
    found = set(by_rule(name))
    assert set(TRUTH[name].get("expect_rules") or []) <= found
    assert set(TRUTH[name].get("expect_no_rules") or []) & found == set()


def test_tls_trust_all_findings():
    found = by_rule("tls_trust_all")
    cls = "Lcom/hegui/fixture/tlsall/"
    net3 = {f.evidence[0].caller.partition("->")[0] for f in found["HG-NET-003"]}
    assert net3 == {f"{cls}TrustAllManager;", f"{cls}EngineTrustManager;", f"{cls}SwallowingTrustManager;"}
    net4 = {f.evidence[0].caller.partition("->")[0] for f in found["HG-NET-004"]}
    assert net4 == {f"{cls}TrustAllVerifier;", f"{cls}LegacyHttp;"}
    net5 = {f.evidence[0].caller.partition("->")[0]: f.confidence for f in found["HG-NET-005"]}
    assert net5 == {f"{cls}InsecureWebClient;": "high", f"{cls}DebugWebClient;": "medium"}
    (net6,) = found["HG-NET-006"]
    assert [e.value for e in net6.evidence if e.kind == "network"] == [
        "http://api.tlsall-example.cn/v1/report?id="
    ]
    assert [e.caller for e in net6.evidence if e.kind == "call_site"] == [
        f"{cls}ApiClient;->report(Landroid/content/Context;)Ljava/lang/String;"
    ]
    assert net6.confidence == "medium"  # ApiClient both loads the URL and reads the device id
    assert all(
        f.owner == "app"
        for rid in ("HG-NET-003", "HG-NET-004", "HG-NET-005", "HG-NET-006")
        for f in found[rid]
    )
    assert fixture_report("tls_trust_all").verdict.status == "fail"


def test_tls_safe_is_quiet_on_transport():
    assert {r for r in by_rule("tls_safe") if r.startswith("HG-NET")} == set()
    assert len(fixture_report("tls_safe").facts.tls) == 5  # the overrides are seen, and judged safe


def test_sdk_ad_shake_and_app_sensors():
    (f,) = by_rule("sdk_ad_shake")["HG-SDK-005"]
    assert f.owner == "sdk:tencent_gdt"
    assert [e.caller for e in f.evidence] == [
        "Lcom/qq/e/ads/splash/SplashShake;->start(Landroid/hardware/SensorManager;Landroid/hardware/Sensor;)V"
    ]
    assert "HG-SDK-005" not in by_rule("pi_sensors")  # sensors registered from the app's own code
