"""Every route of the app checks the caller's role; the role matrix, route by route.

The matrix below is the reference (docs/service.md, "HTTP API" repeats it): a new route fails
``test_the_matrix_covers_every_api_route`` until it is added here with its roles. The governance
module's routes (``/api/v1/governance``) have their matrix in tests/governance/test_api_roles.py.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import iter_route_contexts

from hegui.service.app import create_app
from hegui.service.config import Settings

DEV, REV, STORE, REG, MOD, ADMIN = "developer", "reviewer", "store", "regulator", "moderator", "admin"
ALL = {DEV, REV, STORE, REG, MOD, ADMIN}
OVERSEERS = {REV, STORE, REG, ADMIN}
PUBLIC = "public"
PASSWORD = "password"

MATRIX: dict[tuple[str, str], set[str] | str] = {
    ("GET", "/api/v1/health"): PUBLIC,
    ("GET", "/api/v1/public/notices"): PUBLIC,
    ("POST", "/api/v1/auth/token"): PASSWORD,
    ("GET", "/api/v1/auth/me"): ALL,
    ("POST", "/api/v1/auth/me/tokens"): ALL,
    ("POST", "/api/v1/auth/tokens/{token_id}/revoke"): ALL,
    ("GET", "/api/v1/auth/users"): {ADMIN},
    ("POST", "/api/v1/auth/users"): {ADMIN},
    ("POST", "/api/v1/auth/users/{user_id}/tokens"): {ADMIN},
    ("GET", "/api/v1/organisations"): ALL,
    ("POST", "/api/v1/organisations"): {ADMIN},
    ("GET", "/api/v1/organisations/{organisation_id}"): ALL,
    ("POST", "/api/v1/organisations/{organisation_id}/release-review"): {REG, ADMIN},
    ("POST", "/api/v1/organisations/{organisation_id}/release-review/lift"): {REG, ADMIN},
    ("GET", "/api/v1/apps"): ALL,
    ("GET", "/api/v1/apps/{app_id}"): ALL,
    ("POST", "/api/v1/uploads"): {DEV, REV, REG, ADMIN},
    ("GET", "/api/v1/versions/{version_id}"): ALL,
    ("GET", "/api/v1/versions/{version_id}/job"): ALL,
    ("GET", "/api/v1/versions/{version_id}/result"): ALL,
    ("GET", "/api/v1/versions/{version_id}/report.html"): ALL,
    ("GET", "/api/v1/gate"): OVERSEERS,
    ("GET", "/api/v1/notices"): OVERSEERS,
    ("POST", "/api/v1/notices"): {REG, ADMIN},
    ("GET", "/api/v1/notices/candidates"): {REV, REG, ADMIN},
    ("GET", "/api/v1/notices/{notice_id}"): OVERSEERS,
    ("POST", "/api/v1/notices/{notice_id}/entries"): {REG, ADMIN},
    ("DELETE", "/api/v1/notices/{notice_id}/entries/{entry_id}"): {REG, ADMIN},
    ("POST", "/api/v1/notices/{notice_id}/publish"): {REG, ADMIN},
    ("GET", "/api/v1/removals"): OVERSEERS,
    ("POST", "/api/v1/removals"): {REG, ADMIN},
    ("GET", "/api/v1/removals/overdue"): OVERSEERS,
    ("GET", "/api/v1/removals/{removal_id}"): OVERSEERS,
    ("POST", "/api/v1/removals/{removal_id}/lift"): {REG, ADMIN},
    ("GET", "/api/v1/reviews"): OVERSEERS,
    ("POST", "/api/v1/reviews"): {REV, ADMIN},
    ("POST", "/api/v1/campaigns"): {REG, ADMIN},
    ("GET", "/api/v1/campaigns/{campaign_id}"): OVERSEERS,
}
DOCS = {"/api/v1/openapi.json", "/api/docs", "/api/docs/oauth2-redirect", "/api/redoc"}
GOVERNANCE = "/api/v1/governance"


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory):
    return create_app(Settings(data_dir=tmp_path_factory.mktemp("routes")))


def api_routes(app):
    """(method, path, route context) of every API route (HEAD aside)."""
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if not path.startswith("/api"):
            continue
        for method in sorted((route.methods or set()) - {"HEAD"}):
            yield method, path, route


def service_routes(app):
    """The API routes of this matrix: all but the governance module's."""
    return [(m, p, r) for m, p, r in api_routes(app) if not p.startswith(GOVERNANCE)]


def guards(dependant) -> list:
    """Every dependency callable of a route, depth first."""
    found = []
    for dep in dependant.dependencies:
        found.append(dep.call)
        found.extend(guards(dep))
    return found


def test_the_matrix_covers_every_api_route(bare_app):
    seen = {(m, p) for m, p, _ in service_routes(bare_app) if p not in DOCS}
    assert seen == set(MATRIX), f"missing: {seen - set(MATRIX)}; stale: {set(MATRIX) - seen}"


def test_every_route_has_a_role_guard_except_health_public_notices_and_docs(bare_app):
    for method, path, route in service_routes(bare_app):
        if path in DOCS:
            continue
        expected = MATRIX[(method, path)]
        calls = guards(route.dependant)
        roles = [c.roles for c in calls if hasattr(c, "roles")]
        if expected == PUBLIC:
            assert not roles, f"{method} {path} is meant to be public"
        elif expected == PASSWORD:
            assert any(getattr(c, "authenticates", False) for c in calls), f"{method} {path}"
        else:
            assert roles, f"{method} {path} has no role check"
            assert set().union(*roles) == expected, f"{method} {path}: {roles} != {expected}"


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", path)


def test_without_credentials_every_protected_route_is_401(api):
    for (method, path), expected in MATRIX.items():
        r = api.client.request(method, _concrete(path))
        if expected == PUBLIC:
            assert r.status_code == 200, f"{method} {path}: {r.status_code}"
        elif expected == PASSWORD:
            assert r.status_code == 422, f"{method} {path}: {r.status_code}"  # no form: nothing to check
        else:
            assert r.status_code == 401, f"{method} {path}: {r.status_code} {r.text}"
            assert r.headers["www-authenticate"] == "Bearer"
            assert r.json()["error"]["kind"] == "not_authenticated"


def test_a_bad_token_is_401_not_a_fallback(api):
    for token in ("nope", "x" * 5000):
        r = api.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401


def test_each_role_is_allowed_or_denied_on_each_route(api):
    """Allowed: anything but 401/403 (404 and 422 for the placeholder ids and empty bodies).
    Denied: 403 with the permission_denied error, before the body or the ids are looked at."""
    for (method, path), expected in MATRIX.items():
        if expected in (PUBLIC, PASSWORD):
            continue
        for role in sorted(ALL):
            r = api.client.request(method, _concrete(path), headers=api.as_(role))
            if role in expected:
                assert r.status_code not in (401, 403), f"{role} {method} {path}: {r.status_code} {r.text}"
            else:
                assert r.status_code == 403, f"{role} {method} {path}: {r.status_code} {r.text}"
                assert r.json()["error"]["kind"] == "permission_denied"
