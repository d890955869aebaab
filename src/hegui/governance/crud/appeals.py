"""Appeals (申诉): filed within the window against a violation decision in force, they reopen the
case (status ``appealed``, back in the queue); a moderator upholds or overturns. Overturning lifts
the decision's sanctions, restores removed content and takes its strikes off the ladder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.governance.crud import cases
from hegui.governance.crud._util import bounded, check_decider
from hegui.governance.domain.ladder import Ladder, default_ladder
from hegui.governance.models import GovAppeal, GovDecision
from hegui.service.crud import audit
from hegui.service.crud._common import get_or_404, mark_lifted
from hegui.service.db.models import aware, utcnow
from hegui.service.errors import InvalidInputError, PermissionDeniedError, StateError

MAX_TEXT = 2000
RESOLUTIONS = ("upheld", "overturned")


def file_appeal(
    session: Session,
    *,
    decision_id: int,
    text: str,
    filed_by: int | None,
    ladder: Ladder | None = None,
    now: datetime | None = None,
) -> GovAppeal:
    ladder = ladder or default_ladder()
    now = now or utcnow()
    text = bounded(text, "appeal text", MAX_TEXT, required=True)
    decision = get_or_404(session, GovDecision, decision_id, "decision")
    if decision.outcome != "violation" or decision.state != "in_force":
        raise StateError("only a violation decision in force can be appealed")
    deadline = ladder.appeal_deadline(aware(decision.decided_at))  # type: ignore[arg-type]
    if now > deadline:
        raise StateError(
            f"the appeal window closed on {deadline:%Y-%m-%d} ({ladder.appeal_window_days} days)"
        )
    pending = session.scalar(
        select(GovAppeal).where(GovAppeal.decision_id == decision_id, GovAppeal.status == "pending")
    )
    if pending is not None:
        raise StateError(f"appeal {pending.id} on this decision is pending already")
    appeal = GovAppeal(decision_id=decision_id, text=text, status="pending", filed_by=filed_by, filed_at=now)
    session.add(appeal)
    case = cases.get_case(session, decision.case_id)
    case.status = "appealed"
    session.flush()
    audit.record(
        session,
        actor_id=filed_by,
        action="gov.appeal.file",
        target_type="gov_case",
        target_id=case.id,
        reason=text[:500],
        data={"appeal_id": appeal.id, "decision_id": decision_id},
    )
    return appeal


def resolve_appeal(
    session: Session,
    *,
    appeal_id: int,
    actor_id: int,
    resolution: str,
    reason: str,
    now: datetime | None = None,
) -> GovAppeal:
    resolver = check_decider(session, actor_id)
    now = now or utcnow()
    if resolution not in RESOLUTIONS:
        raise InvalidInputError("resolution must be upheld or overturned")
    reason = bounded(reason, "reason", MAX_TEXT, required=True)
    appeal = get_or_404(session, GovAppeal, appeal_id, "appeal")
    if appeal.status != "pending":
        raise StateError(f"appeal {appeal_id} was resolved already ({appeal.status})")
    decision = session.get(GovDecision, appeal.decision_id)
    assert decision is not None
    if decision.decided_by == actor_id and resolver.role != "admin":
        raise PermissionDeniedError(
            "an appeal is resolved by another moderator than the one who decided the case",
            zh="申诉须由作出原处理决定以外的审核员复核",
        )
    case = cases.get_case(session, decision.case_id)
    appeal.status, appeal.resolved_by, appeal.resolved_at, appeal.resolution = (
        resolution,
        actor_id,
        now,
        reason,
    )
    lifted = []
    if resolution == "overturned":
        decision.state = "overturned"
        for s in cases.sanctions_of_decision(session, decision_id=decision.id):
            if s.lifted_at is None:
                mark_lifted(s, actor_id=actor_id, reason=reason, at=now)
                lifted.append(s)
        for c in cases.reported_content(session, case):
            c.removed_at = None
    case.status = "decided"
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="gov.appeal.resolve",
        target_type="gov_case",
        target_id=case.id,
        reason=reason,
        data={"appeal_id": appeal.id, "decision_id": decision.id, "resolution": resolution},
    )
    for s in lifted:
        audit.record(
            session,
            actor_id=actor_id,
            action="gov.sanction.lift",
            target_type=f"gov_{s.target_type}",
            target_id=s.account_id or s.group_id,
            reason=reason,
            data={"sanction_id": s.id, "kind": s.kind},
        )
    return appeal


def appeals_of(session: Session, *, decision_ids: list[int]) -> list[GovAppeal]:
    if not decision_ids:
        return []
    q = select(GovAppeal).where(GovAppeal.decision_id.in_(decision_ids)).order_by(GovAppeal.id)
    return list(session.scalars(q))


def pending(session: Session, *, limit: int = 200) -> list[GovAppeal]:
    q = select(GovAppeal).where(GovAppeal.status == "pending").order_by(GovAppeal.id).limit(limit)
    return list(session.scalars(q))
