"""Fixtures of the API tests: the app over the migrated database of each backend (SQLite and the local
PostgreSQL, from ``tests/service/conftest.py``), jobs run inline, one user and token per role.

    clock       the date the API sees (``get_today`` overridden); ``clock.day = date(...)`` moves it
    api         a TestClient of the app (lifespan run); ``api.as_(role)`` → headers of that role's token
    upload      ``upload(name_or_path, role="developer", **fields)`` → the response of POST /uploads
    tokens      role → plain token (roles: developer, developer_b, reviewer, store, regulator, moderator, admin)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hegui.service import crud, tasks
from hegui.service.api.deps import get_today
from hegui.service.app import create_app
from hegui.service.config import Settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "apk"
MAX_UPLOAD = 200_000  # bytes; every fixture APK but bad_zipbomb.apk is under it
ROLES = ("developer", "developer_b", "reviewer", "store", "regulator", "moderator", "admin")
ORG_A, ORG_B = "Acme 科技有限公司", "Beta Soft Ltd"


def apk(name: str) -> Path:
    return FIXTURES / f"{name}.apk"


class InlineDispatcher:
    """Runs a job at once, in the dispatching thread, scanning in this process (no child)."""

    def __init__(self) -> None:
        self.factory: sessionmaker[Session] | None = None
        self.store: Any = None
        self.dispatched: list[int] = []
        self.results: list[str] = []
        self.paused = False  # True: record the dispatch, run nothing (the job stays queued)

    def bind(self, factory: sessionmaker[Session], store: Any) -> None:
        self.factory, self.store = factory, store

    def dispatch(self, job_id: int) -> None:
        self.dispatched.append(job_id)
        if self.paused:
            return
        assert self.factory is not None
        self.results.append(
            tasks.run_job(self.factory, job_id=job_id, store=self.store, isolate=False, timeout=120)
        )


@dataclass
class Clock:
    day: date = date(2021, 6, 1)

    def today(self) -> date:
        return self.day


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]
    ids: dict[str, int] = field(default_factory=dict)  # users and organisations by name
    app: Any = None

    def as_(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def get(self, url: str, role: str | None = None, **kw: Any) -> httpx.Response:
        return self.client.get(url, headers=self.as_(role) if role else None, **kw)

    def post(self, url: str, role: str | None = None, **kw: Any) -> httpx.Response:
        return self.client.post(url, headers=self.as_(role) if role else None, **kw)

    def delete(self, url: str, role: str | None = None, **kw: Any) -> httpx.Response:
        return self.client.delete(url, headers=self.as_(role) if role else None, **kw)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def dispatcher() -> InlineDispatcher:
    return InlineDispatcher()


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db_url, max_upload_bytes=MAX_UPLOAD)


def _seed(factory: sessionmaker[Session]) -> tuple[dict[str, str], dict[str, int]]:
    """Two organisations and one user with an API token per role ("store" also has a password:
    scrypt is slow on purpose, so the others have none)."""
    tokens: dict[str, str] = {}
    ids: dict[str, int] = {}
    with factory() as s:
        a = crud.organisations.create_organisation(s, name=ORG_A)
        b = crud.organisations.create_organisation(s, name=ORG_B)
        ids.update(org_a=a.id, org_b=b.id)
        for name in ROLES:
            role = "developer" if name.startswith("developer") else name
            org = {"developer": a.id, "developer_b": b.id}.get(name)
            password = "store-password" if name == "store" else None
            user = crud.users.create_user(s, username=name, role=role, organisation_id=org, password=password)
            _, tokens[name] = crud.users.create_token(s, user_id=user.id, name="test")
            ids[name] = user.id
        s.commit()
    return tokens, ids


@pytest.fixture
def api(
    settings: Settings,
    db_sessions: sessionmaker[Session],
    dispatcher: InlineDispatcher,
    clock: Clock,
) -> Iterator[Api]:
    app = create_app(settings, dispatcher=dispatcher)
    dispatcher.bind(app.state.session_factory, app.state.store)
    app.dependency_overrides[get_today] = clock.today
    tokens, ids = _seed(db_sessions)
    with TestClient(app) as client:
        yield Api(client=client, tokens=tokens, ids=ids, app=app)


@pytest.fixture
def upload(api: Api) -> Callable[..., httpx.Response]:
    def send(
        what: str | Path | bytes, role: str = "developer", *, file_name: str | None = None, **fields: Any
    ):
        if isinstance(what, bytes):
            data, name = what, file_name or "upload.apk"
        else:
            path = what if isinstance(what, Path) else apk(what)
            data, name = path.read_bytes(), file_name or path.name
        files = {"file": (name, data, "application/vnd.android.package-archive")}
        form = {k: str(v) for k, v in fields.items()}
        return api.post("/api/v1/uploads", role, files=files, data=form)

    return send


def stored_files(settings: Settings) -> list[Path]:
    """APKs in the store (not its temporary area)."""
    root = settings.store_path
    return sorted(p for p in root.rglob("*") if p.is_file() and "tmp" not in p.relative_to(root).parts)


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"kind", "message"} <= set(body["error"]), body
    return body["error"]
