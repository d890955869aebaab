from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from hegui.service import crud
from hegui.service.domain import gate
from hegui.service.domain.gate import GateFacts, Overdue
from tests.service import factories as f

TODAY = date(2021, 8, 1)


def expected(app, removed, overdue, version, review, verdict, policy) -> str:
    """The table of the gate's docstring, written independently."""
    if not app:
        return "pending"
    if removed or overdue:
        return "blocked"
    if not version:
        return "pending"
    if review or policy == "strict":
        return {"pass": "allowed", "fail": "blocked"}.get(verdict, "pending")
    return "allowed"


COMBINATIONS = list(
    itertools.product(
        [False, True], [False, True], [False, True], [False, True], [False, True],
        [None, "pass", "fail", "needs-review"], ["regulator", "strict"],
    )
)  # fmt: skip


@pytest.mark.parametrize(
    ("app", "removed", "overdue", "version", "review", "verdict", "policy"), COMBINATIONS
)
def test_rule_table_exhaustive(app, removed, overdue, version, review, verdict, policy) -> None:
    facts = GateFacts(
        package="com.x",
        version_code=3,
        app_id=1 if app else None,
        version_id=2 if app and version else None,
        result_id=3 if app and version and verdict else None,
        verdict=verdict if app and version else None,
        removal_reason="r" if removed else None,
        overdue=(Overdue(deadline=date(2021, 1, 1), notice="2021-1"),) if overdue else (),
        organisation="Org",
        review_reason="4 notices" if review else None,
    )
    d = gate.rule(facts, policy=policy)
    assert d.status == expected(app, removed, overdue, version, review, verdict, policy)
    assert d.reasons and all(r.zh and r.en for r in d.reasons)
    assert (d.package, d.version_code, d.policy) == ("com.x", 3, policy)
    if d.status == "allowed" and not (review or policy == "strict"):
        assert f"verdict: {verdict or 'not analysed'}" in d.reasons[-1].en  # the verdict is attached


@pytest.fixture
def world(db):
    reg = f.user(db)
    rev = f.user(db, "reviewer")
    org = f.org(db, "Gate Org")
    app = f.app(db, org, "com.gate.app")
    return reg, rev, org, app


def decide(db, package="com.gate.app", version_code=1, today=TODAY, **kw):
    return gate.decide(db, package=package, version_code=version_code, today=today, **kw)


def test_unknown_package_and_version_pending(db, world) -> None:
    d = decide(db, package="com.never.seen")
    assert d.status == "pending" and "unknown package" in d.reasons[0].en and d.app_id is None
    d = decide(db, version_code=42)
    assert d.status == "pending" and "version code 42" in d.reasons[0].en and d.app_id == world[3].id


def test_not_under_review_allowed_with_verdict(db, world) -> None:
    _, _, _, app = world
    v = f.version(db, app, 1)
    d = decide(db)
    assert (d.status, d.version_id, d.verdict, d.under_review) == ("allowed", v.id, None, False)
    r = f.result(db, v, "fail")
    d = decide(db)
    assert (d.status, d.result_id, d.verdict) == ("allowed", r.id, "fail")
    assert "verdict: fail" in d.reasons[0].en and "未通过" in d.reasons[0].zh
    assert decide(db, policy="strict").status == "blocked"


def test_removed_blocks_every_version(db, world) -> None:
    reg, _, _, app = world
    f.result(db, f.version(db, app, 1), "pass")
    crud.removals.remove_app(db, app_id=app.id, reason="违规收集个人信息", actor_id=reg.id, today=TODAY)
    assert decide(db).status == "blocked"
    d = decide(db, version_code=99)  # never uploaded: blocked, not pending (the app is removed)
    assert d.status == "blocked" and "违规收集个人信息" in d.reasons[0].zh
    crud.removals.lift_removal(db, app_id=app.id, reason="ok", actor_id=reg.id)
    assert decide(db).status == "allowed"


def test_overdue_case_blocks_until_a_passing_retest(db, world) -> None:
    reg, _, _, app = world
    v1 = f.version(db, app, 1)
    f.result(db, v1, "fail")
    deadline = TODAY + timedelta(days=10)
    batch = f.published_notice(db, [app], actor=reg, today=TODAY, deadline=deadline)
    batch.number = "2021年第6批"
    assert decide(db, today=deadline).status == "allowed"  # the deadline day itself is in time
    d = decide(db, today=deadline + timedelta(days=1))
    assert (
        d.status == "blocked" and "2021年第6批" in d.reasons[0].zh and deadline.isoformat() in d.reasons[0].en
    )
    crud.cases.record_retest(db, app_id=app.id, version_id=v1.id, verdict="fail")
    assert decide(db, today=deadline + timedelta(days=1)).status == "blocked"
    v2 = f.version(db, app, 2)
    f.result(db, v2, "pass")
    crud.cases.record_retest(db, app_id=app.id, version_id=v2.id, verdict="pass")
    assert decide(db, today=deadline + timedelta(days=1)).status == "allowed"


@pytest.mark.parametrize(
    ("verdict", "status"),
    [(None, "pending"), ("pass", "allowed"), ("fail", "blocked"), ("needs-review", "pending")],
)
def test_under_review(db, world, verdict, status) -> None:
    reg, _, org, app = world
    v = f.version(db, app, 1)
    if verdict:
        f.result(db, v, verdict)
    crud.release_review.start(
        db, organisation_id=org.id, reason="4 notices in 2021 (threshold: more than 3)", actor_id=reg.id
    )
    d = decide(db)
    assert (d.status, d.under_review, d.verdict) == (status, True, verdict)
    assert "Gate Org is under review before release (4 notices in 2021" in d.reasons[0].en


def test_under_review_reviewer_decides(db, world) -> None:
    reg, rev, org, app = world
    r = f.result(db, f.version(db, app, 1), "needs-review")
    crud.release_review.start(db, organisation_id=org.id, reason="r", actor_id=reg.id)
    assert decide(db).status == "pending"
    crud.reviews.decide_item(
        db, result_id=r.id, item="version", decision="dismissed", note="ok", reviewer_id=rev.id
    )
    assert (decide(db).status, decide(db).verdict) == ("allowed", "pass")
    crud.reviews.decide_item(
        db, result_id=r.id, item="HG-PI-004", decision="confirmed", note="real", reviewer_id=rev.id
    )
    assert decide(db).status == "blocked"


def test_latest_upload_of_a_version_code_counts(db, world) -> None:
    _, _, _, app = world
    f.result(db, f.version(db, app, 7), "fail")
    rebuilt = f.version(db, app, 7)
    d = decide(db, version_code=7, policy="strict")
    assert (d.status, d.version_id) == ("pending", rebuilt.id)
