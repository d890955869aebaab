"""The reviewer's checklist: findings to review, manual/assisted rulebook items, decisions."""

from __future__ import annotations

from typing import Any

import pytest

from hegui.knowledge.rulebook import rulebook
from hegui.service import crud
from tests.service.web.conftest import WebEnv, csrf_of


@pytest.fixture
def result_id(web: WebEnv, reports: dict[str, dict[str, Any]]) -> int:
    return web.seed_result(reports["sdk_no_consent"])[2]


def test_the_checklist_lists_findings_and_every_manual_or_assisted_item(web: WebEnv, result_id: int) -> None:
    html = web.as_role("reviewer").get(f"/results/{result_id}/review").text
    result, _ = web.result(result_id)
    for rule in crud.reviews.review_items(result.report):
        assert f'id="item-{rule}"' in html
    assert 'id="item-HG-PI-001"' in html and "辅助判定" in html  # an assisted finding
    manual = [i for i in rulebook().items if i.judgement in ("manual", "assisted")]
    for item in manual:
        assert f'<code class="rule">{item.id}</code>' in html
    assert 'id="item-version"' in html
    total = 1 + len(crud.reviews.review_items(result.report)) + len(manual)
    assert f"已复核 0 / {total}" in html


def test_a_decision_through_htmx_swaps_the_item_and_the_progress(web: WebEnv, result_id: int) -> None:
    c = web.as_role("reviewer")
    token = csrf_of(c.get(f"/results/{result_id}/review").text)
    r = c.post(
        f"/results/{result_id}/review",
        data={"csrf": token, "item": "HG-PI-001", "decision": "dismissed", "note": "a launcher needs it"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<article class="check-item dismissed" id="item-HG-PI-001"')
    assert "a launcher needs it" in r.text and "reviewer user" in r.text
    assert 'id="review-progress" hx-swap-oob="true"' in r.text and "已复核 1 /" in r.text
    with web.sessions() as s:
        decided = crud.reviews.latest_decisions(s, result_id=result_id)
    assert decided == {"HG-PI-001": "dismissed"}


def test_a_rulebook_item_with_dots_in_its_id_gets_a_safe_dom_id(web: WebEnv, result_id: int) -> None:
    item = next(i for i in rulebook().items if i.judgement == "manual" and "." in i.id)
    c = web.as_role("admin")
    token = csrf_of(c.get(f"/results/{result_id}/review").text)
    r = c.post(f"/results/{result_id}/review", data={"csrf": token, "item": item.id, "decision": "confirmed"})
    assert r.status_code == 303 and r.headers["location"].endswith("#item-" + item.id.replace(".", "_"))


def test_bad_decisions_are_refused(web: WebEnv, result_id: int) -> None:
    c = web.as_role("reviewer")
    token = csrf_of(c.get(f"/results/{result_id}/review").text)
    for form in (
        {"item": "HG-XXX-999", "decision": "confirmed"},  # not on this checklist
        {"item": "HG-PI-001", "decision": "maybe"},
        {"item": "", "decision": "confirmed"},
        {"item": "HG-PI-001", "decision": "confirmed", "note": "x" * 2001},
    ):
        r = c.post(f"/results/{result_id}/review", data={"csrf": token, **form})
        assert r.status_code == 422, form
        assert r.headers["content-type"].startswith("text/html")
    with web.sessions() as s:
        assert crud.reviews.list_decisions(s, result_id=result_id) == []


def test_only_reviewers_decide(web: WebEnv, result_id: int) -> None:
    for role in ("developer", "store", "regulator"):
        c = web.as_role(role)
        token = csrf_of(c.get("/apps").text)
        r = c.post(
            f"/results/{result_id}/review", data={"csrf": token, "item": "version", "decision": "dismissed"}
        )
        assert r.status_code == 403, role


def test_dismissing_the_version_passes_a_needs_review_result(
    web: WebEnv, reports: dict[str, dict[str, Any]]
) -> None:
    report = reports["pi_location"]
    assert report["verdict"]["status"] == "needs-review"
    _app, _v, rid = web.seed_result(report)
    c = web.as_role("reviewer")
    token = csrf_of(c.get(f"/results/{rid}/review").text)
    assert (
        c.post(
            f"/results/{rid}/review", data={"csrf": token, "item": "version", "decision": "dismissed"}
        ).status_code
        == 303
    )
    with web.sessions() as s:
        result, _ = web.result(rid)
        assert crud.reviews.effective_verdict(s, result=result) == "pass"
