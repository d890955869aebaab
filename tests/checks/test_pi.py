"""HG-PI-0xx: PI types reached by call sites (declarative rules and HG-PI-005)."""

from __future__ import annotations

from hegui.checks.model import Severity
from hegui.checks.registry import run_checks
from hegui.knowledge import pi_types

from .conftest import make_facts, site

QUERY_ALL = "android.permission.QUERY_ALL_PACKAGES"
GET_PACKAGES = "Landroid/content/pm/PackageManager;->getInstalledPackages(I)Ljava/util/List;"


def run(facts, rule_id):
    return run_checks(facts, select=[rule_id])


def test_device_ids_one_finding_per_type_with_every_call_site():
    sites = [
        site("device_id.imei", caller="La/A;->x()V", owner="app"),
        site("device_id.imei", caller="La/A;->x()V", owner="app"),  # same site twice: one evidence item
        site("device_id.imei", caller="Lcom/umeng/B;->y()V", owner="sdk:umeng"),
        site(
            "device_id.mac",
            api="Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;",
            owner="sdk:umeng",
        ),
        site("installed_apps"),  # another rule's
    ]
    found = run(make_facts(call_sites=sites), "HG-PI-004")
    assert len(found) == 2
    imei, mac = found
    assert [(e.caller, e.owner) for e in imei.evidence] == [
        ("La/A;->x()V", "app"),
        ("Lcom/umeng/B;->y()V", "sdk:umeng"),
    ]
    assert imei.owner is None and mac.owner == "sdk:umeng"
    assert imei.judgement == "assisted" and imei.severity is Severity.medium
    names = pi_types()
    assert names["device_id.imei"].name.zh in imei.message.zh and "app, sdk:umeng" in imei.message.en
    assert mac.evidence[0].api.endswith("getMacAddress()Ljava/lang/String;")


def test_installed_apps_notes_query_all_packages():
    plain = run(make_facts(call_sites=[site("installed_apps", api=GET_PACKAGES)]), "HG-PI-001")[0]
    noted = run(
        make_facts(permissions=[QUERY_ALL], call_sites=[site("installed_apps", api=GET_PACKAGES)]),
        "HG-PI-001",
    )[0]
    assert QUERY_ALL not in plain.message.en and all(e.kind == "call_site" for e in plain.evidence)
    assert QUERY_ALL in noted.message.en and QUERY_ALL in noted.message.zh
    assert noted.evidence[-1].kind == "permission" and noted.evidence[-1].value == QUERY_ALL


def test_query_all_packages_permission_rule():
    (f,) = run(make_facts(permissions=[QUERY_ALL]), "HG-PERM-003")
    assert f.evidence[0].element == "manifest/uses-permission" and f.evidence[0].value == QUERY_ALL


def test_sensitive_pi_only_for_sensitive_types():
    taxonomy = pi_types()
    sensitive = sorted(t for t, e in taxonomy.items() if e.sensitive)
    ordinary = sorted(t for t, e in taxonomy.items() if not e.sensitive)
    assert sensitive and ordinary, "the taxonomy marks some types sensitive and some not"
    sites = [site(sensitive[0]), site(sensitive[0], caller="La/B;->y()V"), site(ordinary[0])]
    (f,) = run(make_facts(call_sites=sites), "HG-PI-005")
    assert len(f.evidence) == 2 and f.severity is Severity.low and f.judgement == "assisted"
    assert taxonomy[sensitive[0]].name.en in f.message.en


def test_sensitive_pi_one_finding_per_type():
    sensitive = sorted(t for t, e in pi_types().items() if e.sensitive)[:2]
    found = run(make_facts(call_sites=[site(t) for t in sensitive]), "HG-PI-005")
    assert len(found) == 2


# -- HG-PI-006: PI beyond the app type's necessary scope ------------------------------------------


def _pi006(apk: str, app_type: str | None):
    from pathlib import Path

    from hegui.api import ScanOptions, scan

    path = Path(__file__).resolve().parents[1] / "fixtures" / "apk" / apk
    report = scan(path, options=ScanOptions(app_type=app_type))
    return report, [f for f in report.findings if f.rule_id == "HG-PI-006"]


def test_pi006_silent_when_location_is_necessary() -> None:
    report, found = _pi006("pi_location.apk", "map_navigation")
    assert {cs.pi_type for cs in report.facts.call_sites} <= {
        "location.precise", "location.coarse", "location.wifi", "location.cell"
    }
    assert report.facts.app_type is not None and report.facts.app_type.source == "given"
    assert found == []


def test_pi006_fires_for_a_type_that_needs_no_pi() -> None:
    report, found = _pi006("pi_location.apk", "news")
    (f,) = found
    reached = {cs.pi_type for cs in report.facts.call_sites}
    assert reached and all(pi in f.message.en or ev_has(f, pi) for pi in reached)
    assert f.confidence == "medium" and f.judgement == "assisted"
    assert f.evidence[0].element == "app_type" and f.evidence[0].value == "news (given)"
    assert len([e for e in f.evidence if e.kind == "call_site"]) >= len(reached)


def ev_has(f, pi: str) -> bool:
    from hegui.checks.evidence import pi_name

    return pi_name(pi).en in f.message.en


def test_pi006_needs_a_type() -> None:
    report, found = _pi006("pi_location.apk", None)
    assert report.facts.app_type is None  # label "…" and package give no keyword
    assert found == []
