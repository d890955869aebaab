"""The case of the seeds (issue 6): an organisation with 9 apps is notified in 4 batches within a
year → it enters review before release → an update of any of its apps is held at the gate until it
passes, then allowed; the regulator lifts the review (audited)."""

from __future__ import annotations

from datetime import date, timedelta

from hegui.service import crud
from hegui.service.domain import gate, strikes
from tests.service import factories as f


def test_nine_apps_four_notices(db) -> None:
    counts: list[int] = []

    def checkpoint() -> None:
        db.commit()
        counts.append(f.audit_count(db))
        assert counts == sorted(counts)  # the audit log only grows

    admin = crud.users.create_user(db, username="admin", role="admin")
    reg = crud.users.create_user(db, username="miit", role="regulator", actor_id=admin.id)
    rev = crud.users.create_user(db, username="lab", role="reviewer", actor_id=admin.id)
    org = crud.organisations.create_organisation(db, name="某某网络科技有限公司", actor_id=admin.id)
    apps = [
        crud.apps.get_or_create_app(db, package=f"com.mou.app{i}", organisation_id=org.id, name=f"App {i}")
        for i in range(9)
    ]
    first = {}
    for a in apps:
        v = f.version(db, a, 100)
        first[a.id] = v
        f.result(db, v, "fail")
    checkpoint()

    batches = [
        ([0, 1, 2], date(2021, 2, 10)),
        ([3, 4], date(2021, 5, 12)),
        ([5], date(2021, 8, 3)),
        ([6, 7], date(2021, 11, 2)),
    ]
    for n, (idx, day) in enumerate(batches, start=1):
        notice = crud.notices.create_notice(
            db, title=f"关于侵害用户权益行为的APP通报（2021年第{n}批）", number=f"2021-{n}",
            deadline=day + timedelta(days=15), actor_id=reg.id,
        )  # fmt: skip
        candidates = {a.id: (v, r) for a, v, r in crud.notices.candidates(db)}
        for i in idx:
            v, r = candidates[apps[i].id]
            crud.notices.add_entry(
                db, batch_id=notice.id, app_id=apps[i].id, version_id=v.id,
                problems=crud.notices.problems_for(r), actor_id=reg.id,
            )  # fmt: skip
        crud.notices.publish_notice(db, batch_id=notice.id, actor_id=reg.id, today=day, threshold=3)
        checkpoint()
        under = crud.release_review.active(db, organisation_id=org.id)
        assert (under is not None) == (n == 4), n
        # the notified apps rectify within the deadline
        for i in idx:
            fixed = f.version(db, apps[i], 100 + n)
            f.result(db, fixed, "pass")
            crud.cases.record_retest(
                db, app_id=apps[i].id, version_id=fixed.id, verdict="pass", actor_id=rev.id
            )
        checkpoint()

    assert strikes.notices_in_year(db, organisation_id=org.id, year=2021) == 4
    review = crud.release_review.active(db, organisation_id=org.id)
    assert review.reason == "4 notices in 2021 (threshold: more than 3)"
    assert crud.audit.list_for(db, target_type="organisation", target_id=org.id)[0].actor_id is None

    today = date(2021, 11, 20)
    # an update of app 8 — never notified itself — is held, like every app of the organisation
    app8 = apps[8]
    update = f.version(db, app8, 200)
    d = gate.decide(db, package=app8.package, version_code=200, today=today)
    assert (d.status, d.under_review) == ("pending", True)
    f.result(db, update, "fail")
    assert gate.decide(db, package=app8.package, version_code=200, today=today).status == "blocked"
    fixed = f.version(db, app8, 201)
    f.result(db, fixed, "pass")
    d = gate.decide(db, package=app8.package, version_code=201, today=today)
    assert (d.status, d.result_id, d.verdict) == ("allowed", fixed.result.id, "pass")
    checkpoint()

    # an update of a notified app needing review: pending until the reviewer decides
    app0 = apps[0]
    upd0 = f.version(db, app0, 300)
    r0 = f.result(db, upd0, "needs-review")
    assert gate.decide(db, package=app0.package, version_code=300, today=today).status == "pending"
    crud.reviews.decide_item(
        db, result_id=r0.id, item="version", decision="dismissed", note="核实无问题", reviewer_id=rev.id
    )
    assert gate.decide(db, package=app0.package, version_code=300, today=today).status == "allowed"
    checkpoint()

    # every app of the organisation: an untested update is pending, not allowed
    for a in apps:
        f.version(db, a, 400)
        assert gate.decide(db, package=a.package, version_code=400, today=today).status == "pending"

    # the regulator lifts review before release: updates are allowed again, verdict attached
    before = f.audit_count(db)
    crud.release_review.lift(db, organisation_id=org.id, reason="整改到位，解除上架前检测", actor_id=reg.id)
    checkpoint()
    lift = crud.audit.list_for(db, target_type="organisation", target_id=org.id)[0]
    assert (lift.action, lift.actor_id, lift.reason) == (
        "release_review.lift",
        reg.id,
        "整改到位，解除上架前检测",
    )
    assert f.audit_count(db) == before + 1
    d = gate.decide(db, package=app8.package, version_code=200, today=today)
    assert (d.status, d.verdict, d.under_review) == ("allowed", "fail", False)
