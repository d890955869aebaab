"""Fixtures of the service tests: a migrated database per backend, parametrised over SQLite (a
temporary file) and the local PostgreSQL (a fresh ``hegui_test_<random>`` database for the test
session, dropped at the end; the params are skipped with the reason when the server is unreachable).

    db_url        the migrated database of the backend (session scope; params ``sqlite``, ``postgresql``)
    db_engine     an engine on it (``make_engine``, as the service builds it)
    db_sessions   a session factory; every table is emptied after the test
    db            one session from it (crud flushes; tests commit when they want to)
    new_db_url    a factory of empty, unmigrated databases of the backend (migration tests)

Every statement sent through ``db_engine`` is watched: an UPDATE or DELETE of ``audit_log`` fails
the test (the audit log is append-only), only the fixture's own clean-up may empty it.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from hegui.service.db.migrate import upgrade
from hegui.service.db.models import Base
from hegui.service.db.session import make_engine, session_factory

PG_ADMIN_URL = os.environ.get(
    "HEGUI_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgresql")
_AUDIT_WRITE = re.compile(r"^\s*(UPDATE|DELETE\s+FROM)\s+\"?audit_log\b", re.IGNORECASE)


def _pg_unreachable_reason() -> str | None:
    try:
        import psycopg

        dsn = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means: skip PostgreSQL
        detail = " ".join(str(exc).split())[:160]
        return f"PostgreSQL unreachable at {PG_ADMIN_URL} ({type(exc).__name__}: {detail})"


class Databases:
    """Creates empty databases of one backend and drops them at the end of the test session."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend = backend
        self.tmp = tmp
        self.created: list[str] = []
        self._admin: Engine | None = None

    def new(self) -> str:
        name = f"hegui_test_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / (name + '.db')}"
        if self._admin is None:
            self._admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    def drop_all(self) -> None:
        if self._admin is None:
            return
        with self._admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and (reason := _pg_unreachable_reason()):
        pytest.skip(reason)
    return request.param


@pytest.fixture(scope="session")
def _databases(db_backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(db_backend, tmp_path_factory.mktemp(f"db-{db_backend}"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def new_db_url(_databases: Databases) -> Callable[[], str]:
    return _databases.new


@pytest.fixture(scope="session")
def db_url(_databases: Databases) -> str:
    url = _databases.new()
    upgrade(url)
    return url


class AuditWatch:
    def __init__(self) -> None:
        self.violations: list[str] = []
        self.cleaning = False

    def __call__(self, _conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
        if not self.cleaning and _AUDIT_WRITE.match(statement):
            self.violations.append(statement)


@pytest.fixture(scope="session")
def _audit_watch() -> AuditWatch:
    return AuditWatch()


@pytest.fixture(scope="session")
def db_engine(db_url: str, _audit_watch: AuditWatch) -> Iterator[Engine]:
    engine = make_engine(db_url)
    event.listen(engine, "before_cursor_execute", _audit_watch)
    yield engine
    engine.dispose()


def _empty_all(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )
        else:
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))


@pytest.fixture
def db_sessions(db_engine: Engine, _audit_watch: AuditWatch) -> Iterator[sessionmaker[Session]]:
    _audit_watch.violations.clear()
    yield session_factory(db_engine)
    _audit_watch.cleaning = True
    try:
        _empty_all(db_engine)
    finally:
        _audit_watch.cleaning = False
    assert not _audit_watch.violations, f"audit_log was updated or deleted: {_audit_watch.violations}"


@pytest.fixture
def db(db_sessions: sessionmaker[Session]) -> Iterator[Session]:
    with db_sessions() as session:
        yield session
        session.rollback()
