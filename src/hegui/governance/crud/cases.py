"""Review cases: the queue (open and appealed cases, by screening score then report count), and a
moderator's decision, the only source of sanctions (the ladder chooses which)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.governance.crud import complaints, targets
from hegui.governance.crud._util import bounded, check_decider
from hegui.governance.domain import categories
from hegui.governance.domain.ladder import Ladder, Proposal, default_ladder, propose
from hegui.governance.models import (
    OUTCOMES,
    GovAccount,
    GovCase,
    GovContent,
    GovDecision,
    GovGroup,
    GovSanction,
)
from hegui.service.crud import audit
from hegui.service.crud._common import get_or_404
from hegui.service.db.models import utcnow
from hegui.service.errors import InvalidInputError, StateError

MAX_REASON = 2000
QUEUE_LIMIT = 200


def queue(session: Session, *, category: str = "", limit: int = QUEUE_LIMIT) -> list[GovCase]:
    """Cases waiting for a moderator: appealed ones first, then by score, report count, age."""
    q = select(GovCase).where(GovCase.status.in_(("open", "appealed")))
    if category:
        q = q.where(GovCase.category == categories.root_of(categories.validate(category)))
    q = q.order_by(
        (GovCase.status == "appealed").desc(), GovCase.score.desc(), GovCase.report_count.desc(), GovCase.id
    )
    return list(session.scalars(q.limit(max(1, min(limit, QUEUE_LIMIT)))))


def list_cases(session: Session, *, status: str = "", limit: int = QUEUE_LIMIT) -> list[GovCase]:
    q = select(GovCase)
    if status:
        q = q.where(GovCase.status == status)
    return list(session.scalars(q.order_by(GovCase.id.desc()).limit(max(1, min(limit, QUEUE_LIMIT)))))


def get_case(session: Session, case_id: int) -> GovCase:
    return get_or_404(session, GovCase, case_id, "case")


def target_of(session: Session, case: GovCase) -> GovAccount | GovGroup:
    if case.target_type == "account":
        return session.get(GovAccount, case.account_id)  # type: ignore[return-value]
    return session.get(GovGroup, case.group_id)  # type: ignore[return-value]


def target_id(case: GovCase) -> int:
    return case.account_id if case.target_type == "account" else case.group_id  # type: ignore[return-value]


def decisions_of(session: Session, *, case_id: int) -> list[GovDecision]:
    return list(
        session.scalars(select(GovDecision).where(GovDecision.case_id == case_id).order_by(GovDecision.id))
    )


def sanctions_of_decision(session: Session, *, decision_id: int) -> list[GovSanction]:
    q = select(GovSanction).where(GovSanction.decision_id == decision_id).order_by(GovSanction.id)
    return list(session.scalars(q))


def _evaded(session: Session, case: GovCase, now: datetime) -> bool:
    """Is the case's account linked to an account under a permanent ban?"""
    account = session.get(GovAccount, case.account_id) if case.target_type == "account" else None
    if account is None or account.linked_to_id is None:
        return False
    status = targets.status(session, target_type="account", target_id=account.linked_to_id, now=now)
    return status["state"] == "banned"


def preview(
    session: Session,
    *,
    case_id: int,
    severity: str,
    category: str = "",
    evasion: bool = False,
    ladder: Ladder | None = None,
    now: datetime | None = None,
) -> Proposal:
    """The sanction a violation decision would bring now (shown before the moderator confirms)."""
    case = get_case(session, case_id)
    now = now or utcnow()
    strikes = targets.active_strikes(
        session, target_type=case.target_type, target_id=target_id(case), now=now
    )
    return propose(
        ladder or default_ladder(),
        target_type=case.target_type,
        severity=severity,
        category=category or case.category,
        active_strikes=strikes,
        evasion=evasion,
    )


@dataclass
class DecisionIn:
    outcome: str
    reason: str
    category: str = ""
    severity: str = "medium"
    evidence_verified: bool = False
    evasion: bool = False


