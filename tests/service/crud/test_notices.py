from __future__ import annotations

from datetime import date

import pytest

from hegui.service import crud
from hegui.service.db.models import Campaign, Job
from hegui.service.errors import ConflictError, InvalidInputError, NotFoundError, StateError
from tests.service import factories as f

TODAY = date(2021, 6, 1)
DEADLINE = date(2021, 6, 15)


def test_lifecycle(db) -> None:
    reg = f.user(db)
    org = f.org(db)
    a, b = f.app(db, org), f.app(db, org)
    va = f.version(db, a)
    batch = crud.notices.create_notice(
        db, title="关于侵害用户权益行为的APP通报", number="2021年第5批", deadline=DEADLINE, actor_id=reg.id
    )
    assert batch.status == "draft"
    ea = crud.notices.add_entry(
        db,
        batch_id=batch.id,
        app_id=a.id,
        version_id=va.id,
        problems={"rules": ["HG-PI-001"]},
        actor_id=reg.id,
    )
    eb = crud.notices.add_entry(db, batch_id=batch.id, app_id=b.id, problems={"text": "x"}, actor_id=reg.id)
    crud.notices.remove_entry(db, entry_id=eb.id, actor_id=reg.id)
    eb = crud.notices.add_entry(db, batch_id=batch.id, app_id=b.id, problems={"text": "x"}, actor_id=reg.id)
    assert crud.notices.list_notices(db, published_only=True) == []
    out = crud.notices.publish_notice(db, batch_id=batch.id, actor_id=reg.id, today=TODAY, threshold=3)
    db.commit()
    assert out is batch and batch.status == "published" and batch.published_on == TODAY and batch.published_at
    cases = crud.cases.list_cases(db)
    assert sorted((c.app_id, c.notice_entry_id, c.deadline, c.status) for c in cases) == sorted(
        [(a.id, ea.id, DEADLINE, "open"), (b.id, eb.id, DEADLINE, "open")]
    )
    assert crud.notices.list_notices(db, published_only=True) == [batch]
    assert crud.notices.get_notice(db, batch.id) is batch
    assert [e.app_id for e in crud.notices.list_entries(db, batch_id=batch.id)] == [a.id, b.id]
    log = [
        x.action for x in reversed(crud.audit.list_for(db, target_type="notice_batch", target_id=batch.id))
    ]
    assert log == [
        "notice.create",
        "notice.add_entry",
        "notice.add_entry",
        "notice.remove_entry",
        "notice.add_entry",
        "notice.publish",
    ]


def test_published_is_frozen(db) -> None:
    reg = f.user(db)
    org = f.org(db)
    a, b = f.app(db, org), f.app(db, org)
    batch = f.published_notice(db, [a], actor=reg, today=TODAY)
    with pytest.raises(StateError, match="published"):
        crud.notices.publish_notice(db, batch_id=batch.id, actor_id=reg.id, today=TODAY, threshold=3)
    with pytest.raises(StateError):
        crud.notices.add_entry(db, batch_id=batch.id, app_id=b.id, problems={}, actor_id=reg.id)
    entry = crud.notices.list_entries(db, batch_id=batch.id)[0]
    with pytest.raises(StateError):
        crud.notices.remove_entry(db, entry_id=entry.id, actor_id=reg.id)


def test_publish_refuses(db) -> None:
    reg = f.user(db)
    app = f.app(db, f.org(db))
    empty = crud.notices.create_notice(db, title="empty", deadline=DEADLINE, actor_id=reg.id)
    with pytest.raises(StateError, match="names no app"):
        crud.notices.publish_notice(db, batch_id=empty.id, actor_id=reg.id, today=TODAY, threshold=3)
    crud.notices.add_entry(db, batch_id=empty.id, app_id=app.id, problems={}, actor_id=reg.id)
    with pytest.raises(StateError, match="before the publication date"):
        crud.notices.publish_notice(
            db, batch_id=empty.id, actor_id=reg.id, today=date(2021, 7, 1), threshold=3
        )
    with pytest.raises(NotFoundError):
        crud.notices.publish_notice(db, batch_id=99_999, actor_id=reg.id, today=TODAY, threshold=3)
    db.rollback()


