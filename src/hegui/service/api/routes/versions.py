"""Versions (uploaded APKs): the version, its analysis job, its result (report JSON) and HTML report."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from hegui.service import crud
from hegui.service.api import views
from hegui.service.api.deps import AnyRole, SessionDep, check_org
from hegui.service.api.errors import AUTH_ERRORS, NOT_FOUND, as_json
from hegui.service.api.schemas.catalogue import JobPublic, ResultPublic, VersionPublic
from hegui.service.db.models import App, Result, User, Version
from hegui.service.errors import NotFoundError

ERRORS = {**AUTH_ERRORS, **NOT_FOUND}
router = APIRouter(prefix="/versions", tags=["versions"])

# the report is self-contained: inline CSS, inline SVG, no script, nothing loaded from elsewhere
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def visible_version(session: Session, version_id: int, user: User) -> Version:
    version = crud.versions.get_version(session, version_id)
    if version is None:
        raise NotFoundError(f"no version with id {version_id}")
    app = session.get(App, version.app_id)
    check_org(user, app.organisation_id if app is not None else None, f"version {version_id}")
    return version


def _result(session: Session, version: Version) -> Result:
    result = crud.results.get_result(session, version_id=version.id)
    if result is None:
        raise NotFoundError(
            f"version {version.id} has no result yet; poll /api/v1/versions/{version.id}/job until it is done"
        )
    return result


@router.get(
    "/{version_id}", response_model=VersionPublic, responses=ERRORS, summary="A version (an uploaded APK)"
)
def get_version(version_id: int, session: SessionDep, user: AnyRole) -> VersionPublic:
    return views.version_public(session, visible_version(session, version_id, user))


@router.get(
    "/{version_id}/job",
    response_model=JobPublic,
    responses=ERRORS,
    summary="The latest analysis job of a version",
)
def get_job(version_id: int, session: SessionDep, user: AnyRole) -> JobPublic:
    version = visible_version(session, version_id, user)
    job = views.latest_job(session, version.id)
    if job is None:
        raise NotFoundError(f"version {version_id} has no analysis job")
    return views.job_public(job)


@router.get(
    "/{version_id}/result",
    response_model=ResultPublic,
    responses=ERRORS,
    summary="The result: verdict, effective verdict after review, and the JSON report",
)
def get_result(version_id: int, session: SessionDep, user: AnyRole) -> ResultPublic:
    version = visible_version(session, version_id, user)
    return views.result_public(session, _result(session, version))


@router.get(
    "/{version_id}/report.html",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}, "description": "The HTML test report"}, **as_json(ERRORS)},
    summary="The HTML test report of a version",
)
def get_report_html(
    version_id: int,
    session: SessionDep,
    user: AnyRole,
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> HTMLResponse:
    from hegui.report import get_formatter
    from hegui.report.model import Report

    version = visible_version(session, version_id, user)
    report = Report.model_validate(_result(session, version).report)
    html = get_formatter("html").render(report, lang=lang)
    body = html if isinstance(html, str) else html.decode("utf-8")
    return HTMLResponse(body, headers={"Content-Security-Policy": REPORT_CSP})
