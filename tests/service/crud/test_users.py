from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from hegui.service import crud
from hegui.service.db.models import ApiToken
from hegui.service.errors import ConflictError, InvalidInputError, NotFoundError, StateError
from tests.service import factories as f


def test_create_user_and_authenticate(db) -> None:
    org = f.org(db)
    u = crud.users.create_user(db, username="dev", role="developer", password="pw-1", organisation_id=org.id)
    db.commit()
    assert u.password_hash.startswith("scrypt$") and "pw-1" not in u.password_hash
    assert crud.users.authenticate(db, username="dev", password="pw-1") is u
    assert crud.users.authenticate(db, username="dev", password="wrong") is None
    assert crud.users.authenticate(db, username="ghost", password="pw-1") is None
    assert crud.users.get_user(db, u.id) is u and crud.users.get_user_by_username(db, "dev") is u
    entry = crud.audit.list_for(db, target_type="user", target_id=u.id)[0]
    assert entry.action == "user.create" and "pw-1" not in str(entry.data)


def test_inactive_or_passwordless_user_cannot_log_in(db) -> None:
    u = crud.users.create_user(db, username="svc", role="store")
    assert crud.users.authenticate(db, username="svc", password="") is None
    v = crud.users.create_user(db, username="old", role="store", password="pw")
    v.active = False
    db.commit()
    assert crud.users.authenticate(db, username="old", password="pw") is None
    assert u.password_hash is None


@pytest.mark.parametrize(
    ("kw", "error"),
    [
        ({"role": "king"}, InvalidInputError),
        ({"role": "developer"}, InvalidInputError),  # a developer needs an organisation
        ({"role": "store", "organisation_id": 999_999}, NotFoundError),
        ({"role": "store", "password": ""}, InvalidInputError),
        ({"role": "store", "username": " "}, InvalidInputError),
    ],
)
def test_create_user_refuses(db, kw, error) -> None:
    kw.setdefault("username", "x")
    with pytest.raises(error):
        crud.users.create_user(db, **kw)


def test_username_unique(db) -> None:
    crud.users.create_user(db, username="a", role="store")
    with pytest.raises(ConflictError):
        crud.users.create_user(db, username="a", role="admin")


def test_tokens_are_stored_hashed_and_revocable(db) -> None:
    u = crud.users.create_user(db, username="api", role="store")
    token, plain = crud.users.create_token(db, user_id=u.id, name="ci")
    db.commit()
    assert len(plain) >= 43
    assert token.token_sha256 == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in str(db.scalars(select(ApiToken.token_sha256)).all())
    assert crud.users.user_for_token(db, plain) is u
    assert crud.users.user_for_token(db, plain + "x") is None
    assert crud.users.user_for_token(db, "") is None
    _, other = crud.users.create_token(db, user_id=u.id)
    assert [t.id for t in crud.users.list_tokens(db, user_id=u.id)][0] == token.id
    crud.users.revoke_token(db, token_id=token.id, actor_id=u.id, reason="leaked")
    crud.users.revoke_token(db, token_id=token.id, actor_id=u.id)  # idempotent, no second record
    db.commit()
    assert crud.users.user_for_token(db, plain) is None
    assert crud.users.user_for_token(db, other) is u
    assert [a.action for a in crud.audit.list_for(db, target_type="api_token", target_id=token.id)] == [
        "token.revoke",
        "token.create",
    ]
    u.active = False
    db.commit()
    assert crud.users.user_for_token(db, other) is None
    with pytest.raises(StateError):
        crud.users.create_token(db, user_id=u.id)
    with pytest.raises(NotFoundError):
        crud.users.create_token(db, user_id=999_999)
    with pytest.raises(NotFoundError):
        crud.users.revoke_token(db, token_id=999_999)
