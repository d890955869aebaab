"""Jobs, results, the HTML report and the reviewer's checklist."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from hegui.service import crud
from hegui.service.api.deps import SessionDep, check_org
from hegui.service.db.models import REVIEW_DECISIONS, App, Job, Result, User, Version
from hegui.service.errors import InvalidInputError, NotFoundError
from hegui.service.web import checklist, queries
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.render import WebRoute, page, page_user, read_form, text_field

router = APIRouter(route_class=WebRoute, include_in_schema=False)

READERS = ("developer", "reviewer", "store", "regulator")  # + admin; developers: their own org only
Reader = Annotated[User, Depends(page_user(*READERS))]
ReviewerUser = Annotated[User, Depends(page_user("reviewer"))]
MAX_NOTE = 2000
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'"
)


def _version_for(session: SessionDep, user: User, version_id: int, what: str) -> Version:
    version = session.get(Version, version_id)
    if version is None:
        raise NotFoundError(f"{what} not found")
    app = session.get(App, version.app_id)
    check_org(user, app.organisation_id if app else None, what)
    return version


def _result_for(session: SessionDep, user: User, result_id: int) -> tuple[Result, Version]:
    result = session.get(Result, result_id)
    if result is None:
        raise NotFoundError("result not found")
    return result, _version_for(session, user, result.version_id, "result")


def _can_review(user: User) -> bool:
    return user.role in ("reviewer", "admin")


def _job_error(job: Job, lang: str) -> str:
    """Why a job failed: the APK's problem as hegui words it; never internals (paths, exceptions)."""
    error = (job.error or "").strip()
    if not error or error.startswith(("internal", "crash")):
        return t("job_failed_internal", lang)
    return re.sub(r"(/[^\s/]+)+/([0-9a-f]{64}\.apk)", r"\2", error)[:500]


def _job_context(session: SessionDep, user: User, job: Job, lang: str) -> dict[str, object]:
    result = session.scalar(select(Result).where(Result.version_id == job.version_id))
    return {
        "job_error": _job_error(job, lang) if job.status == "failed" else "",
        "job": job,
        "result": result,
        "live": result is None and job.status in ("queued", "running"),
        "reasons": queries.reasons(result.report, lang) if result else [],
        "can_review": _can_review(user),
    }


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, user: Reader, session: SessionDep) -> Response:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFoundError("job not found")
    version = _version_for(session, user, job.version_id, "job")
    ctx = _job_context(session, user, job, request_lang(request))
    ctx["info"] = queries.version_info(session, version)
    return page(request, "job.html.j2", ctx, user=user)


@router.get("/jobs/{job_id}/status")
def job_status(request: Request, job_id: int, user: Reader, session: SessionDep) -> Response:
    """The status card alone, polled by htmx every 2 s until the verdict is in."""
    job = session.get(Job, job_id)
    if job is None:
        raise NotFoundError("job not found")
    _version_for(session, user, job.version_id, "job")
    return page(
        request, "_job_status.html.j2", _job_context(session, user, job, request_lang(request)), user=user
    )


@router.get("/results/{result_id}")
def result_page(request: Request, result_id: int, user: Reader, session: SessionDep) -> Response:
    result, version = _result_for(session, user, result_id)
    lang = request_lang(request)
    keys = checklist.item_keys(result)
    decided = checklist.decisions(session, result)
    ctx = {
        "result": result,
        "info": queries.version_info(session, version),
        "reasons": queries.reasons(result.report, lang),
        "can_review": _can_review(user),
        "review_total": len(keys),
        "review_done": sum(1 for k in keys if k in decided),
    }
    return page(request, "result.html.j2", ctx, user=user)


@router.get("/results/{result_id}/report")
def result_report(request: Request, result_id: int, user: Reader, session: SessionDep) -> Response:
    """The stored result's HTML report, as the CLI writes it (its own CSS and CSP, no scripts)."""
    from hegui.report import get_formatter
    from hegui.report.model import Report

    result, _ = _result_for(session, user, result_id)
    try:
        report = Report.model_validate(result.report)
    except ValueError as exc:
        raise InvalidInputError("the stored report cannot be read by this version of hegui") from exc
    html = get_formatter("html").render(report, lang=request_lang(request))
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": REPORT_CSP,
            "X-Frame-Options": "SAMEORIGIN",
            "Cache-Control": "no-store",
        },
    )


def _checklist_context(
    session: SessionDep, user: User, result: Result, version: Version, lang: str
) -> dict[str, object]:
    decided = checklist.decisions(session, result)
    keys = checklist.item_keys(result)
    groups = checklist.rulebook_groups(lang, decided)
    return {
        "result": result,
        "info": queries.version_info(session, version),
        "whole": checklist.whole_version(lang, decided),
        "findings": checklist.finding_items(result, lang, decided),
        "groups": groups,
        "n_items": sum(len(g["items"]) for g in groups),
        "done": sum(1 for k in keys if k in decided),
        "total": len(keys),
        "can_decide": _can_review(user),
    }


@router.get("/results/{result_id}/review")
def review_page(request: Request, result_id: int, user: ReviewerUser, session: SessionDep) -> Response:
    result, version = _result_for(session, user, result_id)
    ctx = _checklist_context(session, user, result, version, request_lang(request))
    return page(request, "review.html.j2", ctx, user=user)


@router.post("/results/{result_id}/review")
async def review_decide(
    request: Request, result_id: int, user: ReviewerUser, session: SessionDep
) -> Response:
    result, version = _result_for(session, user, result_id)
    form = await read_form(request)
    item = text_field(form, "item", max_len=100, required=True)
    decision = text_field(form, "decision", max_len=20, required=True)
    note = text_field(form, "note", max_len=MAX_NOTE)
    if decision not in REVIEW_DECISIONS:
        raise InvalidInputError(f"decision: one of {', '.join(REVIEW_DECISIONS)}")
    if item not in checklist.item_keys(result):
        raise InvalidInputError("item: not on this result's checklist")
    crud.reviews.decide_item(
        session, result_id=result.id, item=item, decision=decision, note=note, reviewer_id=user.id
    )
    if crud.reviews.effective_verdict(session, result=result) == "pass":  # as the API: a passing re-test
        crud.cases.retest_from_result(session, result=result, actor_id=user.id)
    session.commit()
    lang = request_lang(request)
    if request.headers.get("hx-request"):
        ctx = _checklist_context(session, user, result, version, lang)
        every = [ctx["whole"], *ctx["findings"], *(i for g in ctx["groups"] for i in g["items"])]  # type: ignore[attr-defined]
        found = next(i for i in every if i["key"] == item)
        return page(request, "_review_decided.html.j2", {**ctx, "item": found}, user=user)
    from hegui.service.web.render import redirect

    return redirect(request, f"/results/{result.id}/review#item-{checklist.dom_id(item)}")
