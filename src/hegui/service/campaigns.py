"""Campaigns (专项检测): analyse a catalogue of APKs as one named batch of jobs, and its progress.

A campaign owns one job per version (:func:`hegui.service.tasks.enqueue` with ``campaign_id``);
the job engine in :mod:`hegui.service.tasks` runs them and sets the campaign's ``finished_at``
when its last live job ends."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service.db.models import AuditLog, Campaign, Job, Result, aware, utcnow
from hegui.service.tasks import LIVE, enqueue


def start_campaign(
    session: Session, *, name: str, version_ids: Iterable[int], actor_id: int | None
) -> Campaign:
    """A campaign over these versions: one job each, already analysed sha256s count as done
    without analysing them again. The caller commits, then ``dispatch_queued(session, dispatcher,
    campaign_id=campaign.id)``."""
    campaign = Campaign(name=name, created_by=actor_id, created_at=utcnow())
    session.add(campaign)
    session.flush()
    ids = list(dict.fromkeys(version_ids))
    jobs = [enqueue(session, version_id=vid, campaign_id=campaign.id) for vid in ids]
    if all(job.status not in LIVE for job in jobs):
        campaign.finished_at = utcnow()
    session.add(
        AuditLog(
            actor_id=actor_id,
            action="campaign.start",
            target_type="campaign",
            target_id=campaign.id,
            reason=name,
            data={
                "versions": len(ids),
                "skipped": sum(1 for j in jobs if j.status == "done" and not j.attempts),
            },
        )
    )
    return campaign


@dataclass(frozen=True)
class CampaignProgress:
    """Counts per APK (version): ``done`` = has a Result (``skipped`` of them were analysed before
    the campaign), ``passing``/``failing``/``needs_review`` by verdict, ``by_rule`` = APKs with at
    least one (unsuppressed) finding of the rule; throughput counts only APKs analysed here."""

    campaign_id: int
    name: str
    total: int
    done: int
    failed: int
    queued: int
    running: int
    skipped: int
    passing: int
    failing: int
    needs_review: int
    by_rule: dict[str, int] = field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    elapsed_seconds: float = 0.0
    throughput_per_hour: float = 0.0

    @property
    def finished(self) -> bool:
        return self.queued == 0 and self.running == 0

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for k in ("started_at", "finished_at"):
            out[k] = out[k].isoformat() if out[k] is not None else None
        out["finished"] = self.finished
        return out


def campaign_progress(session: Session, campaign_id: int) -> CampaignProgress:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise LookupError(f"no campaign {campaign_id}")
    states: dict[int, set[str]] = {}
    worked: dict[int, bool] = {}
    analysed = 0
    last: datetime | None = None
    for vid, status, attempts, finished_at in session.execute(
        select(Job.version_id, Job.status, Job.attempts, Job.finished_at).where(
            Job.campaign_id == campaign_id
        )
    ):
        states.setdefault(vid, set()).add(status)
        worked[vid] = worked.get(vid, False) or attempts > 0
        if status in ("done", "failed") and attempts > 0:
            analysed += 1
        if finished_at is not None:
            last = max(filter(None, (last, aware(finished_at))))
    verdicts = {"pass": 0, "fail": 0, "needs-review": 0}
    by_rule: dict[str, int] = {}
    with_result: set[int] = set()
    members = select(Job.version_id).where(Job.campaign_id == campaign_id)
    rows = session.execute(
        select(Result.version_id, Result.verdict, Result.report).where(Result.version_id.in_(members))
    ).yield_per(200)
    for vid, verdict, report in rows:
        with_result.add(vid)
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
        rules = {f.get("rule_id") for f in (report or {}).get("findings", []) if not f.get("suppression")}
        for rule in filter(None, rules):
            by_rule[rule] = by_rule.get(rule, 0) + 1
    counts = {"failed": 0, "queued": 0, "running": 0}
    for vid, st in states.items():
        if vid not in with_result:
            counts["running" if "running" in st else "queued" if "queued" in st else "failed"] += 1
    started = aware(campaign.created_at)
    finished = aware(campaign.finished_at) or (last if not counts["queued"] + counts["running"] else None)
    elapsed = max(((finished or utcnow()) - started).total_seconds(), 0.0) if started else 0.0
    return CampaignProgress(
        campaign_id=campaign.id,
        name=campaign.name,
        total=len(states),
        done=len(with_result),
        skipped=sum(1 for vid in with_result if not worked.get(vid)),
        passing=verdicts["pass"],
        failing=verdicts["fail"],
        needs_review=verdicts["needs-review"],
        by_rule=dict(sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
        started_at=started,
        finished_at=finished,
        elapsed_seconds=round(elapsed, 3),
        throughput_per_hour=round(analysed / (elapsed / 3600), 1) if elapsed > 0 else 0.0,
        **counts,
    )
