from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.service import crud
from hegui.service.domain import strikes
from tests.service import factories as f


def _setup(db, n_apps: int = 3):
    reg = f.user(db)
    org = f.org(db)
    return reg, org, [f.app(db, org) for _ in range(n_apps)]


def test_threshold_boundary_three_no_four_yes(db) -> None:
    reg, org, apps = _setup(db)
    for month in (1, 3, 5):
        f.published_notice(db, [apps[month % 3]], actor=reg, today=date(2021, month, 2))
    assert strikes.notices_in_year(db, organisation_id=org.id, year=2021) == 3
    assert crud.release_review.active(db, organisation_id=org.id) is None
    f.published_notice(db, [apps[0]], actor=reg, today=date(2021, 7, 2))
    review = crud.release_review.active(db, organisation_id=org.id)
    assert review is not None and review.reason == "4 notices in 2021 (threshold: more than 3)"
    start = crud.audit.list_for(db, target_type="organisation", target_id=org.id)[0]
    assert (start.action, start.actor_id) == ("release_review.start", None)  # the system decided
    assert start.data["count"] == 4 and start.data["threshold"] == 3 and start.data["triggered_by"] == reg.id


def test_other_years_do_not_count(db) -> None:
    reg, org, apps = _setup(db)
    for day in (date(2020, 3, 1), date(2020, 6, 1), date(2020, 12, 30), date(2021, 1, 4), date(2022, 1, 3)):
        f.published_notice(db, [apps[0]], actor=reg, today=day, deadline=day)
    assert [strikes.notices_in_year(db, organisation_id=org.id, year=y) for y in (2020, 2021, 2022)] == [
        3,
        1,
        1,
    ]
    assert strikes.ledger(db, organisation_id=org.id) == {2020: 3, 2021: 1, 2022: 1}
    assert crud.release_review.active(db, organisation_id=org.id) is None


def test_one_batch_naming_three_apps_counts_once(db) -> None:
    reg, org, apps = _setup(db)
    f.published_notice(db, apps, actor=reg, today=date(2021, 2, 1))
    assert strikes.notices_in_year(db, organisation_id=org.id, year=2021) == 1


def test_drafts_and_other_organisations_do_not_count(db) -> None:
    reg, org, apps = _setup(db)
    other = f.app(db, f.org(db))
    draft = crud.notices.create_notice(db, title="draft", deadline=date(2021, 3, 1), actor_id=reg.id)
    crud.notices.add_entry(db, batch_id=draft.id, app_id=apps[0].id, problems={}, actor_id=reg.id)
    for m in range(1, 6):
        f.published_notice(db, [other], actor=reg, today=date(2021, m, 1))
    assert strikes.notices_in_year(db, organisation_id=org.id, year=2021) == 0
    assert crud.release_review.active(db, organisation_id=other.organisation_id) is not None


def test_apply_strike_rule_directly(db) -> None:
    reg, org, apps = _setup(db)
    today = date(2021, 9, 1)
    f.published_notice(db, [apps[0]], actor=reg, today=today, threshold=99)
    assert strikes.apply_strike_rule(db, organisation_id=org.id, threshold=1, today=today) is None
    f.published_notice(db, [apps[1]], actor=reg, today=today, threshold=99)
    started = strikes.apply_strike_rule(db, organisation_id=org.id, threshold=1, today=today)
    assert started is not None and started.reason == "2 notices in 2021 (threshold: more than 1)"
    assert (
        strikes.apply_strike_rule(db, organisation_id=org.id, threshold=1, today=today) is None
    )  # already active
    assert len(crud.release_review.history(db, organisation_id=org.id)) == 1
    assert strikes.apply_strike_rule(db, organisation_id=org.id, threshold=0, today=date(2022, 1, 1)) is None


def test_threshold_zero_first_notice_triggers(db) -> None:
    reg, org, apps = _setup(db, 1)
    f.published_notice(db, apps, actor=reg, today=date(2021, 1, 5), threshold=0)
    assert crud.release_review.active(db, organisation_id=org.id) is not None


def test_after_a_lift_the_next_notice_that_year_starts_a_new_review(db) -> None:
    reg, org, apps = _setup(db)
    for m in (1, 2, 3, 4):
        f.published_notice(db, [apps[0]], actor=reg, today=date(2021, m, 1))
    crud.release_review.lift(db, organisation_id=org.id, reason="rectified", actor_id=reg.id)
    assert crud.release_review.active(db, organisation_id=org.id) is None
    f.published_notice(db, [apps[1]], actor=reg, today=date(2021, 5, 1))
    again = crud.release_review.active(db, organisation_id=org.id)
    assert again is not None and again.reason.startswith("5 notices in 2021")


def test_over_threshold() -> None:
    assert [strikes.over_threshold(n, 3) for n in range(6)] == [False, False, False, False, True, True]


BATCHES = st.lists(
    st.tuples(
        st.sampled_from([2020, 2021, 2022]),
        st.integers(1, 12),
        st.sets(st.integers(0, 4), min_size=1),  # apps 0-2: the organisation's, 3-4: another's
        st.booleans(),  # published?
    ),
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=BATCHES)
def test_count_matches_a_model(db, batches) -> None:
    """Whatever the batches, the count is the number of distinct published batches of that year
    naming at least one of the organisation's apps (fresh organisations per example)."""
    reg = f.user(db)
    mine, theirs = f.org(db), f.org(db)
    apps = [f.app(db, mine) for _ in range(3)] + [f.app(db, theirs) for _ in range(2)]
    for year, month, named, published in batches:
        batch = crud.notices.create_notice(db, title="n", deadline=date(year, 12, 31), actor_id=reg.id)
        for i in sorted(named):
            crud.notices.add_entry(db, batch_id=batch.id, app_id=apps[i].id, problems={}, actor_id=reg.id)
        if published:
            crud.notices.publish_notice(
                db, batch_id=batch.id, actor_id=reg.id, today=date(year, month, 1), threshold=100
            )
    for year in (2020, 2021, 2022):
        expected = sum(1 for y, _, named, pub in batches if pub and y == year and named & {0, 1, 2})
        assert strikes.notices_in_year(db, organisation_id=mine.id, year=year) == expected
    db.rollback()
