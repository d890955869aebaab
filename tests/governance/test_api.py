"""The governance API: hostile input is a clear 4xx, never a traceback; public reads need no login."""

from __future__ import annotations

import pytest

G = "/api/v1/governance"
COMPLAINT = {
    "target_type": "account",
    "target_uid": "wxid_abcdef12yz",
    "category": "porn",
    "text": "出售视频",
}


def test_complaint_and_status(gapi) -> None:
    r = gapi.post(
        f"{G}/complaints", "store", json={**COMPLAINT, "evidence": [{"kind": "text", "text": "加V看片"}]}
    )
    assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]
    s = gapi.get(f"{G}/accounts/wxid_abcdef12yz/status", "store").json()
    assert s["known"] and s["state"] == "active"
    detail = gapi.get(f"{G}/cases/{case_id}", "regulator").json()
    assert detail["evidence"][0]["text"] == "加V看片"
    assert gapi.get(f"{G}/accounts/wxid_unknown/status", "developer").json()["known"] is False


@pytest.mark.parametrize(
    "body",
    [
        {**COMPLAINT, "text": "x" * 5000},
        {**COMPLAINT, "target_uid": "<b>x</b>"},
        {**COMPLAINT, "category": "nope"},
        {**COMPLAINT, "category": "porn.<script>"},
        {**COMPLAINT, "evil": 1},
        {**COMPLAINT, "target_type": "channel"},
        {**COMPLAINT, "evidence": [{"kind": "text", "text": "a"}] * 11},
        {**COMPLAINT, "evidence": [{"kind": "link", "url": "javascript:alert(1)"}]},
        {**COMPLAINT, "evidence": [{"kind": "text"}]},
        {**COMPLAINT, "category": "unknown_root"},
        [1, 2, 3],
        "string",
    ],
)
def test_hostile_complaints_are_422(gapi, body) -> None:
    r = gapi.post(f"{G}/complaints", "store", json=body)
    assert r.status_code == 422, r.text
    assert set(r.json()) == {"error"}


def test_hostile_ids_and_queries(gapi) -> None:
    assert gapi.get(f"{G}/cases/99999999999999999999999", "moderator").status_code == 422
    assert gapi.get(f"{G}/cases/abc", "moderator").status_code == 422
    assert gapi.get(f"{G}/cases/5", "moderator").status_code == 404
    assert gapi.get(f"{G}/cases/queue?category=../x", "moderator").status_code == 422
    assert gapi.get(f"{G}/cases/queue?limit=100000", "moderator").status_code == 422
    assert gapi.get(f"{G}/accounts/{'a' * 65}/status", "store").status_code == 422
    assert gapi.get(f"{G}/public/registration?channel=<x>").status_code == 422
    check = f"{G}/public/registration/check"
    for bad in ({"age": -1}, {"age": 10**12}, {"channel": "<x>"}, {"is_admin": True}, {"age": "twelve"}):
        assert gapi.post(check, json=bad).status_code == 422, bad
    ok = gapi.post(check, json={"age": 30})
    assert ok.status_code == 200 and ok.json()["allowed"] is True
    assert gapi.client.put(
        f"{G}/registration/controls/BAD CHANNEL", headers=gapi.h("moderator"), json={"reason": "x"}
    ).status_code in (404, 422)


def test_decision_requires_reason_and_verified_evidence(gapi) -> None:
    case_id = gapi.post(f"{G}/complaints", "store", json=COMPLAINT).json()["case_id"]
    url = f"{G}/cases/{case_id}/decision"
    assert gapi.post(url, "moderator", json={"outcome": "violation", "reason": ""}).status_code == 422
    r = gapi.post(url, "moderator", json={"outcome": "violation", "reason": "核实"})
    assert r.status_code == 422 and "verified" in r.json()["error"]["message"]
    r = gapi.post(
        url, "moderator", json={"outcome": "violation", "reason": "核实", "evidence_verified": True}
    )
    assert r.status_code == 201, r.text
    assert [s["kind"] for s in r.json()["sanctions"]] == ["warning"]
    assert (
        gapi.post(
            url, "moderator", json={"outcome": "violation", "reason": "again", "evidence_verified": True}
        ).status_code
        == 409
    )


def test_screen_endpoint(gapi) -> None:
    r = gapi.post(f"{G}/screen", "store", json={"text": "出售香烟电子烟，加微信"})
    assert r.status_code in (200, 503), r.text
    if r.status_code == 200:
        assert set(r.json()) == {"categories", "evidence"}
    else:
        assert r.json()["error"]["kind"] == "screener_unavailable"
    assert gapi.post(f"{G}/screen", "store", json={"text": "x" * 20001}).status_code == 422


def test_html_in_fields_is_escaped_in_notice(gapi) -> None:
    body = {**COMPLAINT, "target_name": "<script>alert(1)</script>"}
    case_id = gapi.post(f"{G}/complaints", "store", json=body).json()["case_id"]
    gapi.post(
        f"{G}/cases/{case_id}/decision",
        "moderator",
        json={"outcome": "violation", "reason": "核实", "evidence_verified": True},
    )
    from datetime import date

    today = date.today().isoformat()
    n = gapi.post(f"{G}/notices", "moderator", json={"period_start": today, "period_end": today}).json()
    assert "<script>" not in n["body_html"]
    assert n["counts"]["accounts"] == 1


def test_appeal_through_the_api(gapi) -> None:
    case_id = gapi.post(f"{G}/complaints", "store", json=COMPLAINT).json()["case_id"]
    d = gapi.post(
        f"{G}/cases/{case_id}/decision",
        "moderator",
        json={"outcome": "violation", "reason": "核实", "evidence_verified": True, "severity": "high"},
    )
    decision_id = d.json()["decision"]["id"]
    assert gapi.get(f"{G}/accounts/{COMPLAINT['target_uid']}/status", "store").json()["state"] == "suspended"
    r = gapi.post(f"{G}/appeals", "store", json={"decision_id": decision_id, "text": "误判"})
    assert r.status_code == 201, r.text
    appeal_id = r.json()["id"]
    assert (
        gapi.post(f"{G}/appeals", "store", json={"decision_id": decision_id, "text": "again"}).status_code
        == 409
    )
    assert gapi.get(f"{G}/cases/queue", "regulator").json()[0]["status"] == "appealed"
    assert (
        gapi.post(
            f"{G}/appeals/{appeal_id}/resolve", "regulator", json={"resolution": "overturned", "reason": "x"}
        ).status_code
        == 403
    )
    own = gapi.post(  # the moderator who decided does not review the appeal against it
        f"{G}/appeals/{appeal_id}/resolve", "moderator", json={"resolution": "upheld", "reason": "x"}
    )
    assert own.status_code == 403 and "another moderator" in own.json()["error"]["message"]
    r = gapi.post(
        f"{G}/appeals/{appeal_id}/resolve",
        "moderator2",
        json={"resolution": "overturned", "reason": "复核撤销"},
    )
    assert r.status_code == 200 and r.json()["status"] == "overturned"
    assert (
        gapi.post(
            f"{G}/appeals/{appeal_id}/resolve", "moderator2", json={"resolution": "upheld", "reason": "x"}
        ).status_code
        == 409
    )
    st = gapi.get(f"{G}/accounts/{COMPLAINT['target_uid']}/status", "store").json()
    assert st["state"] == "active" and st["active_strikes"] == 0
    assert gapi.post(f"{G}/appeals", "store", json={"decision_id": 999999, "text": "x"}).status_code == 404
    assert gapi.post(f"{G}/appeals", "store", json={"decision_id": 0, "text": "x"}).status_code == 422
