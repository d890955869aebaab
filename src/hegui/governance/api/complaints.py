"""Complaints from the platform's clients (any authenticated role), and the screening endpoint."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from hegui.governance.api.deps import Client
from hegui.governance.api.schemas import ComplaintCreate, ComplaintPublic, ScreenRequest
from hegui.governance.crud import complaints
from hegui.governance.crud.complaints import ComplaintIn, EvidenceIn
from hegui.governance.domain import screening
from hegui.governance.models import GovComplaint
from hegui.service.api.deps import SessionDep
from hegui.service.api.errors import AUTH_ERRORS

router = APIRouter(tags=["governance"], responses=AUTH_ERRORS)


@router.post(
    "/complaints",
    response_model=ComplaintPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Submit a complaint (举报) against an account or a group, with evidence",
)
def submit(body: ComplaintCreate, session: SessionDep, user: Client) -> GovComplaint:
    row = complaints.submit(
        session,
        ComplaintIn(
            target_type=body.target_type,
            target_uid=body.target_uid,
            target_name=body.target_name,
            category=body.category,
            text=body.text,
            reporter_uid=body.reporter_uid or "",
            evidence=[EvidenceIn(e.kind, e.text, e.url, e.media_ref, e.forwarded) for e in body.evidence],
        ),
        source="client",
        submitted_by=user.id,
    )
    session.commit()
    return row


@router.post(
    "/screen",
    summary="Screen a text: scores per category and evidence spans (orders the queue; never sanctions)",
    responses={503: {"description": "The screener is not installed (kind: screener_unavailable)"}},
)
def screen(body: ScreenRequest, _user: Client) -> dict[str, Any]:
    return screening.screen_text(body.text)
