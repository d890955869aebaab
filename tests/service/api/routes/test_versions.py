"""Versions: the version, its job, its result, the HTML report; developers see only their own."""

from __future__ import annotations

from tests.service.api.conftest import error_of


def test_version_job_result_and_html_report(api, upload):
    vid = upload("sdk_no_consent").json()["version"]["id"]
    v = api.get(f"/api/v1/versions/{vid}", "store").json()
    assert v["package"] == "com.hegui.fixture.noconsent" and v["verdict"] == "fail"
    assert api.get(f"/api/v1/versions/{vid}/job", "store").json()["status"] == "done"
    result = api.get(f"/api/v1/versions/{vid}/result", "store").json()
    assert result["verdict"] == "fail"
    assert result["report"]["verdict"]["status"] == "fail"
    html = api.get(f"/api/v1/versions/{vid}/report.html", "store")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "script-src" not in html.headers["content-security-policy"]
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert "com.hegui.fixture.noconsent" in html.text
    en = api.get(f"/api/v1/versions/{vid}/report.html?lang=en", "store")
    assert en.status_code == 200 and en.text != html.text
    assert api.get(f"/api/v1/versions/{vid}/report.html?lang=fr", "store").status_code == 422


def test_no_result_yet_is_404_with_a_hint(api, upload, dispatcher):
    dispatcher.paused = True
    vid = upload("clean").json()["version"]["id"]
    assert api.get(f"/api/v1/versions/{vid}/job", "developer").json()["status"] == "queued"
    r = api.get(f"/api/v1/versions/{vid}/result", "developer")
    assert r.status_code == 404 and "/job" in error_of(r)["message"]
    assert api.get(f"/api/v1/versions/{vid}/report.html", "developer").status_code == 404


def test_developer_of_another_organisation_gets_404(api, upload):
    vid = upload("clean", "developer").json()["version"]["id"]
    for suffix in ("", "/job", "/result", "/report.html"):
        r = api.get(f"/api/v1/versions/{vid}{suffix}", "developer_b")
        assert r.status_code == 404, suffix
        assert api.get(f"/api/v1/versions/{vid}{suffix}", "developer").status_code == 200
    assert api.get("/api/v1/versions/424242", "admin").status_code == 404
