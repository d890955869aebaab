from __future__ import annotations

from datetime import date

import pytest

from hegui.service import crud
from hegui.service.errors import InvalidInputError, NotFoundError, StateError
from tests.service import factories as f


def test_remove_and_lift(db) -> None:
    reg = f.user(db)
    app = f.app(db, f.org(db))
    assert crud.removals.active_removal(db, app_id=app.id) is None
    r = crud.removals.remove_app(db, app_id=app.id, reason="未按期整改", actor_id=reg.id)
    db.commit()
    assert crud.removals.active_removal(db, app_id=app.id) is r and r.decided_by == reg.id
    with pytest.raises(StateError, match="already removed"):
        crud.removals.remove_app(db, app_id=app.id, reason="again", actor_id=reg.id)
    crud.removals.lift_removal(db, app_id=app.id, reason="整改完成，复测通过", actor_id=reg.id)
    db.commit()
    assert crud.removals.active_removal(db, app_id=app.id) is None
    assert (r.lift_reason, r.lifted_by) == ("整改完成，复测通过", reg.id) and r.lifted_at
    with pytest.raises(StateError, match="not removed"):
        crud.removals.lift_removal(db, app_id=app.id, reason="x", actor_id=reg.id)
    again = crud.removals.remove_app(db, app_id=app.id, reason="second time", actor_id=reg.id)
    assert crud.removals.active_removal(db, app_id=app.id) is again
    assert crud.removals.list_removals(db) == [r, again]
    assert crud.removals.list_removals(db, active_only=True) == [again]
    log = [
        (a.action, a.reason) for a in reversed(crud.audit.list_for(db, target_type="app", target_id=app.id))
    ]
    assert log[1:] == [
        ("removal.create", "未按期整改"),
        ("removal.lift", "整改完成，复测通过"),
        ("removal.create", "second time"),
    ]


def test_removal_fails_overdue_cases_only(db) -> None:
    reg = f.user(db)
    app = f.app(db, f.org(db))
    f.published_notice(db, [app], actor=reg, today=date(2021, 6, 1), deadline=date(2021, 6, 10))
    f.published_notice(db, [app], actor=reg, today=date(2021, 6, 1), deadline=date(2021, 6, 30))
    crud.removals.remove_app(db, app_id=app.id, reason="r", actor_id=reg.id, today=date(2021, 6, 20))
    statuses = sorted((c.deadline, c.status) for c in crud.cases.list_cases(db, app_id=app.id))
    assert statuses == [(date(2021, 6, 10), "failed"), (date(2021, 6, 30), "open")]


def test_refuses(db) -> None:
    app = f.app(db, f.org(db))
    with pytest.raises(InvalidInputError, match="reason"):
        crud.removals.remove_app(db, app_id=app.id, reason="  ", actor_id=None)
    with pytest.raises(NotFoundError):
        crud.removals.remove_app(db, app_id=99_999, reason="r", actor_id=None)
