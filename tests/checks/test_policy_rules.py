"""HG-POL-001..006 on constructed facts: PolicyAnalysis objects built by hand (no analyser)."""

from __future__ import annotations

from typing import Any

import pytest

from hegui.checks.policy_basis import REQUIRED_ELEMENTS
from hegui.checks.registry import get_rule, run_checks
from hegui.facts.model import DetectedSdk, PolicySource
from hegui.policy.model import (
    ELEMENTS,
    CollectedPI,
    ElementResult,
    Evidence,
    NotCollected,
    PermissionPurpose,
    PolicyAnalysis,
    ThirdParty,
)

from .conftest import make_facts, site

EV = Evidence(text="我们会收集您的位置信息。", start=0, end=12)
POL = [f"HG-POL-00{i}" for i in range(1, 7)]


def policy(
    *,
    collected: list[str] = (),
    parties: list[tuple[str, str | None]] = (),
    groups: list[str] = (),
    missing: list[str] = (),
) -> PolicyAnalysis:
    return PolicyAnalysis(
        source="assets/privacy.html",
        format="html",
        text_chars=100,
        analyser="test",
        collected=[CollectedPI(pi_type=p, term=p, evidence=EV, purpose="展示附近门店") for p in collected],
        third_parties=[ThirdParty(name=n, sdk_id=sid, evidence=EV) for n, sid in parties],
        elements={
            k: ElementResult(present=k not in missing, evidence=None if k in missing else EV)
            for k in ELEMENTS
        },
        permissions=[PermissionPurpose(group=g, purpose="用途", evidence=EV) for g in groups],
    )


def sdk(sid: str, *, vendor: str = "厂商", confidence: str = "high") -> DetectedSdk:
    return DetectedSdk(
        id=sid,
        name_zh=f"{sid} 中文名",
        name_en=f"{sid} name",
        vendor_zh=vendor,
        vendor_en="Vendor",
        category="analytics",
        country="CN",
        confidence=confidence,  # type: ignore[arg-type]
    )


def facts(pol: PolicyAnalysis | None, kind: str = "asset", **kw: Any):
    source = PolicySource(kind=kind, path=None if pol is None else pol.source)  # type: ignore[arg-type]
    return make_facts(policy=pol, policy_source=source, **kw)


def findings(f, rule_id: str) -> list:
    return [x for x in run_checks(f, select=[rule_id])]


def test_complete_policy_raises_nothing():
    pol = policy(
        collected=["location", "device_id"], parties=[("友盟+", "umeng_common")], groups=["LOCATION"]
    )
    f = facts(
        pol,
        call_sites=[site("location.precise"), site("device_id.imei", owner="sdk:umeng_common")],
        sdks=[sdk("umeng_common")],
        permissions=["android.permission.ACCESS_FINE_LOCATION"],
    )
    assert [x.rule_id for x in run_checks(f, select=["HG-POL"])] == []


def test_undisclosed_pi_one_finding_per_type_with_both_evidences():
    f = facts(
        policy(collected=["location.precise"]),
        call_sites=[site("location.precise"), site("clipboard"), site("clipboard", caller="LA;->b()V")],
    )
    (only,) = findings(f, "HG-POL-001")
    assert "clipboard" in only.message.en and only.owner == "app"
    assert [e.kind for e in only.evidence] == ["call_site", "call_site", "file"]
    assert only.evidence[-1].file == "assets/privacy.html" and only.confidence == "medium"


def test_generic_parent_discloses_children():
    f = facts(policy(collected=["device_id"]), call_sites=[site("device_id.imei"), site("device_id.oaid")])
    assert findings(f, "HG-POL-001") == []


def test_sdk_attributed_pi_is_checked_too():
    f = facts(policy(), call_sites=[site("device_id.imei", owner="sdk:umeng_common")])
    (only,) = findings(f, "HG-POL-001")
    assert only.owner == "sdk:umeng_common"


def test_undisclosed_and_stale_sdk():
    pol = policy(parties=[("极光推送", "jiguang_jpush")])
    f = facts(pol, sdks=[sdk("umeng_common", confidence="low")])
    (missing,) = findings(f, "HG-POL-002")
    assert missing.owner == "sdk:umeng_common" and missing.confidence == "low"
    (stale,) = findings(f, "HG-POL-003")
    assert stale.owner == "sdk:jiguang_jpush" and stale.judgement == "assisted"
    assert stale.evidence[0].value == EV.text


def test_sdk_named_by_vendor_counts_and_same_vendor_is_not_stale():
    pol = PolicyAnalysis(
        source="p.html",
        format="html",
        text_chars=1,
        analyser="test",
        third_parties=[
            ThirdParty(
                name="友盟统计", sdk_id="umeng_analytics", vendor="友盟同欣（北京）科技有限公司", evidence=EV
            )
        ],
    )
    f = facts(pol, sdks=[sdk("umeng_common", vendor="友盟同欣（北京）科技有限公司")])
    assert findings(f, "HG-POL-002") == []
    assert findings(f, "HG-POL-003") == []


