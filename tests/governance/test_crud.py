"""crud of governance on SQLite and PostgreSQL: grouping, decisions, expiry, appeals, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hegui.governance import crud
from hegui.governance.crud.cases import DecisionIn
from hegui.governance.crud.complaints import ComplaintIn, EvidenceIn
from hegui.governance.models import GovContent
from hegui.service.crud import audit
from hegui.service.errors import InvalidInputError, PermissionDeniedError, StateError
from tests.governance.conftest import T0


def complain(db, uid="wxid_target0001", category="porn", target_type="account", text="卖片", n_evidence=1):
    ev = [EvidenceIn(kind="text", text=f"私信出售视频 {i}") for i in range(n_evidence)]
    return crud.complaints.submit(
        db,
        ComplaintIn(
            target_type=target_type,
            target_uid=uid,
            category=category,
            text=text,
            reporter_uid="wxid_reporter1",
            evidence=ev,
        ),
    )


def violation(severity="medium", category="", evasion=False):
    return DecisionIn(
        outcome="violation",
        reason="证据核实：多次发布色情内容",
        category=category,
        severity=severity,
        evidence_verified=True,
        evasion=evasion,
    )


def test_complaints_on_same_target_and_category_share_a_case(db, users) -> None:
    a = complain(db)
    b = complain(db, category="porn")
    c = complain(db, category="fraud")
    assert a.case_id == b.case_id != c.case_id
    case = crud.cases.get_case(db, a.case_id)
    assert case.report_count == 2 and case.status == "open"
    assert [x.id for x in crud.cases.queue(db)] and len(crud.cases.queue(db)) == 2


def test_decision_needs_moderator_reason_and_verified_evidence(db, users) -> None:
    case_id = complain(db).case_id
    with pytest.raises(PermissionDeniedError):
        crud.cases.decide(db, case_id=case_id, actor_id=users["reviewer"], decision=violation())
    with pytest.raises(InvalidInputError):
        crud.cases.decide(
            db,
            case_id=case_id,
            actor_id=users["moderator"],
            decision=DecisionIn(outcome="violation", reason="x", evidence_verified=False),
        )
    with pytest.raises(InvalidInputError):
        crud.cases.decide(
            db,
            case_id=case_id,
            actor_id=users["moderator"],
            decision=DecisionIn(outcome="violation", reason="  ", evidence_verified=True),
        )
    with pytest.raises(InvalidInputError):
        crud.cases.decide(
            db, case_id=case_id, actor_id=users["moderator"], decision=violation(category="fraud")
        )
    d = crud.cases.decide(db, case_id=case_id, actor_id=users["moderator"], decision=violation(), now=T0)
    kinds = [s.kind for s in crud.cases.sanctions_of_decision(db, decision_id=d.id)]
    assert kinds == ["warning", "content_removal"]
    assert all(c.removed_at is not None for c in db.query(GovContent))
    actions = [r.action for r in audit.list_for(db, target_type="gov_case", target_id=case_id)]
    assert "gov.case.decide" in actions
    with pytest.raises(StateError):
        crud.cases.decide(db, case_id=case_id, actor_id=users["moderator"], decision=violation())


def test_no_violation_makes_no_sanction(db, users) -> None:
    case_id = complain(db).case_id
    d = crud.cases.decide(
        db,
        case_id=case_id,
        actor_id=users["moderator"],
        decision=DecisionIn(outcome="no_violation", reason="证据不足"),
    )
    assert crud.cases.sanctions_of_decision(db, decision_id=d.id) == []


def test_strikes_expire(db, users) -> None:
    acct = complain(db).account_id
    crud.cases.decide(
        db, case_id=complain(db).case_id, actor_id=users["moderator"], decision=violation(), now=T0
    )
    assert crud.targets.active_strikes(db, target_type="account", target_id=acct, now=T0) == 1
    later = T0 + timedelta(days=181)
    assert crud.targets.active_strikes(db, target_type="account", target_id=acct, now=later) == 0
    d2 = crud.cases.decide(
        db,
        case_id=complain(db, category="fraud").case_id,
        actor_id=users["moderator"],
        decision=violation(),
        now=later,
    )
    assert crud.cases.sanctions_of_decision(db, decision_id=d2.id)[0].kind == "warning"  # first offence again


def test_appeal_reopens_and_overturn_lifts(db, users) -> None:
    case_id = complain(db).case_id
    d = crud.cases.decide(
        db, case_id=case_id, actor_id=users["moderator"], decision=violation("high"), now=T0
    )
    acct = crud.cases.get_case(db, case_id).account_id
    assert crud.targets.active_strikes(db, target_type="account", target_id=acct, now=T0) == 2
    appeal = crud.appeals.file_appeal(
        db, decision_id=d.id, text="误判，内容为医学科普", filed_by=users["store"], now=T0 + timedelta(days=3)
    )
    assert crud.cases.get_case(db, case_id).status == "appealed"
    assert crud.cases.queue(db)[0].id == case_id
    with pytest.raises(StateError):
        crud.appeals.file_appeal(db, decision_id=d.id, text="again", filed_by=None, now=T0)
    crud.appeals.resolve_appeal(
        db,
        appeal_id=appeal.id,
        actor_id=users["moderator2"],
        resolution="overturned",
        reason="复核：内容为科普",
        now=T0 + timedelta(days=4),
    )
    assert crud.cases.get_case(db, case_id).status == "decided"
    assert (
        crud.targets.active_strikes(db, target_type="account", target_id=acct, now=T0 + timedelta(days=5))
        == 0
    )
    assert all(s.lifted_at for s in crud.cases.sanctions_of_decision(db, decision_id=d.id))
    assert all(c.removed_at is None for c in db.query(GovContent))
    assert crud.notices.compute(db, start=T0.date(), end=T0.date())["accounts"] == 0


def test_appeal_window(db, users) -> None:
    d = crud.cases.decide(
        db, case_id=complain(db).case_id, actor_id=users["moderator"], decision=violation(), now=T0
    )
    with pytest.raises(StateError, match="window"):
        crud.appeals.file_appeal(
            db, decision_id=d.id, text="late", filed_by=None, now=T0 + timedelta(days=31)
        )


def test_upheld_appeal_keeps_sanction(db, users) -> None:
    d = crud.cases.decide(
        db, case_id=complain(db).case_id, actor_id=users["moderator"], decision=violation(), now=T0
    )
    a = crud.appeals.file_appeal(db, decision_id=d.id, text="不服", filed_by=None, now=T0)
    with pytest.raises(PermissionDeniedError, match="another moderator"):  # not the one who decided
        crud.appeals.resolve_appeal(
            db, appeal_id=a.id, actor_id=users["moderator"], resolution="upheld", reason="维持"
        )
    crud.appeals.resolve_appeal(
        db, appeal_id=a.id, actor_id=users["moderator2"], resolution="upheld", reason="维持"
    )
    assert all(s.lifted_at is None for s in crud.cases.sanctions_of_decision(db, decision_id=d.id))


def test_evasion_needs_a_banned_link(db, users) -> None:
    banned = complain(db, uid="wxid_banned00001")
    crud.cases.decide(
        db, case_id=banned.case_id, actor_id=users["moderator"], decision=violation("severe"), now=T0
    )
    new = complain(db, uid="wxid_newaccount1", category="fraud")
    with pytest.raises(InvalidInputError):
        crud.cases.decide(
            db, case_id=new.case_id, actor_id=users["moderator"], decision=violation(evasion=True)
        )
    crud.targets.link_accounts(
        db,
        uid="wxid_newaccount1",
        linked_uid="wxid_banned00001",
        actor_id=users["moderator"],
        reason="同一设备同一实名",
    )
    d = crud.cases.decide(
        db, case_id=new.case_id, actor_id=users["moderator"], decision=violation(evasion=True)
    )
    assert crud.cases.sanctions_of_decision(db, decision_id=d.id)[0].kind == "permanent_ban"


def test_hostile_complaints_refused(db, users) -> None:
    with pytest.raises(InvalidInputError):
        complain(db, text="x" * 5000)
    with pytest.raises(InvalidInputError):
        complain(db, uid="<script>alert(1)</script>")
    with pytest.raises(InvalidInputError):
        complain(db, n_evidence=11)
    with pytest.raises(InvalidInputError):
        complain(db, category="../../etc")
    with pytest.raises(InvalidInputError):
        crud.complaints.submit(
            db,
            ComplaintIn(
                target_type="account",
                target_uid="wxid_a",
                category="porn",
                evidence=[EvidenceIn(kind="link", url="javascript:alert(1)")],
            ),
        )


def test_registration_controls(db, users) -> None:
    from hegui.governance.crud.registration import ControlIn

    assert crud.registration.effective(db, channel="phone")["open"] is True
    with pytest.raises(InvalidInputError):
        crud.registration.set_control(
            db, channel="*", values=ControlIn(paused=True), actor_id=users["admin"], reason="升级"
        )
    crud.registration.set_control(
        db,
        channel="*",
        values=ControlIn(paused=True, message_zh="系统升级，暂停注册"),
        actor_id=users["admin"],
        reason="合规升级",
    )
    eff = crud.registration.effective(db, channel="phone")
    assert eff["open"] is False and eff["message"] == "系统升级，暂停注册"
    assert [r.action for r in audit.list_for(db, target_type="gov_registration_control")] == [
        "gov.registration.set"
    ]


def test_temporary_ban_ends_and_restriction_lists_features(db, users) -> None:
    case_id = complain(db).case_id
    crud.cases.decide(db, case_id=case_id, actor_id=users["moderator"], decision=violation("high"), now=T0)
    acct = crud.cases.get_case(db, case_id).account_id
    st = crud.targets.status(db, target_type="account", target_id=acct, now=T0 + timedelta(days=1))
    assert st["state"] == "suspended" and st["until"] == T0 + timedelta(days=7)
    assert (
        crud.targets.status(db, target_type="account", target_id=acct, now=T0 + timedelta(days=8))["state"]
        == "active"
    )
    d = crud.cases.decide(
        db,
        case_id=complain(db, category="fraud").case_id,
        actor_id=users["moderator"],
        decision=violation("low"),
        now=T0 + timedelta(days=8),
    )
    sanction = crud.cases.sanctions_of_decision(db, decision_id=d.id)[0]
    assert sanction.kind == "permanent_ban"  # 2 + 1 active strikes reach permanent_at
    assert sanction.features == []
