"""ORM rows → response schemas (the reads a response needs beyond the row itself)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service import crud
from hegui.service.api.schemas.catalogue import (
    AppDetail,
    AppPublic,
    JobPublic,
    RemovalPublic,
    ResultPublic,
    ReviewDecisionPublic,
    VersionPublic,
)
from hegui.service.api.schemas.common import API, version_links
from hegui.service.api.schemas.process import CasePublic, NoticeEntryPublic, NoticePublic
from hegui.service.db.models import (
    App,
    Job,
    NoticeBatch,
    NoticeEntry,
    Organisation,
    RectificationCase,
    Result,
    Version,
)


def app_public(session: Session, app: App) -> AppPublic:
    removed = crud.removals.active_removal(session, app_id=app.id) is not None
    return AppPublic.model_validate(app).model_copy(update={"removed": removed})


def version_public(session: Session, version: Version, *, package: str | None = None) -> VersionPublic:
    result = crud.results.get_result(session, version_id=version.id)
    if package is None:
        app = session.get(App, version.app_id)
        package = app.package if app is not None else ""
    return VersionPublic.model_validate(version).model_copy(
        update={
            "package": package,
            "verdict": result.verdict if result is not None else None,
            "links": version_links(version.id),
        }
    )


def app_detail(session: Session, app: App) -> AppDetail:
    removal = crud.removals.active_removal(session, app_id=app.id)
    versions = [
        version_public(session, v, package=app.package)
        for v in crud.versions.list_versions(session, app_id=app.id)
    ]
    base = AppPublic.model_validate(app).model_dump()
    return AppDetail(
        **{**base, "removed": removal is not None},
        versions=versions,
        removal=RemovalPublic.model_validate(removal) if removal is not None else None,
    )


def latest_job(session: Session, version_id: int) -> Job | None:
    return session.scalars(
        select(Job).where(Job.version_id == version_id).order_by(Job.id.desc()).limit(1)
    ).first()


def job_public(job: Job) -> JobPublic:
    return JobPublic.model_validate(job)


def result_public(session: Session, result: Result) -> ResultPublic:
    decisions = crud.reviews.list_decisions(session, result_id=result.id)
    return ResultPublic(
        id=result.id,
        version_id=result.version_id,
        verdict=result.verdict,  # type: ignore[arg-type]
        effective_verdict=crud.reviews.effective_verdict(session, result=result),  # type: ignore[arg-type]
        hegui_version=result.hegui_version,
        created_at=result.created_at,
        review_items=crud.reviews.review_items(result.report or {}),
        decisions=[ReviewDecisionPublic.model_validate(d) for d in decisions],
        report=result.report or {},
        links=version_links(result.version_id),
    )


def _case(session: Session, entry_id: int) -> RectificationCase | None:
    return session.scalar(select(RectificationCase).where(RectificationCase.notice_entry_id == entry_id))


def entry_public(session: Session, entry: NoticeEntry) -> NoticeEntryPublic:
    app = session.get(App, entry.app_id)
    assert app is not None
    org = session.get(Organisation, app.organisation_id)
    version = session.get(Version, entry.version_id) if entry.version_id is not None else None
    case = _case(session, entry.id)
    return NoticeEntryPublic(
        id=entry.id,
        app_id=app.id,
        package=app.package,
        app_name=app.name,
        organisation_id=app.organisation_id,
        organisation=org.name if org is not None else "",
        version_id=entry.version_id,
        version_code=version.version_code if version is not None else None,
        version_name=version.version_name if version is not None else None,
        problems=entry.problems or {},
        case=CasePublic.model_validate(case) if case is not None else None,
    )


def notice_public(session: Session, batch: NoticeBatch) -> NoticePublic:
    entries = crud.notices.list_entries(session, batch_id=batch.id)
    return NoticePublic(
        id=batch.id,
        title=batch.title,
        number=batch.number,
        status=batch.status,  # type: ignore[arg-type]
        deadline=batch.deadline,
        created_at=batch.created_at,
        published_at=batch.published_at,
        published_on=batch.published_on,
        entries=[entry_public(session, e) for e in entries],
    )


def notice_link(batch_id: int) -> str:
    return f"{API}/notices/{batch_id}"
