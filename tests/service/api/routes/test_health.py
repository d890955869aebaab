"""Health, the OpenAPI document and the docs: open to everyone."""

from __future__ import annotations

from tests.governance.test_api_roles import MATRIX as GOVERNANCE_MATRIX
from tests.service.api.test_roles import MATRIX as SERVICE_MATRIX

MATRIX = SERVICE_MATRIX | GOVERNANCE_MATRIX


def test_health_is_public(api):
    r = api.client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["max_upload_bytes"] > 0


def test_openapi_lists_every_route_with_tags_responses_and_errors(api):
    doc = api.client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"].startswith("hegui") and doc["info"]["version"]
    ops = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    assert ops == set(MATRIX)
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert op.get("tags"), (method, path)
            assert op.get("summary"), (method, path)
            if MATRIX[(method.upper(), path)] not in ("public", "password"):
                assert {"401", "403"} <= set(op["responses"]), (method, path)
                assert op.get("security"), (method, path)
                err = op["responses"]["403"]["content"]["application/json"]["schema"]
                assert err == {"$ref": "#/components/schemas/ErrorResponse"}
    upload = doc["paths"]["/api/v1/uploads"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"200", "201", "409", "413"} <= set(upload["responses"])
    assert {t["name"] for t in doc["tags"]} >= {"uploads", "gate", "notices", "public"}


def test_docs_pages(api):
    assert api.client.get("/api/docs").status_code == 200
    assert api.client.get("/api/redoc").status_code == 200
