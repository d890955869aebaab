"""Appeals: filed by the platform's clients for the user (within the window), resolved by a moderator."""

from __future__ import annotations

from fastapi import APIRouter, status

from hegui.governance.api.deps import Client, GovReader, Moderator
from hegui.governance.api.schemas import AppealCreate, AppealPublic, AppealResolve, IdPath
from hegui.governance.crud import appeals
from hegui.governance.models import GovAppeal
from hegui.service.api.deps import SessionDep
from hegui.service.api.errors import AUTH_ERRORS, CONFLICT, NOT_FOUND

router = APIRouter(prefix="/appeals", tags=["governance"], responses={**AUTH_ERRORS, **NOT_FOUND, **CONFLICT})


@router.post("", response_model=AppealPublic, status_code=status.HTTP_201_CREATED, summary="File an appeal")
def file_appeal(body: AppealCreate, session: SessionDep, user: Client) -> GovAppeal:
    appeal = appeals.file_appeal(session, decision_id=body.decision_id, text=body.text, filed_by=user.id)
    session.commit()
    return appeal


@router.get("", response_model=list[AppealPublic], summary="Pending appeals")
def pending(session: SessionDep, _user: GovReader) -> list[GovAppeal]:
    return appeals.pending(session)


@router.post("/{appeal_id}/resolve", response_model=AppealPublic, summary="Uphold or overturn (moderator)")
def resolve(appeal_id: IdPath, body: AppealResolve, session: SessionDep, user: Moderator) -> GovAppeal:
    appeal = appeals.resolve_appeal(
        session, appeal_id=appeal_id, actor_id=user.id, resolution=body.resolution, reason=body.reason
    )
    session.commit()
    return appeal
