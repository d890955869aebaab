"""Removals (下架): take an app down, lift a removal, list removals and the overdue cases behind them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from hegui.service import crud
from hegui.service.api.deps import Overseer, Regulator, SessionDep, TodayDep
from hegui.service.api.errors import AUTH_ERRORS, CONFLICT, NOT_FOUND
from hegui.service.api.schemas.accounts import ReasonBody
from hegui.service.api.schemas.catalogue import RemovalPublic
from hegui.service.api.schemas.process import CasePublic, RemovalCreate
from hegui.service.db.models import Removal
from hegui.service.errors import NotFoundError, StateError

router = APIRouter(prefix="/removals", tags=["removals"], responses={**AUTH_ERRORS, **NOT_FOUND})


def _removal(session: Session, removal_id: int) -> Removal:
    removal = session.get(Removal, removal_id)
    if removal is None:
        raise NotFoundError(f"no removal with id {removal_id}")
    return removal


@router.get("", response_model=list[RemovalPublic], summary="Removals (active ones with active=true)")
def list_removals(
    session: SessionDep, _user: Overseer, active: Annotated[bool, Query()] = False
) -> list[Removal]:
    return crud.removals.list_removals(session, active_only=active)


@router.get(
    "/overdue",
    response_model=list[CasePublic],
    summary="Open rectification cases past their deadline: candidates for removal",
)
def overdue(session: SessionDep, today: TodayDep, _user: Overseer) -> list[CasePublic]:
    return [CasePublic.model_validate(c) for c in crud.cases.overdue(session, today=today)]


@router.post(
    "",
    response_model=RemovalPublic,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Remove an app (regulator), with a reason; closes its overdue cases as failed",
)
def remove_app(body: RemovalCreate, session: SessionDep, today: TodayDep, user: Regulator) -> Removal:
    removal = crud.removals.remove_app(
        session, app_id=body.app_id, reason=body.reason, actor_id=user.id, today=today
    )
    session.commit()
    return removal


@router.get("/{removal_id}", response_model=RemovalPublic, summary="A removal")
def get_removal(removal_id: int, session: SessionDep, _user: Overseer) -> Removal:
    return _removal(session, removal_id)


@router.post(
    "/{removal_id}/lift",
    response_model=RemovalPublic,
    responses=CONFLICT,
    summary="Lift a removal (regulator), with a reason",
)
def lift(removal_id: int, body: ReasonBody, session: SessionDep, user: Regulator) -> Removal:
    removal = _removal(session, removal_id)
    if removal.lifted_at is not None:
        raise StateError(f"removal {removal_id} was lifted already")
    lifted = crud.removals.lift_removal(session, app_id=removal.app_id, reason=body.reason, actor_id=user.id)
    session.commit()
    return lifted
