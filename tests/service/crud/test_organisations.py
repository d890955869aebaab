from __future__ import annotations

import pytest

from hegui.service import crud
from hegui.service.errors import ConflictError, InvalidInputError


def test_create_get_list(db) -> None:
    b = crud.organisations.create_organisation(db, name="  Beta Ltd ", credit_code="91110000X")
    a = crud.organisations.create_organisation(db, name="Alpha 科技有限公司")
    db.commit()
    assert b.name == "Beta Ltd" and b.credit_code == "91110000X" and a.credit_code is None
    assert crud.organisations.get_organisation(db, a.id) is a
    assert crud.organisations.get_organisation(db, 10_000) is None
    assert crud.organisations.get_organisation_by_name(db, "Beta Ltd") is b
    assert crud.organisations.get_organisation_by_name(db, "nope") is None
    assert [o.name for o in crud.organisations.list_organisations(db)] == ["Alpha 科技有限公司", "Beta Ltd"]
    assert (
        crud.audit.list_for(db, target_type="organisation", target_id=b.id)[0].action == "organisation.create"
    )


def test_duplicate_name_conflicts_and_session_stays_usable(db) -> None:
    crud.organisations.create_organisation(db, name="Same")
    with pytest.raises(ConflictError, match="already exists"):
        crud.organisations.create_organisation(db, name="Same")
    crud.organisations.create_organisation(db, name="Other")
    db.commit()
    assert len(crud.organisations.list_organisations(db)) == 2


def test_name_required(db) -> None:
    with pytest.raises(InvalidInputError):
        crud.organisations.create_organisation(db, name="   ")
