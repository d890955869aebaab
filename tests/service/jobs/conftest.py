"""Fixtures of the job tests: a migrated database (SQLite file, or a fresh PostgreSQL database on
the local server), the APK store, and versions made from the fixture APKs."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from hegui.service.db.migrate import upgrade
from hegui.service.db.models import App, Organisation, Version
from hegui.service.db.session import make_engine, session_factory, transaction
from hegui.service.storage import LocalStore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "apk"
PG_ADMIN = os.environ.get("HEGUI_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "redis: needs the local Redis server (a real Celery worker)")


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hegui.db'}"


@pytest.fixture
def jobs_pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    if not reachable("127.0.0.1", 5432):
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    name = f"hegui_jobs_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def jobs_db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "jobs_pg_url")


@pytest.fixture
def factory(sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    """SQLite by default; tests that also run on PostgreSQL use ``any_factory``."""
    yield from _factory(sqlite_url)


@pytest.fixture
def any_factory(jobs_db_url: str) -> Iterator[sessionmaker[Session]]:
    yield from _factory(jobs_db_url)


def _factory(url: str) -> Iterator[sessionmaker[Session]]:
    upgrade(url)
    engine = make_engine(url)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "store")


AddVersion = Callable[..., int]


def add_version_to(factory: sessionmaker[Session], store: LocalStore) -> AddVersion:
    def add(name: str, *, package: str | None = None, app_type: str | None = None) -> int:
        """Store ``tests/fixtures/apk/<name>.apk`` and make an org, app and version row for it."""
        with (FIXTURES / f"{name}.apk").open("rb") as fh:
            stored = store.put_stream(fh, max_bytes=50 * 1024 * 1024)
        with transaction(factory) as s:
            org = s.query(Organisation).filter_by(name="Test Org").one_or_none()
            if org is None:
                org = Organisation(name="Test Org")
                s.add(org)
                s.flush()
            pkg = package or f"com.example.{name}"
            app = s.query(App).filter_by(package=pkg).one_or_none()
            if app is None:
                app = App(package=pkg, name=name, organisation_id=org.id, app_type=app_type)
                s.add(app)
                s.flush()
            version = s.query(Version).filter_by(sha256=stored.sha256).one_or_none()
            if version is None:
                version = Version(
                    app_id=app.id, sha256=stored.sha256, size=stored.size, file_name=f"{name}.apk"
                )
                s.add(version)
                s.flush()
            return version.id

    return add


@pytest.fixture
def add_version(factory: sessionmaker[Session], store: LocalStore) -> AddVersion:
    return add_version_to(factory, store)


@pytest.fixture
def any_add_version(any_factory: sessionmaker[Session], store: LocalStore) -> AddVersion:
    return add_version_to(any_factory, store)
