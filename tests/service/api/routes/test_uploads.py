"""POST /api/v1/uploads: streamed, bounded, deduplicated; bad APKs refused and not kept."""

from __future__ import annotations

import os

from hegui.service.policy_upload import MAX_POLICY_BYTES
from tests.service.api.conftest import MAX_UPLOAD, ORG_B, apk, error_of, stored_files


def test_upload_creates_app_version_and_job_then_the_verdict(api, upload, dispatcher):
    r = upload("clean")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["created"] is True
    assert body["app"]["package"] == "com.hegui.fixture.clean"
    assert body["app"]["organisation_id"] == api.ids["org_a"]
    v = body["version"]
    assert v["version_code"] == 1 and v["version_name"] == "1.0" and v["file_name"] == "clean.apk"
    assert v["size"] == apk("clean").stat().st_size and len(v["sha256"]) == 64
    assert body["job"]["status"] == "queued"  # the snapshot of the submission
    assert body["links"]["result"] == f"/api/v1/versions/{v['id']}/result"
    assert dispatcher.results == ["done"]
    job = api.get(body["links"]["job"], "developer").json()
    assert job["status"] == "done" and job["attempts"] == 1
    result = api.get(body["links"]["result"], "developer").json()
    assert result["verdict"] == "pass" and result["effective_verdict"] == "pass"
    assert result["report"]["facts"]["manifest"]["package"] == "com.hegui.fixture.clean"


def test_same_bytes_again_is_the_same_version_200_and_no_new_analysis(api, upload, dispatcher):
    first = upload("sdk_no_consent").json()
    again = upload("sdk_no_consent", file_name="renamed.apk")
    assert again.status_code == 200
    body = again.json()
    assert body["created"] is False
    assert body["version"]["id"] == first["version"]["id"]
    assert body["version"]["file_name"] == "sdk_no_consent.apk"  # the first upload's
    assert body["job"]["id"] == first["job"]["id"] and body["job"]["status"] == "done"
    assert len(dispatcher.dispatched) == 1
    assert body["version"]["verdict"] == "fail"


def test_bad_apk_is_422_with_the_one_line_message_and_not_kept(api, upload, settings):
    r = upload("bad_truncated")
    assert r.status_code == 422
    err = error_of(r)
    assert err["kind"] == "bad_apk"
    assert err["message"].startswith("corrupt: bad_truncated.apk is a damaged zip")
    assert "\n" not in err["message"] and str(settings.store_path) not in err["message"]
    assert stored_files(settings) == []
    assert api.get("/api/v1/apps", "admin").json() == []


def test_not_an_apk_is_422(api, upload, settings):
    for name in ("bad_not_apk", "bad_no_manifest"):
        r = upload(name)
        assert r.status_code == 422 and error_of(r)["message"].startswith("not_apk:"), r.text
    assert stored_files(settings) == []


def test_over_the_limit_is_413_while_streaming_and_nothing_is_stored(api, upload, settings):
    big = os.urandom(MAX_UPLOAD + 1)
    r = upload(big, file_name="big.apk")
    assert r.status_code == 413
    assert error_of(r)["kind"] == "too_large"
    assert stored_files(settings) == []
    tmp = settings.store_path / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []


def test_declared_content_length_over_the_limit_is_refused_before_reading(api):
    headers = {
        **api.as_("developer"),
        "Content-Type": "multipart/form-data; boundary=xyz",
        # the body may also carry a privacy policy (up to MAX_POLICY_BYTES): over both limits
        "Content-Length": str(MAX_UPLOAD * 10 + MAX_POLICY_BYTES),
    }
    r = api.client.post("/api/v1/uploads", headers=headers, content=b"--xyz--\r\n")
    assert r.status_code == 413


def test_exactly_the_limit_passes_the_size_check(api, upload, settings):
    data = apk("clean").read_bytes()
    padded = data + b"\0" * (MAX_UPLOAD - len(data))  # not a readable zip any more, but not too large
    r = upload(padded, file_name="padded.apk")
    assert r.status_code == 422 and error_of(r)["kind"] == "bad_apk", r.text
    assert stored_files(settings) == []


