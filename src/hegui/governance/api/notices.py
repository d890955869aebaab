"""Public notices of a period and category: draft (counts frozen), publish; published ones are public."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import PlainTextResponse

from hegui.governance.api.deps import GovReader, Moderator
from hegui.governance.api.schemas import CategoryId, DecisionExport, IdPath, NoticeCreate, NoticePublic
from hegui.governance.crud import notices
from hegui.governance.domain.notice_counts import export
from hegui.governance.models import GovNotice
from hegui.service.api.deps import SessionDep
from hegui.service.api.errors import AUTH_ERRORS, CONFLICT, NOT_FOUND

router = APIRouter(prefix="/notices", tags=["governance"], responses={**AUTH_ERRORS, **NOT_FOUND})
public_router = APIRouter(prefix="/public/notices", tags=["public"], responses=NOT_FOUND)
Lang = Annotated[str, Query(pattern="^(zh|en)$")]


@router.post("", response_model=NoticePublic, status_code=status.HTTP_201_CREATED, summary="Draft a notice")
def create(body: NoticeCreate, session: SessionDep, user: Moderator) -> GovNotice:
    n = notices.create_notice(
        session,
        start=body.period_start,
        end=body.period_end,
        category=body.category,
        title=body.title,
        actor_id=user.id,
    )
    session.commit()
    return n


@router.get("", response_model=list[NoticePublic], summary="Notices, drafts included")
def list_all(session: SessionDep, _user: GovReader) -> list[GovNotice]:
    return notices.list_notices(session)


@router.get("/{notice_id}", response_model=NoticePublic, summary="A notice")
def get_one(notice_id: IdPath, session: SessionDep, _user: GovReader) -> GovNotice:
    return notices.get_notice(session, notice_id)


@router.post("/{notice_id}/publish", response_model=NoticePublic, responses=CONFLICT, summary="Publish")
def publish(notice_id: IdPath, session: SessionDep, user: Moderator) -> GovNotice:
    n = notices.publish(session, notice_id=notice_id, actor_id=user.id)
    session.commit()
    return n


@public_router.get("", response_model=list[NoticePublic], summary="Published governance notices (no login)")
def public_list(session: SessionDep) -> list[GovNotice]:
    return notices.list_notices(session, published_only=True)


@public_router.get("/{notice_id}", response_model=NoticePublic, summary="A published notice (no login)")
def public_one(notice_id: IdPath, session: SessionDep) -> GovNotice:
    return notices.get_notice(session, notice_id, published_only=True)


@public_router.get("/{notice_id}/text", response_class=PlainTextResponse, summary="The notice as text")
def public_text(notice_id: IdPath, session: SessionDep, lang: Lang = "zh") -> str:
    n = notices.get_notice(session, notice_id, published_only=True)
    return notices.render(n, lang)[1]


@router.get(
    "/export/decisions",
    response_model=list[DecisionExport],
    summary="Decided violations of a period, identifiers masked (transparency reports)",
)
def export_decisions(
    session: SessionDep,
    _user: GovReader,
    start: Annotated[date, Query()],
    end: Annotated[date, Query()],
    category: Annotated[CategoryId | None, Query()] = None,
) -> list[dict[str, object]]:
    return export(notices.rows(session, start=start, end=end, category=category or ""))
