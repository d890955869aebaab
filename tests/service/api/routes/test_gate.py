"""GET /api/v1/gate: the flips of the listing gate through the whole loop over HTTP.

upload (fail) → allowed outside review → 4 notices published → review before release → blocked;
a passing version allowed, an unanalysed one pending; lift → allowed; deadline passes → blocked;
removal → blocked; lift removal.
"""

from __future__ import annotations

from datetime import date

NOCONSENT = "com.hegui.fixture.noconsent"


def gate(api, package: str, code: int = 1, role: str = "store", **kw):
    r = api.get("/api/v1/gate", role, params={"package": package, "version_code": code, **kw})
    assert r.status_code == 200, r.text
    return r.json()


def notice(api, app_id: int, version_id: int | None, deadline: str = "2021-07-01") -> dict:
    n = api.post(
        "/api/v1/notices", "regulator", json={"title": "关于侵害用户权益行为的App通报", "deadline": deadline}
    )
    assert n.status_code == 201, n.text
    nid = n.json()["id"]
    e = api.post(
        f"/api/v1/notices/{nid}/entries", "regulator", json={"app_id": app_id, "version_id": version_id}
    )
    assert e.status_code == 201, e.text
    p = api.post(f"/api/v1/notices/{nid}/publish", "regulator")
    assert p.status_code == 200, p.text
    return p.json()


def test_the_gate_flips_through_the_loop(api, upload, clock, dispatcher):
    assert gate(api, NOCONSENT)["status"] == "pending"  # unknown package
    up = upload("sdk_no_consent").json()
    app_id, vid = up["app"]["id"], up["version"]["id"]

    g = gate(api, NOCONSENT)
    assert g["status"] == "allowed" and g["verdict"] == "fail" and g["under_review"] is False
    assert g["evidence"] == f"/api/v1/versions/{vid}/report.html"
    assert api.get(g["evidence"], "store").status_code == 200
    assert gate(api, NOCONSENT, policy="strict")["status"] == "blocked"
    assert gate(api, NOCONSENT, code=2)["status"] == "pending"  # this version was never uploaded

    for i in range(4):
        published = notice(api, app_id, vid)
        assert published["status"] == "published" and published["published_on"] == "2021-06-01"
        entry = published["entries"][0]
        assert entry["problems"]["rules"] and entry["case"]["status"] == "open"
        org = api.get(f"/api/v1/organisations/{api.ids['org_a']}", "regulator").json()
        assert org["strikes_this_year"] == i + 1
        assert (org["release_review"] is not None) == (i == 3)

    g = gate(api, NOCONSENT)
    assert g["status"] == "blocked" and g["under_review"] is True
    assert any("review before release" in r["en"] for r in g["reasons"])

    assert gate(api, "com.hegui.fixture.clean")["status"] == "pending"
    upload("clean")
    g = gate(api, "com.hegui.fixture.clean", role="reviewer")
    assert g["status"] == "allowed" and g["under_review"] is True and g["verdict"] == "pass"
    dispatcher.paused = True
    upload("update_v1")
    assert gate(api, "com.hegui.fixture.update")["status"] == "pending"  # not analysed yet
    dispatcher.paused = False

    lift = api.post(
        f"/api/v1/organisations/{api.ids['org_a']}/release-review/lift",
        "regulator",
        json={"reason": "整改到位，经复核解除"},
    )
    assert lift.status_code == 200 and lift.json()["lift_reason"] == "整改到位，经复核解除"
    assert gate(api, NOCONSENT)["status"] == "allowed"

    clock.day = date(2021, 7, 2)  # the deadlines (2021-07-01, inclusive) have passed
    g = gate(api, NOCONSENT)
    assert g["status"] == "blocked" and "deadline" in g["reasons"][0]["en"]
    overdue = api.get("/api/v1/removals/overdue", "regulator").json()
    assert {c["app_id"] for c in overdue} == {app_id} and len(overdue) == 4

    removal = api.post(
        "/api/v1/removals", "regulator", json={"app_id": app_id, "reason": "逾期未整改，予以下架"}
    )
    assert removal.status_code == 201, removal.text
    g = gate(api, NOCONSENT)
    assert g["status"] == "blocked" and "逾期未整改" in g["reasons"][0]["zh"]
    assert api.get("/api/v1/removals/overdue", "regulator").json() == []  # closed as failed by the removal
    assert api.get(f"/api/v1/apps/{app_id}", "developer").json()["removed"] is True

    rid = removal.json()["id"]
    lifted = api.post(f"/api/v1/removals/{rid}/lift", "regulator", json={"reason": "已整改"})
    assert lifted.status_code == 200 and lifted.json()["lifted_at"]
    assert api.post(f"/api/v1/removals/{rid}/lift", "regulator", json={"reason": "again"}).status_code == 409
    assert gate(api, NOCONSENT)["status"] == "allowed"


def test_gate_parameters_are_bounded(api):
    for params in (
        {"package": "com.x", "version_code": -1},
        {"package": "com.x", "version_code": 2**63},
        {"package": "<script>", "version_code": 1},
        {"package": "a." * 200, "version_code": 1},
        {"version_code": 1},
    ):
        assert api.get("/api/v1/gate", "store", params=params).status_code == 422, params
