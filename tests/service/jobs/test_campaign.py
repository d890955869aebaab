"""Campaigns (专项检测): progress counts, verdicts by rule, re-runs skip analysed APKs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from hegui.api import scan
from hegui.report.json import report_dict
from hegui.service import scanning
from hegui.service.campaigns import campaign_progress, start_campaign
from hegui.service.db.models import AuditLog, Campaign, Job
from hegui.service.db.session import transaction
from hegui.service.dispatch import InProcessDispatcher
from hegui.service.tasks import dispatch_queued, enqueue, run_job

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "apk"

NAMES = ("sdk_no_consent", "clean", "bad_truncated", "tls_trust_all", "pi_location")


def expected(names):
    """Verdicts and APKs per rule computed with the library directly, for comparison."""
    verdicts: dict[str, int] = {}
    by_rule: dict[str, int] = {}
    for name in names:
        try:
            report = report_dict(scan(FIXTURES / f"{name}.apk"))
        except Exception:
            continue
        verdicts[report["verdict"]["status"]] = verdicts.get(report["verdict"]["status"], 0) + 1
        for rule in {f["rule_id"] for f in report["findings"]}:
            by_rule[rule] = by_rule.get(rule, 0) + 1
    return verdicts, by_rule


def run_campaign(factory, store, version_ids, name="2021 专项检测"):
    with transaction(factory) as s:
        campaign_id = start_campaign(s, name=name, version_ids=version_ids, actor_id=None).id
    dispatcher = InProcessDispatcher(factory, store, max_workers=2)
    try:
        with factory() as s:
            dispatched = dispatch_queued(s, dispatcher, campaign_id=campaign_id)
        assert dispatcher.wait_idle(60)
    finally:
        dispatcher.close()
    return campaign_id, dispatched


def test_campaign_progress_counts(factory, add_version, store):
    ids = {name: add_version(name) for name in NAMES}
    # analysed before the campaign: counts as done, not analysed again
    with transaction(factory) as s:
        before = enqueue(s, version_id=ids["clean"]).id
    assert run_job(factory, job_id=before, store=store, isolate=False) == "done"

    with transaction(factory) as s:
        campaign = start_campaign(s, name="batch 1", version_ids=[*ids.values(), ids["clean"]], actor_id=None)
        campaign_id = campaign.id
    with factory() as s:
        p = campaign_progress(s, campaign_id)
    assert (p.total, p.done, p.skipped, p.queued, p.running, p.failed) == (5, 1, 1, 4, 0, 0)
    assert not p.finished and p.finished_at is None

    dispatcher = InProcessDispatcher(factory, store, max_workers=2)
    try:
        with factory() as s:
            assert len(dispatch_queued(s, dispatcher, campaign_id=campaign_id)) == 4
        assert dispatcher.wait_idle(60)
    finally:
        dispatcher.close()

    verdicts, by_rule = expected(NAMES)
    with factory() as s:
        p = campaign_progress(s, campaign_id)
        row = s.get(Campaign, campaign_id)
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "campaign.start")).one()
    assert (p.total, p.done, p.failed, p.queued, p.running, p.skipped) == (5, 4, 1, 0, 0, 1)
    assert p.passing == verdicts.get("pass", 0)
    assert p.failing == verdicts.get("fail", 0)
    assert p.needs_review == verdicts.get("needs-review", 0)
    assert p.passing + p.failing + p.needs_review == p.done
    assert p.failing >= 1 and p.passing >= 1
    assert p.by_rule == dict(sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])))
    assert p.finished and row.finished_at is not None and p.finished_at is not None
    assert p.throughput_per_hour > 0
    assert audit.target_id == campaign_id and audit.data["versions"] == 5 and audit.data["skipped"] == 1
    d = p.to_dict()
    assert d["finished"] and d["by_rule"] == p.by_rule and isinstance(d["started_at"], str)


def test_a_rerun_analyses_nothing_twice(factory, add_version, store, monkeypatch):
    ids = [add_version(name) for name in NAMES]
    first, _ = run_campaign(factory, store, ids)
    calls: list[str] = []
    real = scanning.scan_apk

    def counting(path, *a, **kw):
        calls.append(path.name)
        return real(path, *a, **kw)

    monkeypatch.setattr(scanning, "scan_apk", counting)
    second, dispatched = run_campaign(factory, store, ids, name="batch 2")
    with factory() as s:
        p1, p2 = campaign_progress(s, first), campaign_progress(s, second)
        bad = s.scalars(select(Job).where(Job.campaign_id == second, Job.status == "failed")).one()
    # nothing is analysed again: the corrupt APK keeps its answer (a failed job, no new work)
    assert calls == [] and dispatched == [] and bad.version_id == ids[2]
    assert bad.attempts == 0 and bad.error.startswith("corrupt: ")
    assert (p2.total, p2.done, p2.skipped, p2.failed) == (5, 4, 4, 1)
    assert (p1.passing, p1.failing, p1.by_rule) == (p2.passing, p2.failing, p2.by_rule)


def test_an_upload_job_joins_a_campaign(factory, add_version, store):
    """A version whose upload job is still queued is adopted, not analysed twice."""
    vid = add_version("clean")
    with transaction(factory) as s:
        upload_job = enqueue(s, version_id=vid).id
    with transaction(factory) as s:
        campaign_id = start_campaign(s, name="c", version_ids=[vid], actor_id=None).id
    with factory() as s:
        jobs = s.scalars(select(Job)).all()
    assert [(j.id, j.campaign_id) for j in jobs] == [(upload_job, campaign_id)]
