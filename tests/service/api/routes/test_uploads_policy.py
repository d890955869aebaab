"""POST /api/v1/uploads with the app's privacy policy (form field ``policy``): the job checks the APK
against it (HG-POL rules); the pair (APK, policy) is the version; hostile policies are refused with
the JSON error body and leave no file behind; a URL is never fetched."""

from __future__ import annotations

import hashlib
import urllib.request

import pytest
from sqlalchemy import func, select

from hegui.policy.load import MAX_BYTES
from hegui.service.db.models import Version
from hegui.service.policy_upload import MAX_POLICY_BYTES
from tests.service.api.conftest import apk, error_of, stored_files

# a small policy written for these tests: it states location and a contact, nothing of the Umeng SDK
POLICY = """# 隐私政策

我们是示例科技有限公司。本政策说明我们如何收集和使用您的个人信息。

## 我们收集的信息

为向您展示附近的门店，我们会收集您的位置信息。

## 联系我们

如有问题，请发送邮件至 privacy@example.com 联系我们。
""".encode()
OTHER_POLICY = POLICY + "\n我们不会向第三方出售您的个人信息。\n".encode()


def _send(api, name="sdk_umeng", policy=None, *, role="developer", data=None):  # noqa: ANN001, ANN202
    files = [("file", (f"{name}.apk", apk(name).read_bytes(), "application/vnd.android.package-archive"))]
    if policy is not None:
        files.append(("policy", policy))
    return api.post("/api/v1/uploads", role, files=files, data=data or {})


def _pol_rules(api, body) -> set[str]:  # noqa: ANN001
    result = api.get(body["links"]["result"], "developer").json()
    return {f["rule_id"] for f in result["report"]["findings"] if f["rule_id"].startswith("HG-POL")}


def _versions(api) -> int:  # noqa: ANN001
    with api.app.state.session_factory() as s:
        return s.scalar(select(func.count(Version.id))) or 0


