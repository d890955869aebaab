"""Status of an account or a group (for the platform's clients), and account links (evasion)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from hegui.governance.api.deps import Client, Moderator
from hegui.governance.api.schemas import LinkCreate, SanctionPublic, StatusPublic
from hegui.governance.crud import targets
from hegui.service.api.deps import SessionDep
from hegui.service.api.errors import AUTH_ERRORS, NOT_FOUND

router = APIRouter(tags=["governance"], responses=AUTH_ERRORS)
UidPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.@+-]{1,64}$")]


def _status(session: SessionDep, target_type: str, uid: str) -> StatusPublic:
    row = (
        targets.get_account(session, uid=uid)
        if target_type == "account"
        else targets.get_group(session, gid=uid)
    )
    if row is None:  # unknown to governance: nothing against it
        return StatusPublic(
            target_type=target_type,
            uid=uid,
            known=False,
            state="active",
            until=None,
            active_strikes=0,
            sanctions=[],
        )
    st = targets.status(session, target_type=target_type, target_id=row.id)
    return StatusPublic(
        target_type=target_type,
        uid=uid,
        known=True,
        state=st["state"],
        until=st["until"],
        active_strikes=st["active_strikes"],
        sanctions=[SanctionPublic.model_validate(s) for s in st["sanctions"]],
    )


@router.get(
    "/accounts/{uid}/status", response_model=StatusPublic, summary="An account's status and sanctions"
)
def account_status(uid: UidPath, session: SessionDep, _user: Client) -> StatusPublic:
    return _status(session, "account", uid)


@router.get(
    "/groups/{gid}/status", response_model=StatusPublic, summary="A group chat's status and sanctions"
)
def group_status(gid: UidPath, session: SessionDep, _user: Client) -> StatusPublic:
    return _status(session, "group", gid)


@router.post(
    "/accounts/{uid}/link",
    response_model=StatusPublic,
    responses=NOT_FOUND,
    summary="Link an account to another one of the same person (moderator; evasion of a ban)",
)
def link(uid: UidPath, body: LinkCreate, session: SessionDep, user: Moderator) -> StatusPublic:
    targets.link_accounts(session, uid=uid, linked_uid=body.linked_uid, actor_id=user.id, reason=body.reason)
    session.commit()
    return _status(session, "account", uid)