def test_add_entry_refuses(db) -> None:
    reg = f.user(db)
    org = f.org(db)
    a, b = f.app(db, org), f.app(db, org)
    vb = f.version(db, b)
    batch = crud.notices.create_notice(db, title="t", deadline=DEADLINE, actor_id=reg.id)
    crud.notices.add_entry(db, batch_id=batch.id, app_id=a.id, problems={}, actor_id=reg.id)
    with pytest.raises(ConflictError, match="already in notice"):
        crud.notices.add_entry(db, batch_id=batch.id, app_id=a.id, problems={}, actor_id=reg.id)
    with pytest.raises(ConflictError, match="belongs to app"):
        crud.notices.add_entry(
            db, batch_id=batch.id, app_id=a.id, version_id=vb.id, problems={}, actor_id=reg.id
        )
    with pytest.raises(NotFoundError):
        crud.notices.add_entry(db, batch_id=batch.id, app_id=99_999, problems={}, actor_id=reg.id)
    with pytest.raises(InvalidInputError):
        crud.notices.add_entry(db, batch_id=batch.id, app_id=b.id, problems=["x"], actor_id=reg.id)
    with pytest.raises(InvalidInputError):
        crud.notices.create_notice(db, title="t", deadline=None, actor_id=reg.id)
    with pytest.raises(InvalidInputError):
        crud.notices.create_notice(db, title="", deadline=DEADLINE, actor_id=reg.id)


def test_list_notices_newest_first(db) -> None:
    reg = f.user(db)
    one = crud.notices.create_notice(db, title="1", deadline=DEADLINE, actor_id=reg.id)
    two = crud.notices.create_notice(db, title="2", deadline=DEADLINE, actor_id=reg.id)
    assert crud.notices.list_notices(db) == [two, one]


def test_candidates(db) -> None:
    reg = f.user(db)
    org = f.org(db)
    failing, fixed, passing, noticed, removed, review, untested = (
        f.app(db, org, f"com.c.{n}") for n in range(7)
    )
    v_fail = f.version(db, failing, 1)
    f.result(db, v_fail, "fail")
    f.result(db, f.version(db, fixed, 1), "fail")
    f.result(db, f.version(db, fixed, 2), "pass")  # the latest analysed version passes: no candidate
    f.result(db, f.version(db, passing, 1), "pass")
    v_noticed = f.version(db, noticed, 1)
    f.result(db, v_noticed, "fail")
    f.result(db, f.version(db, removed, 1), "fail")
    v_review = f.version(db, review, 1)
    r_review = f.result(db, v_review, "needs-review")
    rev = f.user(db, "reviewer")
    crud.reviews.decide_item(
        db, result_id=r_review.id, item="version", decision="confirmed", note="", reviewer_id=rev.id
    )
    f.version(db, untested, 1)
    draft = crud.notices.create_notice(db, title="draft", deadline=DEADLINE, actor_id=reg.id)
    crud.notices.add_entry(
        db, batch_id=draft.id, app_id=noticed.id, version_id=v_noticed.id, problems={}, actor_id=reg.id
    )
    crud.removals.remove_app(db, app_id=removed.id, reason="r", actor_id=reg.id)
    got = crud.notices.candidates(db)
    assert [(a.package, v.id, r.verdict) for a, v, r in got] == [
        ("com.c.0", v_fail.id, "fail"),
        ("com.c.5", v_review.id, "needs-review"),  # effective verdict fail after the review
    ]
    problems = crud.notices.problems_for(got[0][2])
    assert problems["rules"] == ["HG-PI-001"] and problems["result_id"] == got[0][2].id

    campaign = Campaign(name="专项检测")
    db.add(campaign)
    db.flush()
    db.add(Job(version_id=v_review.id, campaign_id=campaign.id, status="done"))
    db.flush()
    assert [a.package for a, _, _ in crud.notices.candidates(db, campaign_id=campaign.id)] == ["com.c.5"]


def test_problems_for_takes_rule_ids_only(db) -> None:
    v = f.version(db, f.app(db, f.org(db)))
    assert crud.notices.problems_for(f.result(db, v, "pass"))["rules"] == []
    v2 = f.version(db, f.app(db, f.org(db)))
    problems = crud.notices.problems_for(f.result(db, v2, "fail"))
    assert problems["rules"] == ["HG-PI-001"] and problems["reasons"][0]["zh"].startswith("HG-PI-001")
