"""Fixtures of the governance tests. The database fixtures are the service's (SQLite and the local
PostgreSQL, see ``tests/service/conftest.py``); on top of them:

    users       role → user id of seeded users (moderator, moderator2, reviewer, store, regulator,
                developer, admin); each also has an API token in ``tokens``
    gapi        a ``GovApi``: TestClient of the whole service app, ``get/post(url, role, ...)``
    T0          the reference time of scenario tests (a datetime, UTC)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hegui.service import crud
from hegui.service.config import Settings
from tests.service.conftest import (  # noqa: F401 - the service's database fixtures
    _audit_watch,
    _databases,
    db,
    db_backend,
    db_engine,
    db_sessions,
    db_url,
    new_db_url,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SEED = {
    "moderator": "moderator",
    "moderator2": "moderator",
    "reviewer": "reviewer",
    "store": "store",
    "regulator": "regulator",
    "developer": "developer",
    "admin": "admin",
}


def seed_users(factory: sessionmaker[Session]) -> tuple[dict[str, int], dict[str, str]]:
    ids: dict[str, int] = {}
    tokens: dict[str, str] = {}
    with factory() as s:
        org = crud.organisations.create_organisation(s, name="Gov Test Org")
        for name, role in SEED.items():
            u = crud.users.create_user(
                s, username=name, role=role, organisation_id=org.id if role == "developer" else None
            )
            ids[name] = u.id
            _, tokens[name] = crud.users.create_token(s, user_id=u.id, name="test")
        s.commit()
    return ids, tokens


@pytest.fixture
def users(db_sessions: sessionmaker[Session]) -> dict[str, int]:  # noqa: F811
    return seed_users(db_sessions)[0]


@dataclass
class GovApi:
    client: TestClient
    tokens: dict[str, str]
    ids: dict[str, int]

    def h(self, role: str | None) -> dict[str, str] | None:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else None

    def get(self, url: str, role: str | None = None, **kw: Any) -> httpx.Response:
        return self.client.get(url, headers=self.h(role), **kw)

    def post(self, url: str, role: str | None = None, **kw: Any) -> httpx.Response:
        return self.client.post(url, headers=self.h(role), **kw)

    def put(self, url: str, role: str | None = None, **kw: Any) -> httpx.Response:
        return self.client.put(url, headers=self.h(role), **kw)


@pytest.fixture
def gapi(tmp_path: Path, db_url: str, db_sessions: sessionmaker[Session]) -> Iterator[GovApi]:  # noqa: F811
    from hegui.service.app import create_app

    settings = Settings(data_dir=tmp_path / "data", database_url=db_url)
    app = create_app(settings, dispatcher=_NoJobs())
    ids, tokens = seed_users(db_sessions)
    with TestClient(app) as client:
        yield GovApi(client, tokens, ids)


class _NoJobs:
    def dispatch(self, job_id: int) -> None:  # governance runs no jobs
        pass
