"""Every governance route checks the caller's role: the matrix, route by route (see docs/governance.md)."""

from __future__ import annotations

import re

import pytest

from hegui.service.app import create_app
from hegui.service.config import Settings
from tests.service.api.test_roles import api_routes, guards

DEV, REV, STORE, REG, MOD, ADMIN = "developer", "reviewer", "store", "regulator", "moderator", "admin"
ALL = {DEV, REV, STORE, REG, MOD, ADMIN}
READ = {MOD, REG, ADMIN}
DECIDE = {MOD, ADMIN}
PUBLIC = "public"
G = "/api/v1/governance"

MATRIX: dict[tuple[str, str], set[str] | str] = {
    ("POST", f"{G}/complaints"): ALL,
    ("POST", f"{G}/screen"): ALL,
    ("GET", f"{G}/accounts/{{uid}}/status"): ALL,
    ("GET", f"{G}/groups/{{gid}}/status"): ALL,
    ("POST", f"{G}/accounts/{{uid}}/link"): DECIDE,
    ("GET", f"{G}/cases/queue"): READ,
    ("GET", f"{G}/cases"): READ,
    ("GET", f"{G}/cases/{{case_id}}"): READ,
    ("GET", f"{G}/cases/{{case_id}}/proposal"): DECIDE,
    ("POST", f"{G}/cases/{{case_id}}/decision"): DECIDE,
    ("POST", f"{G}/appeals"): ALL,
    ("GET", f"{G}/appeals"): READ,
    ("POST", f"{G}/appeals/{{appeal_id}}/resolve"): DECIDE,
    ("GET", f"{G}/notices"): READ,
    ("GET", f"{G}/notices/export/decisions"): READ,
    ("POST", f"{G}/notices"): DECIDE,
    ("GET", f"{G}/notices/{{notice_id}}"): READ,
    ("POST", f"{G}/notices/{{notice_id}}/publish"): DECIDE,
    ("GET", f"{G}/registration/controls"): READ,
    ("PUT", f"{G}/registration/controls/{{channel}}"): DECIDE,
    ("GET", f"{G}/public/notices"): PUBLIC,
    ("GET", f"{G}/public/notices/{{notice_id}}"): PUBLIC,
    ("GET", f"{G}/public/notices/{{notice_id}}/text"): PUBLIC,
    ("GET", f"{G}/public/registration"): PUBLIC,
    ("POST", f"{G}/public/registration/check"): PUBLIC,
}


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory):
    return create_app(Settings(data_dir=tmp_path_factory.mktemp("gov-routes")))


def test_matrix_covers_every_governance_route(bare_app) -> None:
    seen = {(m, p) for m, p, _ in api_routes(bare_app) if p.startswith(G)}
    assert seen == set(MATRIX)


def test_every_route_has_the_matrix_roles(bare_app) -> None:
    for method, path, route in api_routes(bare_app):
        if not path.startswith(G):
            continue
        expected = MATRIX[(method, path)]
        roles = [c.roles for c in guards(route.dependant) if hasattr(c, "roles")]
        if expected == PUBLIC:
            assert not roles, path
        else:
            assert set().union(*roles) == expected, (method, path, roles)


def _concrete(path: str) -> str:
    return re.sub(
        r"\{(uid|gid)\}", "wxid_nobody", re.sub(r"\{channel\}", "app", re.sub(r"\{\w+_id\}", "999999", path))
    )


def test_roles_enforced_on_every_route(gapi) -> None:
    for (method, path), expected in MATRIX.items():
        url = _concrete(path)
        if expected == PUBLIC:
            body = {} if method == "POST" else None
            assert gapi.client.request(method, url, json=body).status_code in (200, 404), path
            continue
        assert gapi.client.request(method, url).status_code == 401, path
        for role in sorted(ALL):
            r = gapi.client.request(method, url, headers=gapi.h(role))
            if role in expected:
                assert r.status_code not in (401, 403), (role, method, path, r.text)
            else:
                assert r.status_code == 403, (role, method, path, r.status_code)
                assert r.json()["error"]["kind"] == "permission_denied"
