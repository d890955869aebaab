"""Migration 0002 (governance) on SQLite and PostgreSQL: matches the models, the role CHECK admits
``moderator`` (and still refuses unknown roles), downgrade to 0001 removes it all again."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from hegui.service.db import migrate
from hegui.service.db.session import make_engine
from tests.service.test_migrate import _diff

INSERT = (
    "INSERT INTO user_account (username, display_name, role, active, created_at) "
    "VALUES (:u, '', :r, true, CURRENT_TIMESTAMP)"
)


def _insert(url: str, username: str, role: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(INSERT), {"u": username, "r": role})
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_0002_matches_models_and_role_check(new_db_url) -> None:
    url = new_db_url()
    migrate.upgrade(url, "0002")
    assert migrate.current(url) == "0002"
    migrate.upgrade(url)  # and the later revisions (0003: version.policy_sha256)
    assert migrate.current(url) == migrate.head()
    assert _diff(url) == []
    assert {"gov_accounts", "gov_cases", "gov_sanctions", "gov_registration_controls"} <= _tables(url)
    _insert(url, "mod", "moderator")
    with pytest.raises(IntegrityError):
        _insert(url, "bad", "superuser")


def test_0002_downgrade_and_upgrade_again(new_db_url) -> None:
    url = new_db_url()
    migrate.upgrade(url)
    _insert(url, "mod", "moderator")
    migrate.downgrade(url, "0001")
    assert migrate.current(url) == "0001"
    assert not {t for t in _tables(url) if t.startswith("gov_")}
    with pytest.raises(IntegrityError):
        _insert(url, "mod2", "moderator")
    migrate.upgrade(url)
    assert _diff(url) == []
