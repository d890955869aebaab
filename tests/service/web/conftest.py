"""Fixtures of the web UI tests: the whole service app (``create_app``) on a temporary SQLite file
with jobs run in-process (in this thread pool, no child process), users of every role with
passwords, and helpers to log in and to find a page's CSRF token.

    web            a ``WebEnv``: ``app``, ``sessions`` (session factory), ``dispatcher``, ``ids``
                   (organisations and users created), ``client()`` (a new TestClient),
                   ``login(client, username)``, ``seed_result(...)``
    reports        real reports (JSON dicts) of fixture APKs, scanned once per test session
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hegui.service import crud
from hegui.service.config import Settings
from hegui.service.db.migrate import upgrade
from hegui.service.db.models import Result, Version
from hegui.service.db.session import make_engine, session_factory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "apk"
PASSWORD = "correct horse battery staple"
ROLES = ("developer", "reviewer", "store", "regulator", "admin")
SECRET = "web-test-secret-" + "x" * 32
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    m = _CSRF.search(html)
    assert m, "the page has no CSRF field"
    return m.group(1)


def build_app(settings: Settings, dispatcher: Any) -> FastAPI:
    from hegui.service.app import create_app

    return create_app(settings, dispatcher=dispatcher)


@dataclass
class WebEnv:
    app: FastAPI
    sessions: sessionmaker[Session]
    dispatcher: Any
    settings: Settings
    ids: dict[str, int] = field(default_factory=dict)
    clients: list[TestClient] = field(default_factory=list)

    def client(self) -> TestClient:
        c = TestClient(self.app, follow_redirects=False)
        self.clients.append(c)
        return c

    def login(self, client: TestClient, username: str, password: str = PASSWORD) -> None:
        page = client.get("/login")
        assert page.status_code == 200, page.text
        r = client.post(
            "/login",
            data={"csrf": csrf_of(page.text), "username": username, "password": password, "next": "/"},
        )
        assert r.status_code == 303, r.text

    def as_role(self, role: str) -> TestClient:
        c = self.client()
        self.login(c, role)
        return c

    def seed_result(
        self,
        report: dict[str, Any],
        *,
        package: str | None = None,
        name: str = "",
        org: str = "org",
        seed: str = "",
    ) -> tuple[int, int, int]:
        """An app (of organisation ``org``), a version and its stored result: (app id, version id, result id)."""
        import hashlib

        with self.sessions() as s:
            facts = report["facts"]
            app = crud.apps.get_or_create_app(
                s, package=package or facts["package"], organisation_id=self.ids[org], name=name
            )
            sha = hashlib.sha256(f"{app.package}{seed}{facts['sha256']}".encode()).hexdigest()
            v, _ = crud.versions.add_version(
                s,
                app_id=app.id,
                sha256=sha,
                size=facts["file_size"],
                version_code=facts["version_code"],
                version_name=facts["version_name"],
                file_name=facts["file_name"],
            )
            r, _ = crud.results.save_result(
                s, version_id=v.id, verdict=report["verdict"]["status"], report=report, hegui_version="test"
            )
            s.commit()
            return app.id, v.id, r.id

    def notice(
        self,
        app_ids: list[int],
        *,
        title: str = "关于侵害用户权益行为的APP通报",
        number: str = "2026年第1批",
        publish: bool = False,
        deadline: date | None = None,
    ) -> int:
        """A notice naming the apps (their latest version), as a draft or published today."""
        with self.sessions() as s:
            batch = crud.notices.create_notice(
                s,
                title=title,
                number=number,
                deadline=deadline or date.today() + timedelta(days=15),
                actor_id=self.ids["regulator"],
            )
            for app_id in app_ids:
                version = crud.versions.list_versions(s, app_id=app_id)[-1]
                result = crud.results.get_result(s, version_id=version.id)
                problems = crud.notices.problems_for(result) if result else {}
                crud.notices.add_entry(
                    s,
                    batch_id=batch.id,
                    app_id=app_id,
                    version_id=version.id,
                    problems=problems,
                    actor_id=self.ids["regulator"],
                )
            if publish:
                crud.notices.publish_notice(
                    s,
                    batch_id=batch.id,
                    actor_id=self.ids["regulator"],
                    today=date.today(),
                    threshold=self.settings.strike_threshold,
                )
            s.commit()
            return batch.id

    def result(self, result_id: int) -> tuple[Result, Version]:
        with self.sessions() as s:
            r = s.get(Result, result_id)
            assert r is not None
            return r, s.get(Version, r.version_id)  # type: ignore[return-value]


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for every test (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("web-db") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def reports() -> dict[str, dict[str, Any]]:
    from hegui.batch import scan_to_dict

    return {
        name: scan_to_dict(str(FIXTURES / f"{name}.apk"))
        for name in ("sdk_no_consent", "clean", "pi_location")
    }


def make_env(tmp: Path, template: Path, **settings_kw: Any) -> WebEnv:
    from hegui.service.dispatch import InProcessDispatcher
    from hegui.service.storage import LocalStore

    db = tmp / "hegui.db"
    shutil.copy(template, db)
    url = f"sqlite:///{db}"
    settings = Settings(data_dir=tmp, database_url=url, secret_key=SECRET, **settings_kw)
    sessions = session_factory(make_engine(url))
    dispatcher = InProcessDispatcher(sessions, LocalStore(settings.store_path), isolate=False, timeout=120)
    app = build_app(settings, dispatcher)
    env = WebEnv(app=app, sessions=app.state.session_factory, dispatcher=dispatcher, settings=settings)
    with env.sessions() as s:
        for name in ("org", "other"):
            env.ids[name] = crud.organisations.create_organisation(s, name=f"{name} Ltd").id
        for role in ROLES:
            u = crud.users.create_user(
                s,
                username=role,
                role=role,
                password=PASSWORD,
                organisation_id=env.ids["org"] if role == "developer" else None,
                display_name=f"{role} user",
            )
            env.ids[role] = u.id
        env.ids["dev_other"] = crud.users.create_user(
            s, username="dev_other", role="developer", password=PASSWORD, organisation_id=env.ids["other"]
        ).id
        s.commit()
    return env


@pytest.fixture
def web(tmp_path: Path, _migrated: Path) -> Iterator[WebEnv]:
    env = make_env(tmp_path, _migrated)
    yield env
    for c in env.clients:
        c.close()
    env.dispatcher.close(wait=True)