def _sanction(
    case: GovCase,
    decision: GovDecision,
    kind: str,
    *,
    strikes: int,
    days: int | None,
    now: datetime,
    ladder: Ladder,
    features: tuple[str, ...] = (),
) -> GovSanction:
    return GovSanction(
        decision_id=decision.id,
        target_type=case.target_type,
        account_id=case.account_id,
        group_id=case.group_id,
        kind=kind,
        days=days,
        features=list(features) if kind == "restriction" else [],
        strikes=strikes,
        starts_at=now,
        ends_at=now + timedelta(days=days) if days and kind in ("restriction", "temp_ban") else None,
        strike_expires_at=ladder.strike_expiry(now) if strikes else None,
    )


def decide(
    session: Session,
    *,
    case_id: int,
    actor_id: int,
    decision: DecisionIn,
    ladder: Ladder | None = None,
    now: datetime | None = None,
) -> GovDecision:
    """A moderator's decision on an open case, with a reason. A violation needs the evidence
    verified; it creates the ladder's sanction (and removes the reported content of an account)."""
    check_decider(session, actor_id)
    ladder = ladder or default_ladder()
    now = now or utcnow()
    case = get_case(session, case_id)
    if case.status != "open":
        raise StateError(
            f"case {case_id} is {case.status}: only an open case is decided (appeals are resolved)"
        )
    if decision.outcome not in OUTCOMES:
        raise InvalidInputError(f"outcome must be one of {', '.join(OUTCOMES)}")
    reason = bounded(decision.reason, "reason", MAX_REASON, required=True)
    category = categories.validate(decision.category or case.category)
    if categories.root_of(category) != case.category:
        raise InvalidInputError(f"the category must be {case.category} or one of its subcategories")
    violation = decision.outcome == "violation"
    if violation and not decision.evidence_verified:
        raise InvalidInputError("a violation needs the evidence verified by the moderator: check it first")
    if decision.evasion and not _evaded(session, case, now):
        raise InvalidInputError("evasion needs the account linked to a permanently banned account")
    row = GovDecision(
        case_id=case.id,
        decided_by=actor_id,
        outcome=decision.outcome,
        category=category,
        severity=decision.severity,
        evidence_verified=bool(decision.evidence_verified),
        evasion=bool(decision.evasion and violation),
        reason=reason,
        state="in_force",
        decided_at=now,
    )
    proposal = None
    if violation:
        proposal = preview(
            session,
            case_id=case.id,
            severity=decision.severity,
            category=category,
            evasion=decision.evasion,
            ladder=ladder,
            now=now,
        )
    session.add(row)
    session.flush()
    made: list[GovSanction] = []
    if proposal is not None:
        made.append(
            _sanction(
                case,
                row,
                proposal.sanction,
                strikes=proposal.strikes,
                days=proposal.days,
                now=now,
                ladder=ladder,
                features=proposal.features,
            )
        )
        if case.target_type == "account" and ladder.targets["account"].remove_content:
            contents = reported_content(session, case)
            if contents and proposal.sanction != "content_removal":
                made.append(
                    _sanction(case, row, "content_removal", strikes=0, days=None, now=now, ladder=ladder)
                )
            for c in contents:
                c.removed_at = now
    session.add_all(made)
    case.status = "decided"
    case.decided_at = now
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="gov.case.decide",
        target_type="gov_case",
        target_id=case.id,
        reason=reason,
        data={
            "decision_id": row.id,
            "outcome": row.outcome,
            "category": category,
            "severity": row.severity,
            "evidence_verified": row.evidence_verified,
            "evasion": row.evasion,
            "rule": proposal.why if proposal else None,
            "strikes_total": proposal.total if proposal else None,
        },
    )
    for s in made:
        audit.record(
            session,
            actor_id=actor_id,
            action="gov.sanction.create",
            target_type=f"gov_{case.target_type}",
            target_id=target_id(case),
            reason=reason,
            data={
                "sanction_id": s.id,
                "kind": s.kind,
                "days": s.days,
                "features": s.features,
                "strikes": s.strikes,
                "decision_id": row.id,
            },
        )
    return row


def reported_content(session: Session, case: GovCase) -> list[GovContent]:
    ids = [c.id for c in complaints.for_case(session, case_id=case.id)]
    content_ids = [e.content_id for e in complaints.evidence_of(session, complaint_ids=ids) if e.content_id]
    if not content_ids:
        return []
    return list(session.scalars(select(GovContent).where(GovContent.id.in_(content_ids))))
