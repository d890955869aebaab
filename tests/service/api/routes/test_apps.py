"""Apps: listing (developers: their organisation's), details with versions and removal."""

from __future__ import annotations


def test_apps_are_scoped_to_the_developers_organisation(api, upload):
    a = upload("clean", "developer").json()["app"]
    b = upload("pi_sms", "developer_b").json()["app"]
    assert {x["package"] for x in api.get("/api/v1/apps", "developer").json()} == {a["package"]}
    assert {x["package"] for x in api.get("/api/v1/apps", "developer_b").json()} == {b["package"]}
    assert len(api.get("/api/v1/apps", "store").json()) == 2
    assert api.get(f"/api/v1/apps?organisation_id={api.ids['org_b']}", "developer").json() == []
    assert api.get(f"/api/v1/apps/{b['id']}", "developer").status_code == 404
    one = api.get(f"/api/v1/apps?package={a['package']}", "reviewer").json()
    assert [x["id"] for x in one] == [a["id"]]
    assert api.get("/api/v1/apps?package=not a package", "reviewer").status_code == 422


def test_app_detail_lists_versions(api, upload):
    upload("update_v1")
    app = upload("update_v2").json()["app"]
    detail = api.get(f"/api/v1/apps/{app['id']}", "developer").json()
    assert [v["version_code"] for v in detail["versions"]] == [1, 2]
    assert detail["removal"] is None and detail["removed"] is False
