"""The issue's "done when", through the API, on SQLite and on the local PostgreSQL:

complaints against one account in three categories → three cases → three verified decisions →
warning, restriction, then a permanent ban on the configured repeat (3 active strikes); a group
disbanded; the period's notice shows the right counts (masked identifiers); a paused registration
returns the configured message. Every sanction is in the audit log with who and why.
"""

from __future__ import annotations

from datetime import date

from hegui.service.crud import audit

G = "/api/v1/governance"
ACCOUNT = "wxid_seller8888yz"
GROUP = "grp_1234567890"


def _complain(gapi, target_type: str, uid: str, category: str, text: str, name: str = "") -> int:
    body = {
        "target_type": target_type,
        "target_uid": uid,
        "target_name": name,
        "category": category,
        "text": text,
        "reporter_uid": "wxid_reporter01",
        "evidence": [
            {"kind": "text", "text": text, "forwarded": True},
            {"kind": "media", "media_ref": "img:abc"},
        ],
    }
    r = gapi.post(f"{G}/complaints", "store", json=body)
    assert r.status_code == 201, r.text
    return r.json()["case_id"]


def _decide(gapi, case_id: int, category: str, severity: str = "medium") -> list[str]:
    body = {
        "outcome": "violation",
        "reason": f"证据核实：{category}",
        "category": category,
        "severity": severity,
        "evidence_verified": True,
    }
    r = gapi.post(f"{G}/cases/{case_id}/decision", "moderator", json=body)
    assert r.status_code == 201, r.text
    return [s["kind"] for s in r.json()["sanctions"]]


