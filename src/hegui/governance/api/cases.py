"""The review queue, cases with their evidence, and moderators' decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hegui.governance.api.deps import GovReader, Moderator
from hegui.governance.api.schemas import (
    AppealPublic,
    CaseDetail,
    CasePublic,
    CategoryId,
    ComplaintPublic,
    DecisionCreate,
    DecisionPublic,
    DecisionResult,
    EvidencePublic,
    IdPath,
    ProposalPublic,
    SanctionPublic,
    Severity,
)
from hegui.governance.crud import appeals, cases, complaints
from hegui.governance.crud.cases import DecisionIn
from hegui.governance.models import GovAccount, GovCase
from hegui.service.api.deps import SessionDep
from hegui.service.api.errors import AUTH_ERRORS, CONFLICT, NOT_FOUND

router = APIRouter(prefix="/cases", tags=["governance"], responses={**AUTH_ERRORS, **NOT_FOUND})


@router.get(
    "/queue", response_model=list[CasePublic], summary="Cases to review: appealed, then by score, reports"
)
def queue(
    session: SessionDep,
    _user: GovReader,
    category: Annotated[CategoryId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> list[GovCase]:
    return cases.queue(session, category=category or "", limit=limit)


@router.get("", response_model=list[CasePublic], summary="Cases, newest first")
def list_cases(
    session: SessionDep,
    _user: GovReader,
    status: Annotated[str | None, Query(pattern="^(open|decided|appealed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> list[GovCase]:
    return cases.list_cases(session, status=status or "", limit=limit)


def detail(session: SessionDep, case_id: int) -> CaseDetail:
    case = cases.get_case(session, case_id)
    target = cases.target_of(session, case)
    rows = complaints.for_case(session, case_id=case.id)
    decisions = cases.decisions_of(session, case_id=case.id)
    sanctions = [s for d in decisions for s in cases.sanctions_of_decision(session, decision_id=d.id)]
    if isinstance(target, GovAccount):
        info = {
            "type": "account",
            "uid": target.uid,
            "nickname": target.nickname,
            "linked_to_id": target.linked_to_id,
        }
    else:
        info = {"type": "group", "gid": target.gid, "name": target.name}
    return CaseDetail(
        case=CasePublic.model_validate(case),
        target=info,
        complaints=[ComplaintPublic.model_validate(c) for c in rows],
        evidence=[
            EvidencePublic.model_validate(e)
            for e in complaints.evidence_of(session, complaint_ids=[c.id for c in rows])
        ],
        decisions=[DecisionPublic.model_validate(d) for d in decisions],
        sanctions=[SanctionPublic.model_validate(s) for s in sanctions],
        appeals=[
            AppealPublic.model_validate(a)
            for a in appeals.appeals_of(session, decision_ids=[d.id for d in decisions])
        ],
    )


@router.get(
    "/{case_id}", response_model=CaseDetail, summary="A case: target, complaints, evidence, decisions"
)
def get_case(case_id: IdPath, session: SessionDep, _user: GovReader) -> CaseDetail:
    return detail(session, case_id)


@router.get(
    "/{case_id}/proposal",
    response_model=ProposalPublic,
    summary="The sanction a violation would bring (moderator)",
)
def proposal(
    case_id: IdPath,
    session: SessionDep,
    _user: Moderator,
    severity: Annotated[Severity, Query()] = "medium",
    category: Annotated[CategoryId | None, Query()] = None,
    evasion: bool = False,
) -> ProposalPublic:
    p = cases.preview(session, case_id=case_id, severity=severity, category=category or "", evasion=evasion)
    return ProposalPublic(sanction=p.sanction, days=p.days, strikes=p.strikes, total=p.total, why=p.why)


@router.post(
    "/{case_id}/decision",
    response_model=DecisionResult,
    status_code=201,
    responses=CONFLICT,
    summary="Decide a case (moderator): verified evidence and a reason; the ladder chooses the sanction",
)
def decide(case_id: IdPath, body: DecisionCreate, session: SessionDep, user: Moderator) -> DecisionResult:
    d = cases.decide(
        session,
        case_id=case_id,
        actor_id=user.id,
        decision=DecisionIn(
            outcome=body.outcome,
            reason=body.reason,
            category=body.category or "",
            severity=body.severity,
            evidence_verified=body.evidence_verified,
            evasion=body.evasion,
        ),
    )
    session.commit()
    made = cases.sanctions_of_decision(session, decision_id=d.id)
    return DecisionResult(
        decision=DecisionPublic.model_validate(d), sanctions=[SanctionPublic.model_validate(s) for s in made]
    )
