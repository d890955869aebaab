"""Removals: a regulator removes and lifts, with reasons; the list."""

from __future__ import annotations


def test_remove_list_and_lift(api, upload):
    app_id = upload("clean").json()["app"]["id"]
    r = api.post("/api/v1/removals", "regulator", json={"app_id": app_id, "reason": "违规收集"})
    assert r.status_code == 201 and r.json()["decided_by"] == api.ids["regulator"]
    assert (
        api.post("/api/v1/removals", "regulator", json={"app_id": app_id, "reason": "again"}).status_code
        == 409
    )
    assert [x["id"] for x in api.get("/api/v1/removals?active=true", "store").json()] == [r.json()["id"]]
    assert api.get(f"/api/v1/removals/{r.json()['id']}", "reviewer").json()["reason"] == "违规收集"
    assert (
        api.post(
            f"/api/v1/removals/{r.json()['id']}/lift", "regulator", json={"reason": "已整改"}
        ).status_code
        == 200
    )
    assert api.get("/api/v1/removals?active=true", "store").json() == []
    assert len(api.get("/api/v1/removals", "store").json()) == 1


def test_removal_needs_a_reason_and_an_app(api):
    assert api.post("/api/v1/removals", "regulator", json={"app_id": 5, "reason": ""}).status_code == 422
    assert api.post("/api/v1/removals", "regulator", json={"app_id": 5, "reason": "x"}).status_code == 404
    assert (
        api.post("/api/v1/removals", "regulator", json={"app_id": 5, "reason": "r" * 3000}).status_code == 422
    )
