"""Notice batches (通报): list, draft, add apps from the candidates, publish (with a confirm step),
and the public page of a published notice (no login)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select

from hegui.service import crud
from hegui.service.api.deps import SessionDep, SettingsDep, TodayDep
from hegui.service.db.models import App, NoticeBatch, Organisation, Result, User, Version
from hegui.service.errors import InvalidInputError, NotFoundError, ServiceError
from hegui.service.web import queries
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.messages import error_text
from hegui.service.web.render import WebRoute, optional_user, page, page_user, read_form, redirect, text_field

router = APIRouter(route_class=WebRoute, include_in_schema=False)

RegulatorUser = Annotated[User, Depends(page_user("regulator"))]
MAX_CANDIDATES = 200


def _int_field(form: Any, name: str) -> int | None:
    value = form.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not value.isdigit() or len(value) > 12:
        raise InvalidInputError(f"{name}: not an id")
    return int(value)


def _batch(session: SessionDep, batch_id: int, *, published_only: bool = False) -> NoticeBatch:
    batch = crud.notices.get_notice(session, batch_id)
    if batch is None or (published_only and batch.status != "published"):
        raise NotFoundError("notice not found")
    return batch


def _source(lang: str) -> str:
    return t("pn_source_upload", lang)


@router.get("/notices")
def notices_page(request: Request, user: RegulatorUser, session: SessionDep, today: TodayDep) -> Response:
    campaign = _campaign_param(request)  # from a campaign's report: its candidates in the draft
    form = {"title": t("notice_default_title", "zh"), "number": "", "deadline": "", "campaign_id": campaign}
    return _list(request, user, session, form=form)


def _campaign_param(request: Request) -> str:
    value = request.query_params.get("campaign_id", "")
    return value if value.isdigit() and len(value) <= 12 else ""


def _list(
    request: Request,
    user: User,
    session: SessionDep,
    *,
    form: dict[str, str],
    error: str = "",
    status: int = 200,
) -> Response:
    ctx = {"batches": queries.batches(session), "form": form, "error": error}
    return page(request, "notices.html.j2", ctx, user=user, status=status)


@router.post("/notices")
async def create_notice(request: Request, user: RegulatorUser, session: SessionDep) -> Response:
    lang = request_lang(request)
    form = await read_form(request)
    values = {
        k: text_field(form, k, max_len=n)
        for k, n in (("title", 300), ("number", 60), ("deadline", 10), ("campaign_id", 12))
    }
    if not values["campaign_id"].isdigit():
        values["campaign_id"] = ""
    error = ""
    deadline: date | None = None
    if not values["title"]:
        error = t("field_required", lang, field=t("notice_title_field", lang))
    elif not values["deadline"]:
        error = t("field_required", lang, field=t("notice_deadline", lang))
    else:
        try:
            deadline = date.fromisoformat(values["deadline"])
        except ValueError:
            error = t("bad_date", lang)
    if error or deadline is None:
        return _list(request, user, session, form=values, error=error, status=422)
    batch = crud.notices.create_notice(
        session, title=values["title"], number=values["number"], deadline=deadline, actor_id=user.id
    )
    session.commit()
    campaign = f"?campaign_id={values['campaign_id']}" if values["campaign_id"] else ""
    return redirect(request, f"/notices/{batch.id}{campaign}")


def _candidates(session: SessionDep, lang: str, campaign_id: int | None = None) -> list[dict[str, Any]]:
    rows = []
    for app, version, result in crud.notices.candidates(session, campaign_id=campaign_id)[:MAX_CANDIDATES]:
        org = session.get(Organisation, app.organisation_id)
        rows.append(
            {
                "app_id": app.id,
                "version_id": version.id,
                "app_name": queries.app_label(app, result),
                "package": app.package,
                "org_name": org.name if org else "",
                "version": queries.version_text(version),
                "problems": queries.problems_text(crud.notices.problems_for(result), lang),
            }
        )
    return rows


def _notice(
    request: Request,
    user: User,
    session: SessionDep,
    batch: NoticeBatch,
    *,
    error: str = "",
    status: int = 200,
) -> Response:
    lang = request_lang(request)
    campaign_id = int(c) if (c := _campaign_param(request)) else None
    ctx = {
        "batch": batch,
        "entries": queries.notice_rows(session, batch.id, lang, _source(lang)),
        "candidates": _candidates(session, lang, campaign_id) if batch.status == "draft" else [],
        "campaign_id": campaign_id,
        "error": error,
    }
    return page(request, "notice.html.j2", ctx, user=user, status=status)


@router.get("/notices/{batch_id}")
def notice_page(request: Request, batch_id: int, user: RegulatorUser, session: SessionDep) -> Response:
    return _notice(request, user, session, _batch(session, batch_id))


@router.post("/notices/{batch_id}/entries")
async def add_entry(request: Request, batch_id: int, user: RegulatorUser, session: SessionDep) -> Response:
    batch = _batch(session, batch_id)
    form = await read_form(request)
    app_id = _int_field(form, "app_id")
    version_id = _int_field(form, "version_id")
    if app_id is None or session.get(App, app_id) is None:
        raise NotFoundError("app not found")
    problems: dict[str, Any] = {}
    if version_id is not None:
        version = session.get(Version, version_id)
        result = session.scalar(select(Result).where(Result.version_id == version_id)) if version else None
        if result is not None:
            problems = crud.notices.problems_for(result)
    crud.notices.add_entry(
        session, batch_id=batch.id, app_id=app_id, version_id=version_id, problems=problems, actor_id=user.id
    )
    session.commit()
    campaign = f"?campaign_id={c}" if (c := _campaign_param(request)) else ""
    return redirect(request, f"/notices/{batch.id}{campaign}#entries")


@router.get("/notices/{batch_id}/publish")
def publish_confirm(request: Request, batch_id: int, user: RegulatorUser, session: SessionDep) -> Response:
    batch = _batch(session, batch_id)
    if batch.status != "draft":
        return redirect(request, f"/notices/{batch.id}")
    lang = request_lang(request)
    ctx = {
        "batch": batch,
        "entries": queries.notice_rows(session, batch.id, lang, _source(lang)),
        "error": "",
    }
    return page(request, "notice_publish.html.j2", ctx, user=user)


@router.post("/notices/{batch_id}/publish")
async def publish(
    request: Request,
    batch_id: int,
    user: RegulatorUser,
    session: SessionDep,
    settings: SettingsDep,
    today: TodayDep,
) -> Response:
    batch = _batch(session, batch_id)
    form = await read_form(request)
    lang = request_lang(request)
    if form.get("confirm") != "yes":
        ctx = {
            "batch": batch,
            "entries": queries.notice_rows(session, batch.id, lang, _source(lang)),
            "error": t("publish_confirm_box", lang),
        }
        return page(request, "notice_publish.html.j2", ctx, user=user, status=422)
    try:
        crud.notices.publish_notice(
            session, batch_id=batch.id, actor_id=user.id, today=today, threshold=settings.strike_threshold
        )
    except ServiceError as exc:
        session.rollback()
        return _notice(
            request,
            user,
            session,
            _batch(session, batch_id),
            error=error_text(exc, lang),
            status=exc.http_status,
        )
    session.commit()
    return redirect(request, f"/notices/{batch.id}")


# -- public ---------------------------------------------------------------------------------------


@router.get("/public/notices")
def public_notices(
    request: Request, session: SessionDep, user: Annotated[User | None, Depends(optional_user())]
) -> Response:
    rows = []
    for b in crud.notices.list_notices(session, published_only=True):
        rows.append({"id": b.id, "heading": queries.notice_heading(b), "published_at": b.published_at})
    return page(request, "public_notices.html.j2", {"batches": rows}, user=user)


@router.get("/public/notices/{batch_id}")
def public_notice(
    request: Request,
    batch_id: int,
    session: SessionDep,
    user: Annotated[User | None, Depends(optional_user())],
) -> Response:
    batch = _batch(session, batch_id, published_only=True)
    lang = request_lang(request)
    ctx = {
        "batch": batch,
        "heading": queries.notice_heading(batch),
        "entries": queries.notice_rows(session, batch.id, lang, _source(lang)),
    }
    return page(request, "public_notice.html.j2", ctx, user=user)
