"""Upload through the form (plain and htmx), the job page that polls, the result and its report."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from hegui.service import tasks
from hegui.service.db.models import Version
from tests.service.web.conftest import FIXTURES, WebEnv, csrf_of, make_env


def _upload(web: WebEnv, c, name: str, *, htmx: bool = False, data: dict[str, str] | None = None):  # noqa: ANN001, ANN202
    token = csrf_of(c.get("/upload").text)
    headers = {"HX-Request": "true"} if htmx else {}
    with (FIXTURES / f"{name}.apk").open("rb") as fh:
        return c.post(
            f"/upload?csrf={token}", files={"file": (f"{name}.apk", fh)}, data=data or {}, headers=headers
        )


def _versions(web: WebEnv) -> int:
    with web.sessions() as s:
        return s.scalar(select(func.count()).select_from(Version)) or 0


def test_plain_form_upload_goes_to_the_job_page_which_shows_the_verdict(web: WebEnv) -> None:
    c = web.as_role("developer")
    r = _upload(web, c, "sdk_no_consent")
    assert r.status_code == 303 and re.fullmatch(r"/jobs/\d+", r.headers["location"])
    assert web.dispatcher.wait_idle(120)
    page = c.get(r.headers["location"])
    assert 'data-verdict="fail"' in page.text and ">不通过<" in page.text
    assert 'hx-trigger="every 2s"' not in page.text  # done: polling stops
    result_url = re.search(r'href="(/results/\d+)"', page.text).group(1)  # type: ignore[union-attr]
    result = c.get(result_url)
    assert '<iframe class="report"' in result.text and "sandbox" in result.text
    report = c.get(result_url + "/report")
    assert report.status_code == 200 and "No Consent Fixture" in report.text
    assert "default-src 'none'" in report.headers["content-security-policy"]
    assert "<script" not in report.text.lower()
    listing = c.get("/upload").text
    assert "sdk_no_consent.apk" in listing and 'class="chip fail"' in listing  # recent uploads


def test_htmx_upload_answers_with_hx_redirect(web: WebEnv) -> None:
    c = web.as_role("developer")
    r = _upload(web, c, "clean", htmx=True)
    assert r.status_code == 200 and r.headers["HX-Redirect"].startswith("/jobs/")


def test_the_status_fragment_polls_while_the_job_is_queued(web: WebEnv, reports) -> None:  # noqa: ANN001
    _app, version_id, _r = web.seed_result(reports["clean"])
    with web.sessions() as s:  # a second version with no result, queued but never dispatched
        from hegui.service import crud

        v, _ = crud.versions.add_version(
            s, app_id=_app, sha256="a" * 64, size=1, version_code=2, version_name="2", file_name="x.apk"
        )
        job = tasks.enqueue(s, version_id=v.id)
        s.commit()
    c = web.as_role("developer")
    page = c.get(f"/jobs/{job.id}")
    assert f'hx-get="/jobs/{job.id}/status"' in page.text and 'hx-trigger="every 2s"' in page.text
    frag = c.get(f"/jobs/{job.id}/status", headers={"HX-Request": "true"})
    assert frag.text.lstrip().startswith('<div class="card" id="job-status"')  # the card alone
    assert "排队中" in frag.text


def test_not_an_apk_is_refused_with_its_reason_and_stores_nothing(web: WebEnv) -> None:
    c = web.as_role("developer")
    for htmx in (False, True):
        r = _upload(web, c, "bad_not_apk", htmx=htmx)
        assert r.status_code == 422
        assert "上传失败" in r.text and "bad_not_apk.apk" in r.text
        assert str(web.settings.store_path) not in r.text  # never the server's path
    assert _versions(web) == 0
    assert not any(Path(web.settings.store_path).rglob("*.apk"))


def test_an_upload_over_the_limit_is_refused(tmp_path: Path, _migrated: Path) -> None:
    env = make_env(tmp_path, _migrated, max_upload_bytes=4096)
    try:
        c = env.as_role("developer")
        r = _upload(env, c, "sdk_no_consent")
        assert r.status_code == 413 and "上传失败" in r.text
        assert _versions(env) == 0
    finally:
        env.dispatcher.close()


def test_a_regulator_names_the_organisation_of_a_new_app(web: WebEnv) -> None:
    c = web.as_role("regulator")
    r = _upload(web, c, "clean")
    assert r.status_code == 422 and "organisation" in r.text
    page = c.get("/upload").text
    assert f'<option value="{web.ids["other"]}">other Ltd</option>' in page
    r = _upload(web, c, "clean", data={"organisation_id": str(web.ids["other"])})
    assert r.status_code == 303


def test_a_store_cannot_upload(web: WebEnv) -> None:
    c = web.as_role("store")
    assert c.get("/upload").status_code == 403


def test_a_failed_job_says_why_without_internals(web: WebEnv, reports) -> None:  # noqa: ANN001
    from hegui.service.db.models import Job

    app_id, _v, _r = web.seed_result(reports["clean"])
    sha = "b" * 64
    errors = {
        f"corrupt: cannot read /srv/hegui/store/bb/bb/{sha}.apk: bad dex": f"corrupt: cannot read {sha}.apk: bad dex",
        "internal: OperationalError: database is locked (after 3 attempts)": "服务内部原因",
    }
    c = web.as_role("developer")
    with web.sessions() as s:
        from hegui.service import crud

        v, _ = crud.versions.add_version(
            s, app_id=app_id, sha256=sha, size=1, version_code=3, version_name="3"
        )
        jobs = [Job(version_id=v.id, status="failed", attempts=3, error=e) for e in errors]
        s.add_all(jobs)
        s.commit()
        ids = [j.id for j in jobs]
    for job_id, (raw, shown) in zip(ids, errors.items(), strict=True):
        html = c.get(f"/jobs/{job_id}").text
        assert "检测失败" in html and shown in html
        assert "/srv/hegui" not in html and "OperationalError" not in html, raw