@pytest.fixture
def no_fetch(monkeypatch):  # noqa: ANN001, ANN201
    """Any URL opened during the test fails it: the service never fetches a policy."""

    def refuse(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the service tried to fetch a URL")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def test_the_limit_is_the_policy_loaders() -> None:
    assert MAX_POLICY_BYTES == MAX_BYTES


def test_upload_with_a_policy_is_checked_against_it(api, dispatcher, settings, no_fetch) -> None:
    r = _send(api, policy=("privacy.md", POLICY, "text/markdown"))
    assert r.status_code == 201, r.text
    body = r.json()
    v = body["version"]
    assert v["policy_sha256"] == hashlib.sha256(POLICY).hexdigest() and v["policy_file_name"] == "privacy.md"
    assert dispatcher.results == ["done"]
    rules = _pol_rules(api, body)
    assert "HG-POL-005" not in rules
    assert {"HG-POL-001", "HG-POL-002"} <= rules  # the IMEI and the Umeng SDK are not in the policy
    report = api.get(body["links"]["result"], "developer").json()["report"]
    source = report["facts"]["policy_source"]
    assert source["kind"] == "given" and source["path"] == "privacy.md"  # never the store's path
    assert len(stored_files(settings)) == 2  # the APK and the policy, by sha256
    html = api.get(body["links"]["report_html"], "developer")
    assert html.status_code == 200 and "privacy.md" in html.text


def test_without_a_policy_hg_pol_005_as_before(api) -> None:
    r = _send(api)
    assert r.status_code == 201, r.text
    assert r.json()["version"]["policy_sha256"] is None
    assert _pol_rules(api, r.json()) == {"HG-POL-005"}


def test_the_pair_apk_policy_identifies_the_analysis(api, dispatcher, settings) -> None:
    plain = _send(api).json()
    with_policy = _send(api, policy=("privacy.md", POLICY, "text/markdown"))
    assert with_policy.status_code == 201  # the same APK with a policy: a new version, analysed again
    first = with_policy.json()
    assert first["version"]["id"] != plain["version"]["id"] and first["app"]["id"] == plain["app"]["id"]
    again = _send(api, policy=("renamed.txt", POLICY, "text/plain"))
    assert again.status_code == 200  # the same pair: the same version and job, no new analysis
    assert again.json()["version"]["id"] == first["version"]["id"]
    assert again.json()["job"]["id"] == first["job"]["id"]
    assert again.json()["version"]["policy_file_name"] == "privacy.md"  # the first name is kept
    other = _send(api, policy=("privacy.md", OTHER_POLICY, "text/markdown"))
    assert other.status_code == 201 and other.json()["version"]["id"] not in {
        plain["version"]["id"],
        first["version"]["id"],
    }
    none_again = _send(api)
    assert none_again.status_code == 200 and none_again.json()["version"]["id"] == plain["version"]["id"]
    assert dispatcher.results == ["done", "done", "done"]
    assert _versions(api) == 3 and len(stored_files(settings)) == 3  # one APK, two policies


HOSTILE = {
    "binary": (("p.txt", b"\x00\x01\x02\x03" * 100, "text/plain"), 422, "binary"),
    "pdf": (("p.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n", "application/pdf"), 422, "PDF"),
    "zip": (("p.docx", b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 64, "application/zip"), 422, "binary"),
    "empty": (("p.txt", b"", "text/plain"), 422, "empty"),
    "no_text": (("p.html", b"<html><body><script>x()</script></body></html>", "text/html"), 422, "no text"),
    "oversize": (("p.txt", b"a" * (MAX_POLICY_BYTES + 1), "text/plain"), 413, "limit"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_policy_is_refused_and_nothing_is_kept(api, dispatcher, settings, no_fetch, case) -> None:
    policy, status, words = HOSTILE[case]
    r = _send(api, policy=policy)
    assert r.status_code == status, r.text
    err = error_of(r)
    assert words in err["message"]
    assert stored_files(settings) == [] and _versions(api) == 0 and dispatcher.dispatched == []
    tmp = settings.store_path / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []


def test_a_policy_as_a_text_field_or_a_url_is_refused_and_never_fetched(api, settings, no_fetch) -> None:
    r = _send(api, data={"policy": "http://169.254.169.254/latest/meta-data/"})
    assert r.status_code == 422 and "as a file" in error_of(r)["message"]
    assert stored_files(settings) == [] and _versions(api) == 0
    url_named = _send(api, policy=("https://example.com/privacy", POLICY, "text/plain"))
    assert url_named.status_code == 201  # the bytes are the policy; the name is only a display name
    assert url_named.json()["version"]["policy_file_name"] == "privacy"


def test_two_policy_files_are_refused(api, settings) -> None:
    files = [
        ("file", ("a.apk", apk("sdk_umeng").read_bytes(), "application/vnd.android.package-archive")),
        ("policy", ("p1.md", POLICY, "text/markdown")),
        ("policy", ("p2.md", OTHER_POLICY, "text/markdown")),
    ]
    r = api.post("/api/v1/uploads", "developer", files=files)
    assert r.status_code == 422 and "at most one" in error_of(r)["message"]
    assert stored_files(settings) == []


def test_a_refused_policy_keeps_the_apk_of_another_version(api, settings) -> None:
    assert _send(api).status_code == 201
    r = _send(api, policy=("p.pdf", b"%PDF-1.7 ...", "application/pdf"))
    assert r.status_code == 422
    assert len(stored_files(settings)) == 1 and _versions(api) == 1  # the APK is used: kept


def test_a_policy_with_a_refused_apk_is_not_kept(api, settings) -> None:
    files = [
        ("file", ("bad.apk", b"not a zip at all", "application/vnd.android.package-archive")),
        ("policy", ("privacy.md", POLICY, "text/markdown")),
    ]
    r = api.post("/api/v1/uploads", "developer", files=files)
    assert r.status_code == 422 and error_of(r)["kind"] == "bad_apk"
    assert stored_files(settings) == []


def test_a_developer_of_another_organisation_cannot_attach_a_policy_to_an_app(api, settings) -> None:
    assert _send(api).status_code == 201
    r = _send(api, policy=("privacy.md", POLICY, "text/markdown"), role="developer_b")
    assert r.status_code == 409
    assert len(stored_files(settings)) == 1 and _versions(api) == 1  # the policy is not kept
