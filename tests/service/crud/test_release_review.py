from __future__ import annotations

import pytest

from hegui.service import crud
from hegui.service.errors import InvalidInputError, NotFoundError, StateError
from tests.service import factories as f


def test_start_active_lift(db) -> None:
    reg = f.user(db)
    org = f.org(db)
    assert crud.release_review.active(db, organisation_id=org.id) is None
    rr = crud.release_review.start(db, organisation_id=org.id, reason="regulator's order", actor_id=reg.id)
    assert crud.release_review.active(db, organisation_id=org.id) is rr
    assert crud.release_review.list_active(db) == [rr]
    with pytest.raises(StateError, match="already under review"):
        crud.release_review.start(db, organisation_id=org.id, reason="again", actor_id=reg.id)
    lifted = crud.release_review.lift(db, organisation_id=org.id, reason="整改到位", actor_id=reg.id)
    db.commit()
    assert lifted is rr and (rr.lift_reason, rr.lifted_by) == ("整改到位", reg.id) and rr.lifted_at
    assert crud.release_review.active(db, organisation_id=org.id) is None
    assert crud.release_review.history(db, organisation_id=org.id) == [rr]
    assert [a.action for a in crud.audit.list_for(db, target_type="organisation", target_id=org.id)][:2] == [
        "release_review.lift",
        "release_review.start",
    ]


def test_lift_refuses(db) -> None:
    reg = f.user(db)
    org = f.org(db)
    with pytest.raises(StateError, match="not under review"):
        crud.release_review.lift(db, organisation_id=org.id, reason="x", actor_id=reg.id)
    crud.release_review.start(db, organisation_id=org.id, reason="r", actor_id=reg.id)
    with pytest.raises(InvalidInputError):
        crud.release_review.lift(db, organisation_id=org.id, reason="", actor_id=reg.id)
    with pytest.raises(NotFoundError):
        crud.release_review.lift(db, organisation_id=99_999, reason="x", actor_id=reg.id)
