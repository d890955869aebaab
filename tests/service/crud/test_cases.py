from __future__ import annotations

from datetime import date

import pytest

from hegui.service import crud
from hegui.service.errors import ConflictError, InvalidInputError, NotFoundError
from tests.service import factories as f

TODAY = date(2021, 6, 1)
DEADLINE = date(2021, 6, 15)


@pytest.fixture
def notified(db):
    reg = f.user(db)
    org = f.org(db)
    app, other = f.app(db, org), f.app(db, org)
    f.published_notice(db, [app, other], actor=reg, today=TODAY, deadline=DEADLINE)
    f.published_notice(db, [app], actor=reg, today=TODAY, deadline=date(2021, 6, 30))
    return reg, app, other


def test_failing_retest_keeps_cases_open(db, notified) -> None:
    reg, app, _ = notified
    v = f.version(db, app, 2)
    touched = crud.cases.record_retest(db, app_id=app.id, version_id=v.id, verdict="fail", actor_id=reg.id)
    assert len(touched) == 2 and {c.status for c in touched} == {"open"}
    assert {c.retest_version_id for c in touched} == {v.id}
    assert [a.action for a in crud.audit.list_for(db, target_type="app", target_id=app.id)][:-1] == [
        "case.retest"
    ]


def test_passing_retest_closes_the_apps_open_cases(db, notified) -> None:
    reg, app, other = notified
    v = f.version(db, app, 2)
    closed = crud.cases.record_retest(db, app_id=app.id, version_id=v.id, verdict="pass")
    db.commit()
    assert {c.status for c in closed} == {"passed"} and all(c.closed_at for c in closed)
    assert crud.cases.open_cases(db, app_id=app.id) == []
    assert len(crud.cases.open_cases(db, app_id=other.id)) == 1  # another app's case is untouched
    assert [a.action for a in crud.audit.list_for(db, target_type="rectification_case")] == ["case.close"] * 2
    assert crud.audit.list_for(db, target_type="app", target_id=app.id)[0].actor_id is None


def test_overdue(db, notified) -> None:
    _, app, other = notified
    assert crud.cases.overdue(db, today=DEADLINE) == []  # the deadline day itself is still in time
    late = crud.cases.overdue(db, today=date(2021, 6, 16))
    assert sorted(c.app_id for c in late) == sorted([app.id, other.id])
    assert len(crud.cases.overdue(db, today=date(2021, 7, 1))) == 3
    crud.cases.record_retest(db, app_id=app.id, version_id=f.version(db, app, 3).id, verdict="pass")
    assert [c.app_id for c in crud.cases.overdue(db, today=date(2021, 7, 1))] == [other.id]


def test_retest_from_result(db, notified) -> None:
    _, app, _ = notified
    r = f.result(db, f.version(db, app, 9), "pass")
    assert {c.status for c in crud.cases.retest_from_result(db, result=r)} == {"passed"}
    assert crud.cases.retest_from_result(db, result=r) == []  # nothing open any more: nothing recorded
    assert [a.action for a in crud.audit.list_for(db, target_type="app", target_id=app.id)][:-1] == [
        "case.retest"
    ]


def test_record_retest_refuses(db, notified) -> None:
    _, app, other = notified
    v_other = f.version(db, other)
    with pytest.raises(ConflictError):
        crud.cases.record_retest(db, app_id=app.id, version_id=v_other.id, verdict="pass")
    with pytest.raises(InvalidInputError):
        crud.cases.record_retest(db, app_id=other.id, version_id=v_other.id, verdict="ok")
    with pytest.raises(NotFoundError):
        crud.cases.record_retest(db, app_id=other.id, version_id=99_999, verdict="pass")
