from __future__ import annotations

from datetime import date, timedelta

import pytest

from hegui.service import crud
from hegui.service.errors import StateError
from tests.service import factories as f


def test_record_and_list(db) -> None:
    a = crud.audit.record(
        db, actor_id=None, action="x.one", target_type="app", target_id=1, data={"d": date(2021, 5, 1)}
    )
    b = crud.audit.record(db, actor_id=None, action="x.two", target_type="app", target_id=2, reason="why")
    c = crud.audit.record(db, actor_id=None, action="x.three", target_type="organisation", target_id=1)
    db.commit()
    assert a.data == {"d": "2021-05-01"} and b.reason == "why" and c.data == {}
    assert [r.id for r in crud.audit.list_for(db)] == [c.id, b.id, a.id]  # newest first
    assert [r.action for r in crud.audit.list_for(db, target_type="app")] == ["x.two", "x.one"]
    assert [r.action for r in crud.audit.list_for(db, target_type="app", target_id=1)] == ["x.one"]
    assert len(crud.audit.list_for(db, limit=2)) == 2


def test_rows_cannot_be_changed_or_deleted(db) -> None:
    row = crud.audit.record(db, actor_id=None, action="x", target_type="app", target_id=1)
    db.commit()
    row.reason = "rewritten"
    with pytest.raises(StateError, match="append-only"):
        db.flush()
    db.rollback()
    db.delete(row)
    with pytest.raises(StateError, match="append-only"):
        db.flush()
    db.rollback()
    assert crud.audit.list_for(db)[0].reason == ""


def test_every_decision_is_audited_and_the_log_only_grows(db) -> None:
    """A whole pass through the process: each decision adds its audit row(s); none is ever lost."""
    seen: list[int] = []

    def step(expected: list[str], fn, *args, **kw):
        before = f.audit_count(db)
        out = fn(*args, **kw)
        db.commit()
        new = f.actions(db)[before:]
        assert new == expected, (fn.__name__, new)
        seen.append(f.audit_count(db))
        return out

    today = date(2021, 3, 1)
    admin = step(["user.create"], crud.users.create_user, db, username="root", role="admin")
    reg = step(
        ["user.create"], crud.users.create_user, db, username="reg", role="regulator", actor_id=admin.id
    )
    rev = step(
        ["user.create"], crud.users.create_user, db, username="rev", role="reviewer", actor_id=admin.id
    )
    step(["token.create"], crud.users.create_token, db, user_id=reg.id)
    org = step(
        ["organisation.create"], crud.organisations.create_organisation, db, name="ACME", actor_id=admin.id
    )
    app = step(["app.create"], crud.apps.get_or_create_app, db, package="com.acme.a", organisation_id=org.id)
    step([], crud.apps.get_or_create_app, db, package="com.acme.a", organisation_id=org.id)
    v, _ = step(
        ["version.upload"],
        crud.versions.add_version,
        db,
        app_id=app.id,
        sha256=f.sha(1),
        size=1,
        version_code=1,
        version_name="1",
    )
    step(
        [],
        crud.versions.add_version,
        db,
        app_id=app.id,
        sha256=f.sha(1),
        size=1,
        version_code=1,
        version_name="1",
    )
    res, _ = step(
        ["result.create"],
        crud.results.save_result,
        db,
        version_id=v.id,
        verdict="needs-review",
        report=f.report("needs-review"),
        hegui_version="t",
    )
    step(
        ["review.decide"],
        crud.reviews.decide_item,
        db,
        result_id=res.id,
        item="HG-PI-004",
        decision="confirmed",
        note="real",
        reviewer_id=rev.id,
    )
    batch = step(
        ["notice.create"],
        crud.notices.create_notice,
        db,
        title="N1",
        deadline=today + timedelta(30),
        actor_id=reg.id,
    )
    step(
        ["notice.add_entry"],
        crud.notices.add_entry,
        db,
        batch_id=batch.id,
        app_id=app.id,
        version_id=v.id,
        problems={},
        actor_id=reg.id,
    )
    step(
        ["notice.publish"],
        crud.notices.publish_notice,
        db,
        batch_id=batch.id,
        actor_id=reg.id,
        today=today,
        threshold=3,
    )
    step(
        ["case.retest"],
        crud.cases.record_retest,
        db,
        app_id=app.id,
        version_id=v.id,
        verdict="fail",
        actor_id=reg.id,
    )
    step(
        ["removal.create", "case.close"],
        crud.removals.remove_app,
        db,
        app_id=app.id,
        reason="not rectified",
        actor_id=reg.id,
        today=today + timedelta(40),
    )
    step(["removal.lift"], crud.removals.lift_removal, db, app_id=app.id, reason="fixed", actor_id=reg.id)
    step(
        ["release_review.start"],
        crud.release_review.start,
        db,
        organisation_id=org.id,
        reason="manual",
        actor_id=reg.id,
    )
    step(
        ["release_review.lift"],
        crud.release_review.lift,
        db,
        organisation_id=org.id,
        reason="ok",
        actor_id=reg.id,
    )
    assert seen == sorted(seen)
    actors = {r.action: r.actor_id for r in crud.audit.list_for(db, limit=1000)}
    assert actors["removal.create"] == reg.id and actors["result.create"] is None
