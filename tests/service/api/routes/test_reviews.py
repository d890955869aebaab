"""Reviewers decide the assisted/manual items; the effective verdict and the gate follow."""

from __future__ import annotations


def test_reviewer_dismisses_every_item_and_the_version_passes(api, upload):
    vid = upload("update_v2").json()["version"]["id"]
    state = api.get(f"/api/v1/reviews?version_id={vid}", "reviewer").json()
    assert state["verdict"] == "needs-review" and state["review_items"] == ["HG-PI-004", "HG-POL-005", "HG-PI-005"]
    for item in state["review_items"]:
        body = {"version_id": vid, "item": item, "decision": "dismissed", "note": "隐私政策已说明 <ok>"}
        r = api.post("/api/v1/reviews", "reviewer", json=body)
        assert r.status_code == 201, r.text
    assert r.json()["effective_verdict"] == "pass"
    assert r.json()["decisions"][0]["note"] == "隐私政策已说明 <ok>"
    result = api.get(f"/api/v1/versions/{vid}/result", "developer").json()
    assert result["verdict"] == "needs-review" and result["effective_verdict"] == "pass"
    r = api.post(
        "/api/v1/reviews", "reviewer", json={"version_id": vid, "item": "version", "decision": "confirmed"}
    )
    assert r.json()["effective_verdict"] == "fail"


def test_review_input_is_checked(api, upload):
    vid = upload("update_v2").json()["version"]["id"]
    for body in (
        {"version_id": vid, "item": "HG-PI-004", "decision": "maybe"},
        {"version_id": vid, "item": "<script>", "decision": "confirmed"},
        {"version_id": vid, "item": "HG-PI-004", "decision": "confirmed", "note": "n" * 5000},
    ):
        assert api.post("/api/v1/reviews", "reviewer", json=body).status_code == 422, body
    assert (
        api.post(
            "/api/v1/reviews", "reviewer", json={"version_id": 999, "item": "x", "decision": "confirmed"}
        ).status_code
        == 404
    )
