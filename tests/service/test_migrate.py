"""The migrations create exactly the tables of models.py, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

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
    assert migrate.current(url) == migrate.head() == "0002"
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
