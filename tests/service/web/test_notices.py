"""Notice batches: draft (validated), add candidates, publish with a confirm step, the public page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from hegui.service import crud
from tests.service.web.conftest import WebEnv, csrf_of


@pytest.fixture
def failing_app(web: WebEnv, reports: dict[str, dict[str, Any]]) -> int:
    return web.seed_result(reports["sdk_no_consent"])[0]


def _deadline(days: int = 15) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def test_a_draft_is_validated_then_created(web: WebEnv) -> None:
    c = web.as_role("regulator")
    page = c.get("/notices")
    assert 'value="关于侵害用户权益行为的APP通报"' in page.text  # the usual title, prefilled
    token = csrf_of(page.text)
    bad = [
        ({"title": "", "deadline": _deadline()}, "必填：标题"),
        ({"title": "t", "deadline": ""}, "必填：整改期限"),
        ({"title": "t", "deadline": "2026-13-40"}, "日期格式应为 YYYY-MM-DD"),
    ]
    for form, message in bad:
        r = c.post("/notices", data={"csrf": token, **form})
        assert r.status_code == 422 and message in r.text
    r = c.post("/notices", data={"csrf": token, "title": "t" * 301, "deadline": _deadline()})
    assert r.status_code == 422
    r = c.post(
        "/notices", data={"csrf": token, "title": "通报", "number": "2026年第3批", "deadline": _deadline()}
    )
    assert r.status_code == 303
    listing = c.get("/notices").text
    assert "2026年第3批" in listing and "草稿" in listing


def test_add_a_candidate_then_publish_after_confirming(web: WebEnv, failing_app: int) -> None:
    c = web.as_role("regulator")
    batch = web.notice([], number="2026年第2批")
    page = c.get(f"/notices/{batch}")
    assert 'data-package="com.hegui.fixture.noconsent"' in page.text
    assert "第三方 SDK 在用户同意隐私政策前初始化" in page.text  # the candidate's problems
    token = csrf_of(page.text)
    version_id = re.search(r'name="version_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    r = c.post(
        f"/notices/{batch}/entries",
        data={"csrf": token, "app_id": str(failing_app), "version_id": version_id},
    )
    assert r.status_code == 303
    page = c.get(f"/notices/{batch}")
    assert "没有候选应用" in page.text and 'id="publish-link"' in page.text
    r = c.post(f"/notices/{batch}/entries", data={"csrf": token, "app_id": str(failing_app)})
    assert r.status_code == 409  # already named
    r = c.post(f"/notices/{batch}/publish", data={"csrf": token})
    assert r.status_code == 422  # the confirm box
    confirm = c.get(f"/notices/{batch}/publish")
    assert "发布后不可撤回" in confirm.text and 'id="confirm-box"' in confirm.text
    r = c.post(f"/notices/{batch}/publish", data={"csrf": token, "confirm": "yes"})
    assert r.status_code == 303
    page = c.get(f"/notices/{batch}")
    assert "已发布" in page.text and f'href="/public/notices/{batch}"' in page.text
    assert 'id="candidates"' not in page.text and 'id="publish-link"' not in page.text
    assert c.get(f"/notices/{batch}/publish").status_code == 303  # nothing left to confirm
    with web.sessions() as s:
        assert crud.notices.get_notice(s, batch).status == "published"  # type: ignore[union-attr]


def test_publishing_is_refused_with_the_reason(web: WebEnv, failing_app: int) -> None:
    c = web.as_role("regulator")
    empty = web.notice([])
    token = csrf_of(c.get(f"/notices/{empty}").text)
    r = c.post(f"/notices/{empty}/publish", data={"csrf": token, "confirm": "yes"})
    assert r.status_code == 409 and "通报中还没有应用" in r.text and "names no app" not in r.text
    r = c.post(f"/notices/{empty}/publish?lang=en", data={"csrf": token, "confirm": "yes"})
    assert r.status_code == 409 and "names no app" in r.text
    late = web.notice([failing_app], deadline=date.today() - timedelta(days=1))
    r = c.post(f"/notices/{late}/publish?lang=zh", data={"csrf": token, "confirm": "yes"})
    assert r.status_code == 409 and "早于发布日期" in r.text
    r = c.post(f"/notices/{late}/publish?lang=en", data={"csrf": token, "confirm": "yes"})
    assert r.status_code == 409 and "before the publication date" in r.text


def test_the_public_notice_reads_like_an_official_one(web: WebEnv, failing_app: int) -> None:
    deadline = date.today() + timedelta(days=15)
    batch = web.notice([failing_app], number="2026年第4批", publish=True, deadline=deadline)
    html = web.client().get(f"/public/notices/{batch}").text
    assert "关于侵害用户权益行为的APP通报（2026年第4批）" in html
    headers = re.findall(r"<th>([^<]+)</th>", html)
    assert headers == ["序号", "应用名称", "应用开发者", "应用来源", "应用版本", "所涉问题"]
    assert "发现以下 1 款APP存在侵害用户权益行为" in html
    assert f"上述APP应于 {deadline.year}年{deadline.month}月{deadline.day}日 前完成整改落实工作" in html
    row = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)  # type: ignore[union-attr]
    assert "No Consent Fixture" in row and "org Ltd" in row and "HG-SDK-001" not in row
    english = web.client().get(f"/public/notices/{batch}?lang=en").text
    assert "must be rectified by" in english


def test_the_public_list_has_only_published_notices(web: WebEnv, failing_app: int) -> None:
    web.notice([], number="draft-batch")
    published = web.notice([failing_app], number="pub-batch", publish=True)
    html = web.client().get("/public/notices").text
    assert "pub-batch" in html and "draft-batch" not in html
    assert f'href="/public/notices/{published}"' in html
    assert web.client().get("/public/notices/9999").status_code == 404
