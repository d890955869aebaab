"""The migrations create exactly the tables of models.py, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from hegui.service.db import migrate
from hegui.service.db.models import Base
from hegui.service.db.session import make_engine


def _diff(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            return compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()


def test_upgrade_matches_models(new_db_url) -> None:
    url = new_db_url()
    assert migrate.current(url) is None
    migrate.upgrade(url)
    assert migrate.current(url) == migrate.head() == "0003"
    assert _diff(url) == []


def test_every_table_created(new_db_url) -> None:
    url = new_db_url()
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        names = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= names
    assert "alembic_version" in names


def test_upgrade_is_idempotent_and_downgrade_empties(new_db_url) -> None:
    url = new_db_url()
    migrate.upgrade(url)
    migrate.upgrade(url)  # nothing to do
    assert migrate.current(url) == migrate.head()
    migrate.downgrade(url, "base")
    assert migrate.current(url) is None
    engine = make_engine(url)
    try:
        assert set(inspect(engine).get_table_names()) & set(Base.metadata.tables) == set()
    finally:
        engine.dispose()
    migrate.upgrade(url)
    assert _diff(url) == []


def test_config_is_built_in_code() -> None:
    cfg = migrate.alembic_config("sqlite:///x%20y.db")
    assert cfg.get_main_option("script_location") == str(migrate.MIGRATIONS)
    assert cfg.attributes["url"] == "sqlite:///x%20y.db"  # not interpolated by configparser
    assert (migrate.MIGRATIONS / "env.py").is_file()


def _sql(url: str, statement: str, **params: object) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), params)
    finally:
        engine.dispose()


def _insert_versions(url: str, policies: list[str | None]) -> None:
    now = datetime.now(UTC)
    _sql(url, "INSERT INTO organisation (id, name, created_at) VALUES (1, 'Org', :t)", t=now)
    _sql(
        url,
        "INSERT INTO app (id, package, name, organisation_id, created_at) VALUES (1, 'com.example.a', '', 1, :t)",
        t=now,
    )
    for i, policy in enumerate(policies, 1):
        _insert_versions_again(url, i, policy)


def test_0003_version_policy_up_and_down(new_db_url) -> None:
    """0003: the pair (APK, policy) is unique (also with no policy); downgrade refuses to merge two
    versions of one APK, and otherwise gives back 0002's unique sha256."""
    url = new_db_url()
    migrate.upgrade(url)
    _insert_versions(url, [None, "b" * 64])
    with pytest.raises(IntegrityError):
        _insert_versions_again(url, 3, None)  # a second version of the APK without a policy
    with pytest.raises(IntegrityError):
        _insert_versions_again(url, 4, "b" * 64)  # the same pair again
    with pytest.raises(RuntimeError, match="more than one privacy policy"):
        migrate.downgrade(url, "0002")
    assert migrate.current(url) == "0003"
    _delete_version(url, 2)
    migrate.downgrade(url, "0002")
    assert migrate.current(url) == "0002"
    columns = _columns(url, "version")
    assert "policy_sha256" not in columns and "policy_file_name" not in columns
    with pytest.raises(IntegrityError):
        _insert_versions_again(url, 5, None, with_policy_column=False)  # 0002: sha256 is unique
    migrate.upgrade(url)
    assert migrate.current(url) == migrate.head()
    assert _diff(url) == []


def _insert_versions_again(url: str, i: int, policy: str | None, *, with_policy_column: bool = True) -> None:
    cols, vals = ("policy_sha256, ", ":p, ") if with_policy_column else ("", "")
    _sql(
        url,
        f"INSERT INTO version (id, app_id, sha256, size, file_name, {cols}created_at) "
        f"VALUES (:i, 1, :sha, 1, 'a.apk', {vals}:t)",
        i=i,
        sha="a" * 64,
        t=datetime.now(UTC),
        p=policy,
    )


def _delete_version(url: str, i: int) -> None:
    _sql(url, "DELETE FROM version WHERE id = :i", i=i)


def _columns(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()