def test_developer_cannot_upload_a_package_of_another_organisation(api, upload, settings):
    assert upload("clean", "developer").status_code == 201
    files_before = stored_files(settings)
    other = upload("bad_traversal", "developer_b")  # another APK of com.hegui.fixture.clean
    assert other.status_code == 409, other.text
    assert error_of(other)["kind"] == "conflict"
    assert stored_files(settings) == files_before  # the refused file was not kept
    same = upload("clean", "developer_b")  # the very bytes of org A's version
    assert same.status_code == 409


def test_others_name_the_organisation_of_a_new_app(api, upload):
    r = upload("pi_camera", "regulator")
    assert r.status_code == 422 and "organisation" in error_of(r)["message"]
    r = upload("pi_camera", "regulator", organisation=ORG_B)
    assert r.status_code == 201 and r.json()["app"]["organisation_id"] == api.ids["org_b"]
    # an existing app: its organisation is implied; naming another is a conflict
    assert upload("pi_camera", "reviewer").status_code == 200
    r = upload("pi_sms", "admin", organisation_id=api.ids["org_a"])
    assert r.status_code == 201
    r = upload("pi_sms", "admin", organisation_id=api.ids["org_b"])
    assert r.status_code == 409
    r = upload("pi_contacts", "admin", organisation="No Such Org")
    assert r.status_code == 404


def test_store_role_cannot_upload(api, upload, settings):
    r = upload("clean", "store")
    assert r.status_code == 403 and error_of(r)["kind"] == "permission_denied"
    assert stored_files(settings) == []


def test_hostile_file_name_is_data_never_a_path(api, upload, settings, tmp_path):
    r = upload("clean", file_name="../../../../tmp/evil<script>.apk")
    assert r.status_code == 201
    assert r.json()["version"]["file_name"] == "evil<script>.apk"  # last component, for display only
    files = stored_files(settings)
    assert len(files) == 1 and files[0].name == r.json()["version"]["sha256"] + ".apk"
    assert not (tmp_path / "evil<script>.apk").exists()


def test_form_must_be_multipart_with_one_file_and_short_fields(api, upload):
    h = api.as_("developer")
    r = api.client.post("/api/v1/uploads", headers=h, content=apk("clean").read_bytes())
    assert r.status_code == 422 and "multipart" in error_of(r)["message"]
    r = api.client.post(
        "/api/v1/uploads", headers=h, data={"organisation": "x"}, files={"other": ("a", b"x")}
    )
    assert r.status_code == 422
    r = upload("clean", "admin", organisation="x" * 5000)
    assert r.status_code == 422
    r = upload("clean", "admin", unexpected="1")
    assert r.status_code == 422
    two = [("file", ("a.apk", apk("clean").read_bytes())), ("file", ("b.apk", apk("pi_sms").read_bytes()))]
    r = api.client.post("/api/v1/uploads", headers=h, files=two)
    assert r.status_code == 422


def test_content_type_is_not_trusted(api):
    files = {"file": ("clean.apk", apk("clean").read_bytes(), "text/html")}
    r = api.client.post("/api/v1/uploads", headers=api.as_("developer"), files=files)
    assert r.status_code == 201
    files = {"file": ("x.apk", b"<html><script>alert(1)</script>", "application/vnd.android.package-archive")}
    r = api.client.post("/api/v1/uploads", headers=api.as_("developer"), files=files)
    assert r.status_code == 422


def test_a_body_cut_short_stores_nothing(api, settings):
    data = apk("clean").read_bytes()
    body = (
        b'--b0\r\nContent-Disposition: form-data; name="file"; filename="clean.apk"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + data  # no closing boundary
    )
    headers = {**api.as_("developer"), "Content-Type": "multipart/form-data; boundary=b0"}
    r = api.client.post("/api/v1/uploads", headers=headers, content=body)
    assert r.status_code == 422 and "incomplete" in error_of(r)["message"]
    assert stored_files(settings) == []
    r = api.client.post("/api/v1/uploads", headers=headers, content=body + b"\r\n--b0--\r\n")
    assert r.status_code == 201, r.text
