"""The organisation page: its apps, notices per year (strikes), review before release and its lifting."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hegui.service import crud
from tests.service.web.conftest import WebEnv, csrf_of, make_env


@pytest.fixture
def strict(tmp_path: Path, _migrated: Path):  # noqa: ANN201 - threshold 0: one notice → review before release
    env = make_env(tmp_path, _migrated, strike_threshold=0)
    yield env
    env.dispatcher.close()


def test_apps_strikes_and_review_before_release(strict: WebEnv, reports: dict[str, dict[str, Any]]) -> None:
    app_id, _v, _r = strict.seed_result(reports["sdk_no_consent"])
    strict.notice([app_id], publish=True)
    html = strict.as_role("developer").get(f"/orgs/{strict.ids['org']}").text
    assert "No Consent Fixture" in html and 'class="chip fail"' in html
    assert f"<td>{date.today().year}</td>" in html and '<span class="alarm">1</span>' in html
    assert "生效中" in html and "1 notices in" in html
    assert "解除上架前检测" not in html  # a developer cannot lift it
    assert "阈值：一年内超过 0 次即进入上架前检测" in html


def test_a_regulator_lifts_it_with_a_reason(strict: WebEnv, reports: dict[str, dict[str, Any]]) -> None:
    app_id, _v, _r = strict.seed_result(reports["sdk_no_consent"])
    strict.notice([app_id], publish=True)
    org = strict.ids["org"]
    c = strict.as_role("regulator")
    page = c.get(f"/orgs/{org}")
    assert "解除上架前检测" in page.text
    token = csrf_of(page.text)
    r = c.post(f"/orgs/{org}/release-review/lift", data={"csrf": token, "reason": "  "})
    assert r.status_code == 422 and "必填：解除理由" in r.text
    r = c.post(f"/orgs/{org}/release-review/lift", data={"csrf": token, "reason": "整改到位，复测通过"})
    assert r.status_code == 303
    html = c.get(f"/orgs/{org}").text
    assert "未处于上架前检测" in html and "整改到位，复测通过" in html  # in the history
    with strict.sessions() as s:
        assert crud.release_review.active(s, organisation_id=org) is None
    r = c.post(f"/orgs/{org}/release-review/lift", data={"csrf": token, "reason": "again"})
    assert r.status_code == 409  # nothing to lift


def test_only_regulators_lift(strict: WebEnv, reports: dict[str, dict[str, Any]]) -> None:
    app_id, _v, _r = strict.seed_result(reports["sdk_no_consent"])
    strict.notice([app_id], publish=True)
    for role in ("developer", "reviewer", "store"):
        c = strict.as_role(role)
        token = csrf_of(c.get("/apps").text)
        r = c.post(f"/orgs/{strict.ids['org']}/release-review/lift", data={"csrf": token, "reason": "x"})
        assert r.status_code == 403, role


def test_the_organisations_list(web: WebEnv, reports: dict[str, dict[str, Any]]) -> None:
    web.seed_result(reports["sdk_no_consent"])
    html = web.as_role("store").get("/orgs").text
    assert "org Ltd" in html and "other Ltd" in html
    apps = web.as_role("store").get("/apps").text
    assert "No Consent Fixture" in apps and "在架" in apps