def test_done_when(gapi, db_sessions) -> None:
    # 1. complaints against one account across three categories → three cases (two complaints share one)
    c1 = _complain(gapi, "account", ACCOUNT, "porn", "私信出售色情视频", "张三丰")
    assert _complain(gapi, "account", ACCOUNT, "porn", "朋友圈发布淫秽图片") == c1
    c2 = _complain(gapi, "account", ACCOUNT, "prohibited_goods.tobacco", "代购电子烟，帮朋友转发")
    c3 = _complain(gapi, "account", ACCOUNT, "black_market.account_trading", "出售微信号")
    assert len({c1, c2, c3}) == 3
    queue = gapi.get(f"{G}/cases/queue", "moderator").json()
    assert {q["id"]: q["report_count"] for q in queue} == {c1: 2, c2: 1, c3: 1}
    # the queue is ordered by screening score, then report count (scores only order it)
    keys = [(-q["score"], -q["report_count"], q["id"]) for q in queue]
    assert keys == sorted(keys) and all(0 <= q["score"] <= 1 for q in queue)

    # nothing is sanctioned before a moderator decides
    assert gapi.get(f"{G}/accounts/{ACCOUNT}/status", "store").json()["state"] == "active"

    # 2. decisions → escalation: warning, restriction 7 days, permanent ban (permanent_at: 3)
    assert _decide(gapi, c1, "porn") == ["warning", "content_removal"]
    assert _decide(gapi, c2, "prohibited_goods.tobacco") == ["restriction", "content_removal"]
    st = gapi.get(f"{G}/accounts/{ACCOUNT}/status", "store").json()
    assert st["state"] == "restricted" and st["active_strikes"] == 2 and st["until"]
    assert _decide(gapi, c3, "black_market.account_trading") == ["permanent_ban", "content_removal"]
    st = gapi.get(f"{G}/accounts/{ACCOUNT}/status", "developer").json()
    assert st["state"] == "banned" and st["until"] is None and st["active_strikes"] == 3

    # 3. a group: first offence a warning, a serious repeat (1 + 2 strikes) disbands it
    g1 = _complain(gapi, "group", GROUP, "porn", "群内传播淫秽视频", "福利交流群")
    assert _decide(gapi, g1, "porn", "medium") == ["warning"]
    g2 = _complain(gapi, "group", GROUP, "porn", "群主继续发布")
    assert _decide(gapi, g2, "porn", "high") == ["disband"]
    assert gapi.get(f"{G}/groups/{GROUP}/status", "store").json()["state"] == "disbanded"

    # a dismissed complaint counts nowhere
    other = _complain(gapi, "account", "wxid_innocent01", "fraud", "疑似诈骗")
    r = gapi.post(
        f"{G}/cases/{other}/decision", "moderator", json={"outcome": "no_violation", "reason": "证据不足"}
    )
    assert r.status_code == 201 and r.json()["sanctions"] == []

    # 4. the period's notice: 1 account, 1 group, masked
    today = date.today().isoformat()
    r = gapi.post(f"{G}/notices", "moderator", json={"period_start": today, "period_end": today})
    assert r.status_code == 201, r.text
    n = r.json()
    assert (n["counts"]["accounts"], n["counts"]["groups"]) == (1, 1)
    assert n["counts"]["by_sanction"] == {"disband": 1, "permanent_ban": 1}
    assert n["counts"]["by_category"]["porn"] == {"accounts": 1, "groups": 1}
    assert (
        "wxid_se****yz" in n["body_text"] and ACCOUNT not in n["body_text"] and "张三丰" not in n["body_text"]
    )
    assert "个人账号1个、群聊1个" in n["body_text"]
    porn = gapi.post(
        f"{G}/notices",
        "moderator",
        json={"period_start": today, "period_end": today, "category": "prohibited_goods"},
    ).json()
    assert (porn["counts"]["accounts"], porn["counts"]["groups"]) == (1, 0)
    assert gapi.get(f"{G}/public/notices/{n['id']}").status_code == 404  # a draft is not public
    assert gapi.post(f"{G}/notices/{n['id']}/publish", "moderator").status_code == 200
    public = gapi.get(f"{G}/public/notices").json()
    assert [p["id"] for p in public] == [n["id"]]
    text = gapi.get(f"{G}/public/notices/{n['id']}/text?lang=en").text
    assert "1 personal accounts and 1 group chats" in text

    # 5. a paused registration returns the configured message
    assert gapi.get(f"{G}/public/registration?channel=phone").json()["open"] is True
    control = {
        "paused": True,
        "message_zh": "系统合规升级，暂停新用户注册",
        "message_en": "Registration paused",
        "resume_on": "2026-12-01",
        "require_phone": True,
        "minors_mode": True,
        "reason": "合规升级",
    }
    assert gapi.put(f"{G}/registration/controls/*", "moderator", json=control).status_code == 200
    st = gapi.get(f"{G}/public/registration?channel=phone").json()
    assert st == {
        "channel": "phone",
        "open": False,
        "message": "系统合规升级，暂停新用户注册",
        "resume_on": "2026-12-01",
        "require_phone": True,
        "require_real_name": False,
        "minors_mode": True,
    }
    assert (
        gapi.get(f"{G}/public/registration?channel=phone&lang=en").json()["message"] == "Registration paused"
    )
    refused = gapi.post(f"{G}/public/registration/check?lang=en", json={"channel": "phone", "age": 15})
    assert refused.status_code == 200, refused.text
    body = refused.json()
    assert body["allowed"] is False and body["message"] == "Registration paused"
    assert body["resume_on"] == "2026-12-01" and body["minors_mode"] is True
    assert [r["code"] for r in body["reasons"]] == ["paused", "phone_required"]

    # the decisions, exported for a transparency report (masked)
    rows = gapi.get(f"{G}/notices/export/decisions?start={today}&end={today}", "regulator").json()
    assert len(rows) == 5 and ACCOUNT not in str(rows) and "wxid_se****yz" in str(rows)

    # 6. the audit log: who, what, why
    with db_sessions() as s:
        rows = audit.list_for(s, limit=500)
        sanctions = [r for r in rows if r.action == "gov.sanction.create"]
        assert len(sanctions) == 8 and all(
            r.actor_id == gapi.ids["moderator"] and r.reason for r in sanctions
        )
        assert {r.action for r in rows} >= {
            "gov.complaint.submit",
            "gov.case.decide",
            "gov.notice.publish",
            "gov.registration.set",
        }
