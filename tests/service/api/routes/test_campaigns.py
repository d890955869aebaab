"""Campaigns over uploaded APKs: by version id or sha256; analysed versions are not analysed again."""

from __future__ import annotations


def test_campaign_by_ids_and_sha256_skips_what_was_analysed(api, upload, dispatcher):
    a = upload("clean").json()["version"]
    dispatcher.paused = True
    b = upload("sdk_no_consent").json()["version"]
    dispatcher.paused = False
    r = api.post(
        "/api/v1/campaigns",
        "regulator",
        json={"name": "2021 专项检测", "version_ids": [a["id"]], "sha256s": [b["sha256"]]},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["total"] == 2 and body["done"] == 2 and body["skipped"] == 1 and body["finished"] is True
    assert body["passing"] == 1 and body["failing"] == 1
    again = api.get(body["links"]["campaign"], "store").json()
    assert again["campaign_id"] == body["campaign_id"]
    cands = api.get(body["links"]["candidates"], "regulator").json()
    assert [c["version_id"] for c in cands] == [b["id"]]


def test_campaign_input_is_checked(api):
    assert api.post("/api/v1/campaigns", "regulator", json={"name": "x"}).status_code == 422
    assert (
        api.post("/api/v1/campaigns", "regulator", json={"name": "x", "version_ids": [77]}).status_code == 404
    )
    assert (
        api.post("/api/v1/campaigns", "regulator", json={"name": "x", "sha256s": ["0" * 64]}).status_code
        == 404
    )
    assert (
        api.post("/api/v1/campaigns", "regulator", json={"name": "x", "sha256s": ["../etc"]}).status_code
        == 422
    )
    assert api.get("/api/v1/campaigns/5", "regulator").status_code == 404
