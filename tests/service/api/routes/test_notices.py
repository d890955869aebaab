"""Notices: draft, entries, publish; the public list; hostile fields stored verbatim, returned escaped."""

from __future__ import annotations

from tests.service.api.conftest import error_of

SCRIPT = "<script>alert('x')</script> & 通报"


def _draft(api, **kw) -> dict:
    body = {"title": "2021年第1批", "number": "2021-1", "deadline": "2021-06-30", **kw}
    r = api.post("/api/v1/notices", "regulator", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_draft_entries_publish_and_the_public_list(api, upload):
    up = upload("sdk_no_consent").json()
    draft = _draft(api)
    assert draft["status"] == "draft" and draft["entries"] == []
    assert api.client.get("/api/v1/public/notices").json() == []
    assert api.post(f"/api/v1/notices/{draft['id']}/publish", "regulator").status_code == 409  # no entry

    problems = {"rules": ["HG-SDK-001"], "text": "SDK 在同意前收集个人信息"}
    e = api.post(
        f"/api/v1/notices/{draft['id']}/entries",
        "regulator",
        json={"app_id": up["app"]["id"], "version_id": up["version"]["id"], "problems": problems},
    )
    assert e.status_code == 201, e.text
    assert e.json()["problems"] == problems and e.json()["organisation"] == "Acme 科技有限公司"
    dup = api.post(f"/api/v1/notices/{draft['id']}/entries", "regulator", json={"app_id": up["app"]["id"]})
    assert dup.status_code == 409

    other = _draft(api, title="draft only")
    assert {n["id"] for n in api.get("/api/v1/notices", "store").json()} == {draft["id"], other["id"]}
    published = api.post(f"/api/v1/notices/{draft['id']}/publish", "regulator").json()
    assert published["status"] == "published" and published["entries"][0]["case"]["deadline"] == "2021-06-30"
    assert api.post(f"/api/v1/notices/{draft['id']}/publish", "regulator").status_code == 409

    public = api.client.get("/api/v1/public/notices")
    assert public.status_code == 200
    assert [n["id"] for n in public.json()] == [draft["id"]]
    assert public.json()[0]["entries"][0]["package"] == "com.hegui.fixture.noconsent"
    assert "created_by" not in public.json()[0] and "status" not in public.json()[0]
    only = api.get("/api/v1/notices?published_only=true", "reviewer").json()
    assert [n["id"] for n in only] == [draft["id"]]


def test_remove_an_entry_of_a_draft(api, upload):
    app_id = upload("clean").json()["app"]["id"]
    draft = _draft(api)
    entry = api.post(f"/api/v1/notices/{draft['id']}/entries", "regulator", json={"app_id": app_id}).json()
    assert api.delete(f"/api/v1/notices/{draft['id']}/entries/{entry['id']}", "regulator").status_code == 204
    assert api.get(f"/api/v1/notices/{draft['id']}", "store").json()["entries"] == []
    assert api.delete(f"/api/v1/notices/{draft['id']}/entries/{entry['id']}", "regulator").status_code == 404


def test_candidates_are_failing_apps_not_yet_notified(api, upload):
    fail = upload("sdk_no_consent").json()
    upload("clean")
    cands = api.get("/api/v1/notices/candidates", "reviewer").json()
    assert [c["version_id"] for c in cands] == [fail["version"]["id"]]
    assert cands[0]["problems"]["rules"]


def test_hostile_fields_are_bounded(api):
    assert (
        api.post(
            "/api/v1/notices", "regulator", json={"title": "x" * 10_000, "deadline": "2021-06-30"}
        ).status_code
        == 422
    )
    r = api.post("/api/v1/notices", "regulator", json={"title": "t", "deadline": "soon"})
    assert r.status_code == 422 and error_of(r)["kind"] == "validation"
    assert "x" * 100 not in r.text  # the rejected input is not echoed back
    r = api.post(
        "/api/v1/notices", "regulator", json={"title": "t", "deadline": "2021-06-30", "status": "published"}
    )
    assert r.status_code == 422
    draft = _draft(api)
    r = api.post(
        f"/api/v1/notices/{draft['id']}/entries",
        "regulator",
        json={"app_id": 1, "problems": {"rules": ["HG-PI-001"], "text": "y" * 5000}},
    )
    assert r.status_code == 422
    big = api.client.post(
        "/api/v1/notices",
        headers={**api.as_("regulator"), "Content-Type": "application/json"},
        content=b'{"title": "' + b"z" * (3 * 1024 * 1024) + b'"}',
    )
    assert big.status_code == 413


def test_script_in_names_is_stored_verbatim_and_returned_json_escaped(api, upload):
    r = api.post(
        "/api/v1/notices", "regulator", json={"title": SCRIPT, "number": "<b>1</b>", "deadline": "2021-06-30"}
    )
    assert r.status_code == 201
    assert r.json()["title"] == SCRIPT and r.json()["number"] == "<b>1</b>"  # verbatim once parsed
    assert b"<script>" not in r.content and b"\\u003cscript\\u003e" in r.content  # escaped on the wire
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-content-type-options"] == "nosniff"
    nid = r.json()["id"]
    again = api.get(f"/api/v1/notices/{nid}", "store")
    assert again.json()["title"] == SCRIPT and b"<" not in again.content
    org = api.post("/api/v1/organisations", "admin", json={"name": "<img src=x onerror=alert(1)>"})
    assert org.status_code == 201 and org.json()["name"] == "<img src=x onerror=alert(1)>"
    assert b"<img" not in org.content
