"""The error envelope: service errors, validation, unknown routes, and a generic 500 (logged)."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient

from hegui.service.api.deps import get_today
from tests.service.api.conftest import error_of


def test_unknown_route_and_method(api):
    r = api.client.get("/api/v1/nope")
    assert r.status_code == 404 and error_of(r)["kind"] == "http"
    r = api.client.put("/api/v1/health")
    assert r.status_code == 405 and error_of(r)["kind"] == "http"


def test_validation_error_names_the_field(api):
    r = api.get("/api/v1/gate?package=com.x&version_code=abc", "store")
    assert r.status_code == 422
    err = error_of(r)
    assert err["kind"] == "validation" and "version_code" in err["message"]
    assert err["details"][0]["loc"] == ["query", "version_code"]


def test_unexpected_error_is_a_generic_500_and_logged(api, caplog):
    def boom():
        raise RuntimeError("secret internals /srv/hegui")

    api.app.dependency_overrides[get_today] = boom
    client = TestClient(api.app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="hegui.service.api"):
        r = client.get("/api/v1/gate?package=com.x&version_code=1", headers=api.as_("store"))
    assert r.status_code == 500
    err = error_of(r)
    assert err["kind"] == "internal" and "secret" not in r.text and "Traceback" not in r.text
    assert any("secret internals" in str(rec.exc_info) for rec in caplog.records)
