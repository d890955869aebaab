"""The upload form's optional privacy policy: checked against the APK, shown on the job and result
pages (file name and sha256), refused with the form's error when it cannot be read."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import func, select

from hegui.service.db.models import Version
from tests.service.web.conftest import FIXTURES, WebEnv, csrf_of

POLICY = """<html><body><h1>隐私政策</h1>
<p>我们是示例科技有限公司。为向您展示附近的门店，我们会收集您的位置信息。</p>
<h2>联系我们</h2><p>如有问题，请发送邮件至 privacy@example.com 联系我们。</p>
</body></html>""".encode()


def _post(c, policy: tuple[str, bytes, str], *, htmx: bool = False):  # noqa: ANN001, ANN202
    token = csrf_of(c.get("/upload").text)
    files = {"file": ("sdk_umeng.apk", (FIXTURES / "sdk_umeng.apk").read_bytes()), "policy": policy}
    return c.post(f"/upload?csrf={token}", files=files, headers={"HX-Request": "true"} if htmx else {})


def _stored(web: WebEnv) -> list:
    root = web.settings.store_path
    return [p for p in root.rglob("*") if p.is_file() and "tmp" not in p.relative_to(root).parts]


def test_the_form_has_an_optional_policy_input(web: WebEnv) -> None:
    page = web.as_role("developer").get("/upload").text
    assert re.search(r'<input type="file" id="policy" name="policy" accept="[^"]+">', page)
    assert "隐私政策（可选）" in page


def test_form_upload_with_a_policy_is_checked_against_it_and_shows_it(web: WebEnv) -> None:
    c = web.as_role("developer")
    r = _post(c, ("privacy.html", POLICY, "text/html"))
    assert r.status_code == 303, r.text
    assert web.dispatcher.wait_idle(120)
    job_page = c.get(r.headers["location"]).text
    sha = hashlib.sha256(POLICY).hexdigest()
    assert f'<code id="policy-sha256" title="SHA-256">{sha}</code>' in job_page
    result_url = re.search(r'href="(/results/\d+)"', job_page).group(1)  # type: ignore[union-attr]
    result = c.get(result_url).text
    assert '<span id="policy-name">privacy.html</span>' in result and sha in result
    report = c.get(result_url + "/report?lang=en").text
    assert "privacy.html" in report and "HG-POL-002" in report and "HG-POL-005" not in report
    with web.sessions() as s:
        v = s.scalar(select(Version))
        assert v is not None and v.policy_sha256 == sha


def test_form_upload_without_a_policy_says_none_was_given(web: WebEnv) -> None:
    c = web.as_role("developer")
    r = _post(c, ("", b"", "application/octet-stream"))  # what a browser sends for an empty input
    assert r.status_code == 303, r.text
    assert web.dispatcher.wait_idle(120)
    job_page = c.get(r.headers["location"]).text
    assert 'id="policy-none"' in job_page and "未提供隐私政策" in job_page
    result_url = re.search(r'href="(/results/\d+)"', job_page).group(1)  # type: ignore[union-attr]
    assert "HG-POL-005" in c.get(result_url + "/report?lang=en").text


def test_a_pdf_policy_is_refused_with_the_forms_error(web: WebEnv) -> None:
    c = web.as_role("developer")
    for htmx in (False, True):
        r = _post(c, ("privacy.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"), htmx=htmx)
        assert r.status_code == 422
        assert "上传失败" in r.text and "不支持 PDF" in r.text
    r = c.post(
        f"/upload?csrf={csrf_of(c.get('/upload').text)}&lang=en",
        files={
            "file": ("sdk_umeng.apk", (FIXTURES / "sdk_umeng.apk").read_bytes()),
            "policy": ("p.bin", b"\0" * 64),
        },
        headers={"Accept-Language": "en"},
    )
    assert r.status_code == 422 and "binary" in r.text
    with web.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Version)) == 0
    assert _stored(web) == []


def test_a_browsers_empty_file_input_is_no_policy(web: WebEnv) -> None:
    """Browsers send an unused file input as a part with ``filename=""`` and no bytes."""
    c = web.as_role("developer")
    token = csrf_of(c.get("/upload").text)
    apk = (FIXTURES / "sdk_umeng.apk").read_bytes()
    b = b"----hegui-test-boundary"
    body = (
        b"--" + b + b'\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + token.encode() + b"\r\n"
        b"--" + b + b'\r\nContent-Disposition: form-data; name="file"; filename="sdk_umeng.apk"\r\n'
        b"Content-Type: application/vnd.android.package-archive\r\n\r\n" + apk + b"\r\n"
        b"--" + b + b'\r\nContent-Disposition: form-data; name="policy"; filename=""\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\r\n"
        b"--" + b + b"--\r\n"
    )
    r = c.post(
        f"/upload?csrf={token}",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=" + b.decode()},
    )
    assert r.status_code == 303, r.text
    with web.sessions() as s:
        v = s.scalar(select(Version))
        assert v is not None and v.policy_sha256 is None and v.policy_file_name is None
