"""The reviewer queue, the case page (evidence, decisions, sanctions, appeals) and its forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from hegui.governance.crud import appeals, cases, complaints, targets
from hegui.governance.crud.cases import DecisionIn
from hegui.governance.models import OUTCOMES, SEVERITIES, GovAccount
from hegui.governance.web.deps import IdPath, Moderator, Reader
from hegui.governance.web.forms import checked, choice
from hegui.governance.web.render import page
from hegui.service.api.deps import SessionDep
from hegui.service.crud import audit
from hegui.service.db.models import User
from hegui.service.errors import InvalidInputError, StateError
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.render import WebRoute, read_form, redirect, text_field

router = APIRouter(route_class=WebRoute)


@router.get("/queue")
def queue_page(request: Request, user: Reader, session: SessionDep) -> Response:
    rows = []
    for case in cases.queue(session):
        target = cases.target_of(session, case)
        ident = target.uid if isinstance(target, GovAccount) else target.gid
        rows.append({"case": case, "ident": ident})
    return page(request, "gov/queue.html.j2", {"rows": rows}, user=user)


def _case_context(session: SessionDep, case_id: int, user: User) -> dict[str, Any]:
    case = cases.get_case(session, case_id)
    target = cases.target_of(session, case)
    rows = complaints.for_case(session, case_id=case.id)
    decisions = cases.decisions_of(session, case_id=case.id)
    tid = cases.target_id(case)
    ctx: dict[str, Any] = {
        "case": case,
        "target": target,
        "is_account": isinstance(target, GovAccount),
        "complaints": rows,
        "evidence": complaints.evidence_of(session, complaint_ids=[c.id for c in rows]),
        "decisions": [
            {
                "d": d,
                "sanctions": cases.sanctions_of_decision(session, decision_id=d.id),
                "decider": session.get(User, d.decided_by),
            }
            for d in decisions
        ],
        "appeals": appeals.appeals_of(session, decision_ids=[d.id for d in decisions]),
        "status": targets.status(session, target_type=case.target_type, target_id=tid),
        "can_decide": user.role in ("moderator", "admin"),
        "severities": SEVERITIES,
        "outcomes": OUTCOMES,
        "proposal": None,
        "audit": [
            {"row": r, "actor": session.get(User, r.actor_id) if r.actor_id else None}
            for r in audit.list_for(session, target_type="gov_case", target_id=case.id, limit=50)
        ],
    }
    if case.status == "open":
        ctx["proposal"] = cases.preview(session, case_id=case.id, severity="medium")
    return ctx


def _case_page(
    request: Request, user: User, session: SessionDep, case_id: int, *, error: str = "", status: int = 200
) -> Response:
    ctx = _case_context(session, case_id, user)
    ctx["error"] = error
    return page(request, "gov/case.html.j2", ctx, user=user, status=status)


@router.get("/cases/{case_id}")
def case_page(case_id: IdPath, request: Request, user: Reader, session: SessionDep) -> Response:
    return _case_page(request, user, session, case_id)


async def _act(request: Request, user: User, session: SessionDep, case_id: int, action: Any) -> Response:
    """Run a form action; a refused one re-renders the case page with the message (422 / 409)."""
    form = await read_form(request)
    try:
        action(form)
    except (InvalidInputError, StateError) as exc:
        session.rollback()
        msg = t("gov_field_error", request_lang(request), msg=str(exc))
        return _case_page(request, user, session, case_id, error=msg, status=exc.http_status)
    session.commit()
    return redirect(request, f"/governance/cases/{case_id}")


@router.post("/cases/{case_id}/decide")
async def decide(case_id: IdPath, request: Request, user: Moderator, session: SessionDep) -> Response:
    def act(form: Any) -> None:
        cases.decide(
            session,
            case_id=case_id,
            actor_id=user.id,
            decision=DecisionIn(
                outcome=choice(form, "outcome", OUTCOMES, "violation"),
                reason=text_field(form, "reason", max_len=2000),
                category=text_field(form, "category", max_len=81),
                severity=choice(form, "severity", SEVERITIES, "medium"),
                evidence_verified=checked(form, "verified"),
                evasion=checked(form, "evasion"),
            ),
        )

    return await _act(request, user, session, case_id, act)


@router.post("/cases/{case_id}/appeal")
async def file_appeal(case_id: IdPath, request: Request, user: Moderator, session: SessionDep) -> Response:
    def act(form: Any) -> None:
        decision_id = text_field(form, "decision_id", max_len=12)
        ids = [d.id for d in cases.decisions_of(session, case_id=case_id)]
        if not decision_id.isdigit() or int(decision_id) not in ids:
            raise InvalidInputError("not a decision of this case")
        appeals.file_appeal(
            session,
            decision_id=int(decision_id),
            text=text_field(form, "text", max_len=2000),
            filed_by=user.id,
        )

    return await _act(request, user, session, case_id, act)


@router.post("/cases/{case_id}/appeals/{appeal_id}/resolve")
async def resolve_appeal(
    case_id: IdPath, appeal_id: IdPath, request: Request, user: Moderator, session: SessionDep
) -> Response:
    def act(form: Any) -> None:
        appeals.resolve_appeal(
            session,
            appeal_id=appeal_id,
            actor_id=user.id,
            resolution=choice(form, "resolution", appeals.RESOLUTIONS, "upheld"),
            reason=text_field(form, "reason", max_len=2000),
        )

    return await _act(request, user, session, case_id, act)


@router.get("/appeals")
def appeals_page(request: Request, user: Reader, session: SessionDep) -> Response:
    from hegui.governance.models import GovDecision

    rows = [
        {"a": a, "case_id": session.get(GovDecision, a.decision_id).case_id} for a in appeals.pending(session)
    ]  # type: ignore[union-attr]
    return page(request, "gov/appeals.html.j2", {"rows": rows}, user=user)