def test_unexplained_permission_groups():
    perms = [
        "android.permission.ACCESS_FINE_LOCATION",
        "android.permission.READ_PHONE_STATE",
        "android.permission.INTERNET",
    ]
    f = facts(policy(groups=["LOCATION"]), permissions=perms)
    (only,) = findings(f, "HG-POL-004")
    assert "PHONE" in only.message.en
    assert [e.value for e in only.evidence if e.kind == "permission"] == [
        "android.permission.READ_PHONE_STATE"
    ]


def test_missing_elements_one_finding_each_with_its_basis():
    f = facts(policy(missing=["account_cancellation", "minors", "cross_border"]))
    found = findings(f, "HG-POL-006")
    assert len(found) == 2  # cross_border is conditional, not required
    by = {x.message.en: x for x in found}
    minors = next(x for m, x in by.items() if "under 14" in m)
    assert "PIPL 第三十一条" in minors.message.zh and minors.evidence[-1].value == "PIPL 第三十一条"
    cancel = next(x for m, x in by.items() if "account cancellation" in m)
    assert "认定方法 六、1" in cancel.message.en and "注销" in cancel.message.zh
    rule_basis = {(b.law, b.article) for b in cancel.legal_basis}
    assert {("PIPL", "第三十一条"), ("认定方法", "六、1"), ("PIPL", "第十五条")} <= rule_basis


def test_no_policy_only_005():
    f = facts(
        None,
        kind="none",
        call_sites=[site("clipboard")],
        sdks=[sdk("umeng_common")],
        permissions=["android.permission.READ_PHONE_STATE"],
    )
    found = [x.rule_id for x in run_checks(f, select=["HG-POL"])]
    assert found == ["HG-POL-005"]
    (only,) = findings(f, "HG-POL-005")
    assert only.judgement == "assisted" and "not checked" in only.message.en


def test_no_search_no_finding():
    assert run_checks(make_facts(call_sites=[site("clipboard")]), select=["HG-POL"]) == []


def test_dialog_source_lowers_confidence():
    f = facts(policy(missing=["minors"]), kind="string_resource", call_sites=[site("clipboard")])
    assert {x.confidence for x in run_checks(f, select=["HG-POL-001", "HG-POL-006"])} == {"low"}


@pytest.mark.parametrize("rule_id", POL)
def test_metadata(rule_id):
    r = get_rule(rule_id)
    assert r.family == "POL" and r.legal_basis and r.title.zh and r.title.en and r.advice.zh and r.advice.en
    assert r.judgement == ("assisted" if rule_id in {"HG-POL-003", "HG-POL-005", "HG-POL-006"} else "auto")


def test_required_elements_are_model_elements():
    assert set(REQUIRED_ELEMENTS) <= set(ELEMENTS)


# positive / negative case of every HG-POL rule, for tests/checks/test_rules.py
_PERMS = ["android.permission.READ_PHONE_STATE"]
POL_CASES = {
    "HG-POL-001": (
        lambda: facts(policy(), call_sites=[site("clipboard")]),
        lambda: facts(policy(collected=["clipboard"]), call_sites=[site("clipboard")]),
    ),
    "HG-POL-002": (
        lambda: facts(policy(), sdks=[sdk("umeng_common")]),
        lambda: facts(policy(parties=[("友盟", "umeng_common")]), sdks=[sdk("umeng_common")]),
    ),
    "HG-POL-003": (
        lambda: facts(policy(parties=[("极光推送", "jiguang_jpush")])),
        lambda: facts(policy(parties=[("极光推送", "jiguang_jpush")]), sdks=[sdk("jiguang_jpush")]),
    ),
    "HG-POL-004": (
        lambda: facts(policy(), permissions=_PERMS),
        lambda: facts(policy(groups=["PHONE"]), permissions=_PERMS),
    ),
    "HG-POL-005": (lambda: facts(None, kind="none"), lambda: facts(policy())),
    "HG-POL-006": (lambda: facts(policy(missing=["account_cancellation"])), lambda: facts(policy())),
}


def test_collection_the_policy_denies_is_quoted():
    denied = NotCollected(
        pi_type="contacts", term="通讯录", evidence=Evidence(text="我们不会收集您的通讯录。", start=0, end=11)
    )
    pol = policy().model_copy(update={"not_collected": [denied]})
    (only,) = findings(facts(pol, call_sites=[site("contacts")]), "HG-POL-001")
    assert "我们不会收集您的通讯录" in only.message.zh and only.evidence[-1].value == denied.evidence.text
