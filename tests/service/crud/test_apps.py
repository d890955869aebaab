from __future__ import annotations

import pytest

from hegui.service import crud
from hegui.service.errors import ConflictError, InvalidInputError, NotFoundError
from tests.service import factories as f


def test_get_or_create_is_idempotent(db) -> None:
    org = f.org(db)
    a = crud.apps.get_or_create_app(db, package="com.x.shop", organisation_id=org.id)
    b = crud.apps.get_or_create_app(
        db, package="com.x.shop", organisation_id=org.id, name="Shop", app_type="网络购物"
    )
    db.commit()
    assert a is b and a.name == "Shop" and a.app_type == "网络购物"  # blanks filled, nothing overwritten
    crud.apps.get_or_create_app(db, package="com.x.shop", organisation_id=org.id, name="Other")
    assert a.name == "Shop"
    assert [r.action for r in crud.audit.list_for(db, target_type="app")] == ["app.create"]


def test_package_cannot_change_organisation(db) -> None:
    one, two = f.org(db, "One"), f.org(db, "Two")
    crud.apps.get_or_create_app(db, package="com.x.a", organisation_id=one.id)
    with pytest.raises(ConflictError, match="belongs to organisation 'One'"):
        crud.apps.get_or_create_app(db, package="com.x.a", organisation_id=two.id)
    db.commit()
    assert crud.apps.get_app_by_package(db, "com.x.a").organisation_id == one.id


def test_lookup_and_list(db) -> None:
    one, two = f.org(db), f.org(db)
    b = crud.apps.get_or_create_app(db, package="com.b", organisation_id=one.id)
    a = crud.apps.get_or_create_app(db, package="com.a", organisation_id=one.id)
    c = crud.apps.get_or_create_app(db, package="com.c", organisation_id=two.id)
    assert crud.apps.get_app_by_package(db, "com.nope") is None
    assert crud.apps.get_app(db, c.id) is c
    assert crud.apps.list_apps(db) == [a, b, c]
    assert crud.apps.list_apps(db, organisation_id=one.id) == [a, b]


@pytest.mark.parametrize("package", ["", "com example", "../x", "a" * 256, "com.x;drop"])
def test_bad_package(db, package) -> None:
    org = f.org(db)
    with pytest.raises(InvalidInputError):
        crud.apps.get_or_create_app(db, package=package, organisation_id=org.id)


def test_unknown_organisation(db) -> None:
    with pytest.raises(NotFoundError):
        crud.apps.get_or_create_app(db, package="com.x", organisation_id=424242)
