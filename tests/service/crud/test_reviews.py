from __future__ import annotations

import pytest

from hegui.service import crud
from hegui.service.crud.reviews import WHOLE_VERSION, effective, review_items
from hegui.service.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from tests.service import factories as f

FINDINGS = [
    {"rule_id": "HG-PI-004", "severity": "medium", "judgement": "auto"},
    {"rule_id": "HG-LEGAL-001", "severity": "low", "judgement": "manual"},
    {"rule_id": "HG-PI-004", "severity": "medium", "judgement": "auto"},
    {"rule_id": "HG-NET-001", "severity": "low", "judgement": "auto"},  # low + auto: not a review item
    {
        "rule_id": "HG-SDK-002",
        "severity": "high",
        "judgement": "assisted",
        "suppression": {"justification": "ok"},
    },
]


def test_review_items() -> None:
    assert review_items({"findings": FINDINGS}) == ["HG-PI-004", "HG-LEGAL-001"]
    assert review_items({}) == []


@pytest.mark.parametrize(
    ("verdict", "decisions", "expected"),
    [
        ("needs-review", {}, "needs-review"),
        ("needs-review", {"HG-PI-004": "dismissed"}, "needs-review"),
        ("needs-review", {"HG-PI-004": "dismissed", "HG-LEGAL-001": "dismissed"}, "pass"),
        ("needs-review", {"HG-PI-004": "dismissed", "HG-LEGAL-001": "confirmed"}, "fail"),
        ("needs-review", {WHOLE_VERSION: "dismissed"}, "pass"),
        ("needs-review", {WHOLE_VERSION: "confirmed"}, "fail"),
        ("pass", {"HG-X": "confirmed"}, "fail"),
        ("pass", {"HG-X": "dismissed"}, "pass"),
        ("fail", {WHOLE_VERSION: "dismissed"}, "fail"),  # an automatic fail is not overridden
    ],
)
def test_effective_table(verdict, decisions, expected) -> None:
    assert effective(verdict, {"findings": FINDINGS}, decisions) == expected


def test_decide_item_latest_counts(db) -> None:
    v = f.version(db, f.app(db, f.org(db)))
    r = f.result(db, v, "needs-review", FINDINGS)
    rev = f.user(db, "reviewer")
    crud.reviews.decide_item(
        db, result_id=r.id, item="HG-PI-004", decision="confirmed", note="seen", reviewer_id=rev.id
    )
    assert crud.reviews.effective_verdict(db, result=r) == "fail"
    d = crud.reviews.decide_item(
        db, result_id=r.id, item="HG-PI-004", decision="dismissed", note="false positive", reviewer_id=rev.id
    )
    crud.reviews.decide_item(
        db, result_id=r.id, item="HG-LEGAL-001", decision="dismissed", note="", reviewer_id=rev.id
    )
    db.commit()
    assert crud.reviews.effective_verdict(db, result=r) == "pass"
    assert len(crud.reviews.list_decisions(db, result_id=r.id)) == 3  # appended, never edited
    assert crud.reviews.latest_decisions(db, result_id=r.id) == {
        "HG-PI-004": "dismissed",
        "HG-LEGAL-001": "dismissed",
    }
    log = crud.audit.list_for(db, target_type="result", target_id=r.id)
    assert [a.action for a in log].count("review.decide") == 3
    assert log[1].reason == "false positive" and log[1].data["decision_id"] == d.id


def test_decide_item_refuses(db) -> None:
    v = f.version(db, f.app(db, f.org(db)))
    r = f.result(db, v, "needs-review")
    rev, store = f.user(db, "reviewer"), f.user(db, "store")
    with pytest.raises(InvalidInputError):
        crud.reviews.decide_item(db, result_id=r.id, item="X", decision="maybe", note="", reviewer_id=rev.id)
    with pytest.raises(InvalidInputError):
        crud.reviews.decide_item(
            db, result_id=r.id, item=" ", decision="confirmed", note="", reviewer_id=rev.id
        )
    with pytest.raises(NotFoundError):
        crud.reviews.decide_item(
            db, result_id=99_999, item="X", decision="confirmed", note="", reviewer_id=rev.id
        )
    with pytest.raises(PermissionDeniedError):
        crud.reviews.decide_item(
            db, result_id=r.id, item="X", decision="confirmed", note="", reviewer_id=store.id
        )
    rev.active = False
    with pytest.raises(PermissionDeniedError):
        crud.reviews.decide_item(
            db, result_id=r.id, item="X", decision="confirmed", note="", reviewer_id=rev.id
        )
