"""Every page checks the role (admin passes everywhere); developers see only their organisation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.web.conftest import ROLES, WebEnv

ALL = set(ROLES)


@pytest.fixture
def ids(web: WebEnv, reports: dict[str, dict[str, Any]]) -> dict[str, int]:
    app_id, _version_id, result_id = web.seed_result(reports["sdk_no_consent"])
    draft = web.notice([app_id], number="草稿批")
    published = web.notice([app_id], number="已发布批", publish=True)
    return {"app": app_id, "result": result_id, "draft": draft, "published": published, "org": web.ids["org"]}


def pages(ids: dict[str, int]) -> list[tuple[str, set[str]]]:
    """(path, roles that may open it)."""
    r, org = ids["result"], ids["org"]
    return [
        ("/upload", {"developer", "reviewer", "regulator", "admin"}),
        ("/dashboard", {"reviewer", "store", "regulator", "admin"}),
        ("/apps", ALL),
        ("/orgs", ALL - {"developer"}),  # a developer is sent to its own organisation
        (f"/orgs/{org}", ALL),
        (f"/results/{r}", ALL),
        (f"/results/{r}/report", ALL),
        (f"/results/{r}/review", {"reviewer", "admin"}),
        ("/notices", {"regulator", "admin"}),
        (f"/notices/{ids['draft']}", {"regulator", "admin"}),
        (f"/notices/{ids['draft']}/publish", {"regulator", "admin"}),
        ("/removals", {"reviewer", "store", "regulator", "admin"}),
        ("/campaigns", {"reviewer", "store", "regulator", "admin"}),
    ]


def test_every_page_answers_each_role_as_allowed(web: WebEnv, ids: dict[str, int]) -> None:
    clients = {role: web.as_role(role) for role in ROLES}
    for path, allowed in pages(ids):
        for role, c in clients.items():
            r = c.get(path)
            expected = 200 if role in allowed else 403
            if path == "/orgs" and role == "developer":
                expected = 303
            assert r.status_code == expected, (path, role, r.status_code)
            if expected != 303:
                assert r.headers["content-type"].startswith("text/html")
            if expected == 403:
                assert "无权访问" in r.text and role in r.text


def test_anonymous_visitors_see_only_the_public_notices(web: WebEnv, ids: dict[str, int]) -> None:
    c = web.client()
    for path, _ in pages(ids):
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
    assert c.get("/public/notices").status_code == 200
    assert c.get(f"/public/notices/{ids['published']}").status_code == 200
    assert c.get(f"/public/notices/{ids['draft']}").status_code == 404  # a draft is not public


def test_a_developer_of_another_organisation_sees_nothing_of_it(web: WebEnv, ids: dict[str, int]) -> None:
    c = web.client()
    web.login(c, "dev_other")
    for path in (f"/results/{ids['result']}", f"/results/{ids['result']}/report", f"/orgs/{ids['org']}"):
        r = c.get(path)
        assert r.status_code == 404, path
        assert "No Consent" not in r.text
    assert "com.hegui.fixture.noconsent" not in c.get("/apps").text
    assert c.get("/orgs").headers["location"] == f"/orgs/{web.ids['other']}"


def test_every_web_route_has_a_guard() -> None:
    """Every page except login, logout, static files and the public notices depends on page_user."""
    from fastapi.routing import APIRoute

    from hegui.service.web import (
        routes_auth,
        routes_campaigns,
        routes_notices,
        routes_orgs,
        routes_removals,
        routes_results,
        routes_upload,
    )

    open_paths = {"/", "/login", "/logout", "/static/{name}", "/public/notices", "/public/notices/{batch_id}"}
    seen = 0
    modules = (routes_auth, routes_upload, routes_results, routes_notices, routes_orgs, routes_removals)
    for module in (*modules, routes_campaigns):
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            seen += 1
            guards = [d.call for d in route.dependant.dependencies if hasattr(d.call, "roles")]
            assert guards or route.path in open_paths, route.path
    assert seen >= 20
