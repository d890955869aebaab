"""Organisations: admin creates; developers see their own; strikes and review before release."""

from __future__ import annotations


def test_create_and_read(api):
    r = api.post(
        "/api/v1/organisations", "admin", json={"name": "Gamma 有限公司", "credit_code": "91110000ABCDEF1234"}
    )
    assert r.status_code == 201, r.text
    assert api.post("/api/v1/organisations", "admin", json={"name": "Gamma 有限公司"}).status_code == 409
    assert api.post("/api/v1/organisations", "admin", json={"name": ""}).status_code == 422
    assert (
        api.post("/api/v1/organisations", "admin", json={"name": "x", "credit_code": "../.."}).status_code
        == 422
    )
    detail = api.get(f"/api/v1/organisations/{r.json()['id']}", "store").json()
    assert (
        detail["strikes_this_year"] == 0 and detail["strike_year"] == 2021 and detail["strike_threshold"] == 3
    )
    assert detail["release_review"] is None and detail["apps"] == 0


def test_developer_sees_only_its_organisation(api):
    mine = api.get("/api/v1/organisations", "developer").json()
    assert [o["id"] for o in mine] == [api.ids["org_a"]]
    assert api.get(f"/api/v1/organisations/{api.ids['org_b']}", "developer").status_code == 404
    assert len(api.get("/api/v1/organisations", "reviewer").json()) == 2


def test_regulator_starts_and_lifts_review_before_release(api):
    url = f"/api/v1/organisations/{api.ids['org_b']}/release-review"
    assert api.post(f"{url}/lift", "regulator", json={"reason": "x"}).status_code == 409  # none active
    r = api.post(url, "regulator", json={"reason": "重点关注"})
    assert r.status_code == 201
    assert api.post(url, "regulator", json={"reason": "again"}).status_code == 409
    detail = api.get(f"/api/v1/organisations/{api.ids['org_b']}", "developer_b").json()
    assert detail["release_review"]["reason"] == "重点关注"
    assert api.post(f"{url}/lift", "regulator", json={"reason": ""}).status_code == 422
    assert api.post(f"{url}/lift", "regulator", json={"reason": "ok"}).status_code == 200
