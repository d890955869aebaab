"""Registration controls (moderator sets, regulator reads) and the public status a client shows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from hegui.governance.api.deps import GovReader, Moderator
from hegui.governance.api.schemas import (
    ControlPublic,
    ControlSet,
    RegistrationCheck,
    RegistrationDecision,
    RegistrationStatus,
)
from hegui.governance.crud import registration
from hegui.governance.crud.registration import ControlIn
from hegui.governance.domain.registration import Applicant
from hegui.governance.models import GovRegistrationControl
from hegui.service.api.deps import SessionDep
from hegui.service.api.errors import AUTH_ERRORS

router = APIRouter(prefix="/registration/controls", tags=["governance"], responses=AUTH_ERRORS)
public_router = APIRouter(prefix="/public/registration", tags=["public"])
Channel = Annotated[str, Path(pattern=r"^(\*|[a-z][a-z0-9_-]{0,39})$")]


@router.get("", response_model=list[ControlPublic], summary="Registration controls of every channel")
def list_controls(session: SessionDep, _user: GovReader) -> list[GovRegistrationControl]:
    return registration.list_controls(session)


@router.put(
    "/{channel}", response_model=ControlPublic, summary="Set a channel's controls ('*': all), with a reason"
)
def set_control(
    channel: Channel, body: ControlSet, session: SessionDep, user: Moderator
) -> GovRegistrationControl:
    values = ControlIn(**body.model_dump(exclude={"reason"}))
    row = registration.set_control(
        session, channel=channel, values=values, actor_id=user.id, reason=body.reason
    )
    session.commit()
    return row


@public_router.get(
    "", response_model=RegistrationStatus, summary="Can a user register on this channel? (no login)"
)
def status(
    session: SessionDep,
    channel: Annotated[str, Query(pattern=r"^[a-z][a-z0-9_-]{0,39}$")] = "app",
    lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh",
) -> dict[str, object]:
    return registration.effective(session, channel=channel, lang=lang)


@public_router.post(
    "/check",
    response_model=RegistrationDecision,
    summary="May this applicant register now? Every refusal reason, with its rule (no login; nothing stored)",
)
def check(
    body: RegistrationCheck,
    session: SessionDep,
    lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh",
) -> dict[str, object]:
    applicant = Applicant(**body.model_dump(exclude={"channel"}))
    return registration.check(session, channel=body.channel, applicant=applicant, lang=lang)
