"""The removal (下架) and campaign (专项检测) pages (issue 6): roles as the API's, hostile form fields,
a removal flips the gate, a campaign over server files or uploaded versions reports and polls."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest
from sqlalchemy import func, select

from hegui.service.db.models import AuditLog, Campaign, Removal
from tests.service.web.conftest import FIXTURES, ROLES, WebEnv, csrf_of

OVERSEERS = {"reviewer", "store", "regulator", "admin"}
DECIDERS = {"regulator", "admin"}


@pytest.fixture
def app_id(web: WebEnv, reports: dict[str, dict[str, Any]]) -> int:
    app_id, _v, _r = web.seed_result(reports["sdk_no_consent"], name="<script>alert(1)</script>")
    return app_id


def _count(web: WebEnv, model: Any) -> int:
    with web.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def _remove(c: Any, app_id: object, reason: str = "逾期未整改", **extra: str):  # noqa: ANN202
    token = csrf_of(c.get("/removals").text)
    return c.post("/removals", data={"csrf": token, "app_id": str(app_id), "reason": reason, **extra})


def test_the_pages_answer_each_role_as_the_api(web: WebEnv, app_id: int) -> None:
    clients = {role: web.as_role(role) for role in ROLES}
    for path in ("/removals", "/campaigns"):
        for role, c in clients.items():
            r = c.get(path)
            assert r.status_code == (200 if role in OVERSEERS else 403), (path, role)
            if role in OVERSEERS:
                assert (f'action="{path}"' in r.text) == (role in DECIDERS), (path, role)
    anonymous = web.client()
    for path in ("/removals", "/campaigns", "/campaigns/1", "/campaigns/1/progress"):
        assert anonymous.get(path).headers["location"].startswith("/login?next="), path
    nav = clients["store"].get("/removals").text
    assert 'href="/removals"' in nav and 'href="/campaigns"' in nav
    assert 'href="/removals"' not in clients["developer"].get("/upload").text


def test_only_a_regulator_orders_or_lifts_a_removal(web: WebEnv, app_id: int) -> None:
    for role in ("reviewer", "store", "developer"):
        c = web.as_role(role)
        token = csrf_of(c.get("/apps").text)
        r = c.post("/removals", data={"csrf": token, "app_id": str(app_id), "reason": "x"})
        assert r.status_code == 403, role
    assert _count(web, Removal) == 0
    assert (
        web.client().post("/removals", data={"app_id": str(app_id), "reason": "x"}).status_code == 403
    )  # no CSRF


def test_a_regulator_removes_an_app_sees_it_listed_and_lifts_it(web: WebEnv, app_id: int) -> None:
    c = web.as_role("regulator")
    r = _remove(c, app_id, reason="<b>违规</b> 收集个人信息")
    assert r.status_code == 303 and r.headers["location"] == "/removals"
    page = c.get("/removals").text
    assert "&lt;b&gt;违规&lt;/b&gt;" in page and "<b>违规" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "下架中" in page and "regulator user" in page
    with web.sessions() as s:
        removal = s.scalars(select(Removal)).one()
        assert removal.reason == "<b>违规</b> 收集个人信息" and removal.decided_by == web.ids["regulator"]
        assert s.scalar(select(func.count()).where(AuditLog.action == "removal.create")) == 1
    again = _remove(c, app_id)  # already removed: not offered, and refused in Chinese if forced
    assert again.status_code == 409 and "已处于下架状态" in again.text and "already removed" not in again.text
    token = csrf_of(page)
    assert c.post(f"/removals/{removal.id}/lift", data={"csrf": token, "reason": " "}).status_code == 422
    r = c.post(f"/removals/{removal.id}/lift", data={"csrf": token, "reason": "已整改"})
    assert r.status_code == 303
    assert "已解除" in c.get("/removals").text
    twice = c.post(f"/removals/{removal.id}/lift?lang=en", data={"csrf": token, "reason": "again"})
    assert twice.status_code == 409 and "lifted already" in twice.text


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"app_id": "abc"}, 422),
        ({"app_id": "1 OR 1=1"}, 422),
        ({"app_id": "9" * 30}, 422),
        ({"app_id": "99999"}, 404),
        ({"reason": ""}, 422),
        ({"reason": "x" * 2001}, 422),
        ({"reason": "x" * 300_000}, 413),
    ],
)
def test_hostile_removal_fields_are_refused_as_pages(
    web: WebEnv, app_id: int, fields: dict[str, str], status: int
) -> None:
    c = web.as_role("regulator")
    data = {"app_id": str(app_id), "reason": "ok", **fields}
    r = _remove(c, data.pop("app_id"), **{"reason": data.pop("reason")})
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert _count(web, Removal) == 0


def test_unknown_removal_and_campaign_ids_are_404_pages(web: WebEnv) -> None:
    c = web.as_role("regulator")
    token = csrf_of(c.get("/removals").text)
    assert c.post("/removals/999/lift", data={"csrf": token, "reason": "x"}).status_code == 404
    for path in ("/campaigns/999", "/campaigns/999/progress", "/campaigns/abc"):
        r = c.get(path)
        assert r.status_code in (404, 422) and 'id="error-title"' in r.text, path


def _start(c: Any, **fields: str):  # noqa: ANN202
    token = csrf_of(c.get("/campaigns").text)
    return c.post("/campaigns", data={"csrf": token, "name": "2026 专项", **fields})


def _wait(web: WebEnv) -> None:
    assert web.dispatcher.wait_idle(120)


def test_a_campaign_over_a_server_folder_reports_by_rule_and_candidates(web: WebEnv) -> None:
    folder = web.settings.campaign_root / "batch1"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "sdk_no_consent.apk", folder / "a.apk")
    shutil.copy(FIXTURES / "clean.apk", folder / "sub" / "b.apk")
    shutil.copy(FIXTURES / "bad_not_apk.apk", folder / "bad.apk")
    c = web.as_role("regulator")
    r = _start(c, source="folder", path="batch1", organisation_id=str(web.ids["org"]))
    assert r.status_code == 200, r.text  # the page, listing the file that was not imported
    assert "bad.apk" in r.text and "不是 APK 安装包" in r.text
    campaign_id = int(re.search(r'id="campaign-progress"[^>]*?/campaigns/(\d+)/progress', r.text).group(1))
    _wait(web)
    report = c.get(f"/campaigns/{campaign_id}").text
    assert 'data-finished="yes"' in report and "hx-trigger" not in report  # polling stops
    assert re.search(r'id="fig-tested">2<', report) and re.search(r'id="fig-failing">1<', report)
    assert "HG-SDK-001" in report and "com.hegui.fixture.noconsent" in report
    assert f'href="/notices?campaign_id={campaign_id}"' in report
    # into the notice workflow: the draft shows this campaign's candidates
    notices = c.get(f"/notices?campaign_id={campaign_id}").text
    assert f'name="campaign_id" value="{campaign_id}"' in notices
    r = c.post(
        "/notices",
        data={
            "csrf": csrf_of(notices),
            "title": "通报",
            "deadline": "2099-01-01",
            "campaign_id": str(campaign_id),
        },
    )
    assert r.headers["location"].endswith(f"?campaign_id={campaign_id}")
    assert "com.hegui.fixture.noconsent" in c.get(r.headers["location"]).text
    store = web.as_role("store")  # a store follows it, read-only
    assert store.get(f"/campaigns/{campaign_id}").status_code == 200
    assert 'id="campaign-to-notice"' not in store.get(f"/campaigns/{campaign_id}").text


def test_the_progress_fragment_polls_while_jobs_are_live(web: WebEnv) -> None:
    from hegui.service import crud
    from hegui.service.campaigns import start_campaign

    with web.sessions() as s:  # a version never analysed, its job queued and not dispatched
        app = crud.apps.get_or_create_app(s, package="com.example.live", organisation_id=web.ids["org"])
        v, _ = crud.versions.add_version(
            s, app_id=app.id, sha256="ab" * 32, size=1, version_code=1, version_name="1"
        )
        cid = start_campaign(s, name="live", version_ids=[v.id], actor_id=None).id
        s.commit()
    c = web.as_role("reviewer")
    r = c.get(f"/campaigns/{cid}/progress", headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'hx-trigger="every 2s"' in r.text and "<html" not in r.text
    assert 'data-finished="no"' in r.text and 'id="campaign-candidates"' not in r.text
    assert 'hx-get="/campaigns/' in c.get(f"/campaigns/{cid}").text


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"source": "folder", "path": "../../etc"}, "不在专项检测目录内"),
        ({"source": "folder", "path": "/etc/passwd"}, "不在专项检测目录内"),
        ({"source": "folder", "path": "nope"}, "路径不存在"),
        ({"source": "folder", "path": ""}, "请填写路径"),
        ({"source": "versions", "versions": "12345 abc"}, "未找到这些版本"),
        ({"source": "versions", "versions": ""}, "请填写版本编号"),
    ],
)
def test_bad_campaign_sources_are_refused_in_chinese(web: WebEnv, fields: dict[str, str], text: str) -> None:
    web.settings.campaign_root.mkdir(parents=True, exist_ok=True)
    r = _start(web.as_role("regulator"), **fields)
    assert r.status_code == 422 and text in r.text, r.text[-2000:]
    assert _count(web, Campaign) == 0


def test_a_symlink_out_of_the_campaign_directory_is_refused(web: WebEnv, tmp_path) -> None:  # noqa: ANN001
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(FIXTURES / "clean.apk", outside / "x.apk")
    root = web.settings.campaign_root
    root.mkdir(parents=True, exist_ok=True)
    (root / "link").symlink_to(outside)
    (root / "list.txt").write_text("../outside/x.apk\n")
    for path in ("link", "list.txt"):
        r = _start(web.as_role("regulator"), source="folder", path=path)
        assert r.status_code == 422 and "不在专项检测目录内" in r.text, path


def test_only_a_regulator_starts_a_campaign_and_a_bad_source_field_is_422(web: WebEnv, app_id: int) -> None:
    for role in ("reviewer", "store", "developer"):
        c = web.as_role(role)
        token = csrf_of(c.get("/apps").text)
        assert c.post("/campaigns", data={"csrf": token, "source": "all"}).status_code == 403, role
    assert _start(web.as_role("regulator"), source="<script>").status_code == 422
    assert _count(web, Campaign) == 0


def test_a_campaign_over_uploaded_versions_by_id_sha256_or_all(web: WebEnv, app_id: int) -> None:
    with web.sessions() as s:
        from hegui.service.db.models import Version

        v = s.scalars(select(Version)).one()
    c = web.as_role("regulator")
    for fields in ({"source": "versions", "versions": f"{v.id}\n{v.sha256}"}, {"source": "all"}):
        r = _start(c, **fields)
        assert r.status_code == 303, r.text
        page = c.get(r.headers["location"]).text
        assert 'data-finished="yes"' in page and "此前已检测" in page  # analysed before: not again
