from __future__ import annotations

import pytest

from hegui.service import crud
from hegui.service.errors import InvalidInputError, NotFoundError
from tests.service import factories as f


def test_get_and_save_result(db) -> None:
    v = f.version(db, f.app(db, f.org(db)))
    assert crud.results.get_result(db, version_id=v.id) is None
    r, created = crud.results.save_result(
        db, version_id=v.id, verdict="fail", report=f.report("fail"), hegui_version="0.1"
    )
    again, created_again = crud.results.save_result(
        db, version_id=v.id, verdict="pass", report=f.report("pass"), hegui_version="0.2"
    )
    db.commit()
    assert (
        created and not created_again and again is r and r.verdict == "fail"
    )  # a retry cannot flip a verdict
    assert crud.results.get_result(db, version_id=v.id) is r
    assert r.report["verdict"]["status"] == "fail"
    log = crud.audit.list_for(db, target_type="result")
    assert [(a.action, a.actor_id) for a in log] == [("result.create", None)]


def test_save_result_refuses(db) -> None:
    v = f.version(db, f.app(db, f.org(db)))
    with pytest.raises(InvalidInputError):
        crud.results.save_result(db, version_id=v.id, verdict="ok", report={}, hegui_version="t")
    with pytest.raises(NotFoundError):
        crud.results.save_result(db, version_id=99_999, verdict="pass", report={}, hegui_version="t")
