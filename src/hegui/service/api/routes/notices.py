"""Notice batches (通报): draft, add apps with their problems, publish; the public list of published ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.orm import Session

from hegui.service import crud
from hegui.service.api import views
from hegui.service.api.deps import Overseer, Regulator, SessionDep, SettingsDep, TodayDep, require
from hegui.service.api.errors import AUTH_ERRORS, CONFLICT, NOT_FOUND
from hegui.service.api.schemas.process import (
    CandidatePublic,
    NoticeCreate,
    NoticeEntryCreate,
    NoticeEntryPublic,
    NoticePublic,
    PublishedNotice,
)
from hegui.service.db.models import NoticeBatch, NoticeEntry, User
from hegui.service.errors import NotFoundError

router = APIRouter(prefix="/notices", tags=["notices"], responses={**AUTH_ERRORS, **NOT_FOUND})
public_router = APIRouter(prefix="/public", tags=["public"])

CandidateReader = Annotated[User, Depends(require("regulator", "reviewer"))]
MAX_PUBLIC = 200


def _batch(session: Session, notice_id: int) -> NoticeBatch:
    batch = crud.notices.get_notice(session, notice_id)
    if batch is None:
        raise NotFoundError(f"no notice with id {notice_id}")
    return batch


@router.get("", response_model=list[NoticePublic], summary="Notices, drafts included")
def list_notices(
    session: SessionDep, _user: Overseer, published_only: Annotated[bool, Query()] = False
) -> list[NoticePublic]:
    return [
        views.notice_public(session, b)
        for b in crud.notices.list_notices(session, published_only=published_only)
    ]


@router.post(
    "",
    response_model=NoticePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Draft a notice (regulator)",
)
def create_notice(body: NoticeCreate, session: SessionDep, user: Regulator) -> NoticePublic:
    batch = crud.notices.create_notice(
        session, title=body.title, number=body.number, deadline=body.deadline, actor_id=user.id
    )
    session.commit()
    return views.notice_public(session, batch)


@router.get(
    "/candidates",
    response_model=list[CandidatePublic],
    summary="Apps whose latest analysed version fails and that no notice names yet",
)
def candidates(
    session: SessionDep, _user: CandidateReader, campaign_id: Annotated[int | None, Query(ge=1)] = None
) -> list[CandidatePublic]:
    return [
        CandidatePublic(
            app_id=app.id,
            package=app.package,
            organisation_id=app.organisation_id,
            version_id=version.id,
            version_code=version.version_code,
            result_id=result.id,
            problems=crud.notices.problems_for(result),
        )
        for app, version, result in crud.notices.candidates(session, campaign_id=campaign_id)
    ]


@router.get("/{notice_id}", response_model=NoticePublic, summary="A notice with its entries and cases")
def get_notice(notice_id: int, session: SessionDep, _user: Overseer) -> NoticePublic:
    return views.notice_public(session, _batch(session, notice_id))


@router.post(
    "/{notice_id}/entries",
    response_model=NoticeEntryPublic,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Name an app in a draft notice (regulator); problems default to the version's result",
)
def add_entry(
    notice_id: int, body: NoticeEntryCreate, session: SessionDep, user: Regulator
) -> NoticeEntryPublic:
    if body.problems is not None:
        problems = body.problems.model_dump()
    elif (
        body.version_id is not None
        and (result := crud.results.get_result(session, version_id=body.version_id)) is not None
    ):
        problems = crud.notices.problems_for(result)
    else:
        problems = {"rules": [], "text": ""}
    entry = crud.notices.add_entry(
        session,
        batch_id=notice_id,
        app_id=body.app_id,
        version_id=body.version_id,
        problems=problems,
        actor_id=user.id,
    )
    session.commit()
    return views.entry_public(session, entry)


@router.delete(
    "/{notice_id}/entries/{entry_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=CONFLICT,
    summary="Take an app out of a draft notice (regulator)",
)
def remove_entry(notice_id: int, entry_id: int, session: SessionDep, user: Regulator) -> None:
    entry = session.get(NoticeEntry, entry_id)
    if entry is None or entry.batch_id != notice_id:
        raise NotFoundError(f"notice {notice_id} has no entry {entry_id}")
    crud.notices.remove_entry(session, entry_id=entry_id, actor_id=user.id)
    session.commit()


@router.post(
    "/{notice_id}/publish",
    response_model=NoticePublic,
    responses=CONFLICT,
    summary="Publish a draft notice (regulator): opens rectification cases, applies the strike rule",
)
def publish(
    notice_id: int, session: SessionDep, settings: SettingsDep, today: TodayDep, user: Regulator
) -> NoticePublic:
    batch = crud.notices.publish_notice(
        session, batch_id=notice_id, actor_id=user.id, today=today, threshold=settings.strike_threshold
    )
    session.commit()
    return views.notice_public(session, batch)


@public_router.get(
    "/notices",
    response_model=list[PublishedNotice],
    summary="Published notices (no authentication: they are public)",
)
def public_notices(
    session: SessionDep, limit: Annotated[int, Query(ge=1, le=MAX_PUBLIC)] = 50
) -> list[PublishedNotice]:
    batches = crud.notices.list_notices(session, published_only=True)[:limit]
    out = []
    for b in batches:
        full = views.notice_public(session, b)
        out.append(PublishedNotice(**full.model_dump(include=set(PublishedNotice.model_fields))))
    return out
