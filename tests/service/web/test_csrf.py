"""Every POST form of the UI needs this visitor's CSRF token; without it nothing is read or changed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from hegui.service.db.models import AuditLog
from tests.service.web.conftest import FIXTURES, WebEnv, csrf_of


@pytest.fixture
def ids(web: WebEnv, reports: dict[str, dict[str, Any]]) -> dict[str, int]:
    app_id, _v, result_id = web.seed_result(reports["sdk_no_consent"])
    draft = web.notice([app_id], number="draft")
    return {"app": app_id, "result": result_id, "draft": draft}


def posts(web: WebEnv, ids: dict[str, int]) -> list[tuple[str, str, dict[str, str]]]:
    """(role, path, form) of every state-changing form, with valid fields."""
    return [
        ("regulator", "/notices", {"title": "t", "number": "n", "deadline": "2099-01-01"}),
        ("regulator", f"/notices/{ids['draft']}/entries", {"app_id": str(ids["app"])}),
        ("regulator", f"/notices/{ids['draft']}/publish", {"confirm": "yes"}),
        ("regulator", f"/orgs/{web.ids['org']}/release-review/lift", {"reason": "r"}),
        ("reviewer", f"/results/{ids['result']}/review", {"item": "HG-SDK-001", "decision": "confirmed"}),
        ("regulator", "/logout", {}),
    ]


def _audit(web: WebEnv) -> int:
    with web.sessions() as s:
        return s.scalar(select(func.count()).select_from(AuditLog)) or 0


def test_posts_without_a_token_are_refused_and_change_nothing(web: WebEnv, ids: dict[str, int]) -> None:
    before = _audit(web)
    for role, path, form in posts(web, ids):
        c = web.as_role(role)
        r = c.post(path, data=form)
        assert r.status_code == 403, path
        assert "CSRF" in r.text and r.headers["content-type"].startswith("text/html")
        r = c.post(path, data={**form, "csrf": "not-the-token"})
        assert r.status_code == 403, path
    assert _audit(web) == before  # logins record nothing; the refused forms changed nothing


def test_another_sessions_token_does_not_work(web: WebEnv, ids: dict[str, int]) -> None:
    mine, theirs = web.as_role("regulator"), web.as_role("regulator")
    token = csrf_of(theirs.get("/notices").text)
    r = mine.post("/notices", data={"csrf": token, "title": "t", "deadline": "2099-01-01"})
    assert r.status_code == 403


def test_the_token_in_a_header_works_for_htmx(web: WebEnv, ids: dict[str, int]) -> None:
    c = web.as_role("regulator")
    token = csrf_of(c.get("/notices").text)
    r = c.post("/notices", data={"title": "t", "deadline": "2099-01-01"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 303


def test_the_upload_is_refused_before_its_body_is_read(web: WebEnv) -> None:
    c = web.as_role("developer")
    with (FIXTURES / "clean.apk").open("rb") as fh:
        r = c.post("/upload", files={"file": ("clean.apk", fh)})
    assert r.status_code == 403
    assert not any(web.settings.store_path.rglob("*.apk"))  # nothing reached the store


def test_a_post_without_a_session_is_refused_as_forged_not_bounced(web: WebEnv) -> None:
    r = web.client().post("/notices", data={"title": "t"})
    assert r.status_code == 403
