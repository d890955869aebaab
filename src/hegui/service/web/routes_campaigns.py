"""Campaigns (专项检测): start one over APK files on the server or over uploaded versions, watch its
progress (htmx polling) and read its report: tested, passing, failing by rule, and the candidates
for the next notice with a link into the notice workflow. Roles as the API's: a regulator starts a
campaign; reviewers, stores and regulators follow it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from hegui.service import campaign_import, campaigns, crud, tasks
from hegui.service.api.deps import DispatcherDep, SessionDep, SettingsDep, StoreDep
from hegui.service.db.models import Campaign, Organisation, User
from hegui.service.errors import InvalidInputError, NotFoundError
from hegui.service.web import queries
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.messages import error_text
from hegui.service.web.render import WebRoute, page, page_user, read_form, redirect, text_field

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Overseer = Annotated[User, Depends(page_user("reviewer", "store", "regulator"))]
RegulatorUser = Annotated[User, Depends(page_user("regulator"))]
SOURCES = ("folder", "versions", "all")
MAX_CANDIDATES = 200


def _list_page(
    request: Request,
    user: User,
    session: SessionDep,
    settings: SettingsDep,
    *,
    error: str = "",
    refused: list[tuple[str, str]] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    ctx = {
        "campaigns": [
            campaigns.campaign_progress(session, c.id)
            for c in session.scalars(select(Campaign).order_by(Campaign.id.desc()).limit(100))
        ],
        "can_start": user.role in ("regulator", "admin"),
        "orgs": crud.organisations.list_organisations(session),
        "root": str(settings.campaign_root),
        "error": error,
        "refused": refused or [],
        "form": form or {"name": "", "source": "folder", "path": "", "versions": "", "organisation_id": ""},
    }
    return page(request, "campaigns.html.j2", ctx, user=user, status=status)


@router.get("/campaigns")
def campaigns_page(request: Request, user: Overseer, session: SessionDep, settings: SettingsDep) -> Response:
    return _list_page(request, user, session, settings)


def _org_id(session: SessionDep, value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 12 or session.get(Organisation, int(value)) is None:
        raise NotFoundError("organisation not found", zh="所选企业不存在。")
    return int(value)


@router.post("/campaigns")
async def start_campaign(
    request: Request,
    user: RegulatorUser,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    dispatcher: DispatcherDep,
) -> Response:
    lang = request_lang(request)
    form = await read_form(request)
    values = {
        "name": text_field(form, "name", max_len=200, label=t("campaign_name", lang)),
        "source": text_field(form, "source", max_len=20),
        "path": text_field(form, "path", max_len=1000, label=t("campaign_path", lang)),
        "versions": text_field(form, "versions", max_len=60_000, label=t("campaign_versions", lang)),
        "organisation_id": text_field(form, "organisation_id", max_len=20),
    }
    if values["source"] not in SOURCES:
        raise InvalidInputError("source: one of folder, versions, all", zh="请选择检测对象。")
    refused: list[tuple[str, str]] = []
    try:
        if values["source"] == "folder":
            org_id = _org_id(session, values["organisation_id"])
            files = campaign_import.collect_files(settings.campaign_root, values["path"])
            imported = await run_in_threadpool(
                campaign_import.import_files,
                session,
                user=user,
                files=files,
                store=store,
                max_bytes=settings.max_upload_bytes,
                organisation_id=org_id,
            )
            ids = imported.version_ids
            refused = [(name, error_text(exc, lang)) for name, exc in imported.refused]
        elif values["source"] == "versions":
            ids = campaign_import.parse_versions(session, values["versions"])
        else:
            ids = campaign_import.latest_versions(session)
        if not ids:
            raise campaign_import.SourceError("campaign_err_nothing", "nothing to test")
    except campaign_import.SourceError as exc:
        session.rollback()
        error = t(exc.key, lang, **exc.fmt)
        return _list_page(
            request, user, session, settings, error=error, refused=refused, form=values, status=422
        )
    name = values["name"] or f"{t('campaign_name_default', lang)} {len(ids)}"
    campaign = campaigns.start_campaign(session, name=name, version_ids=ids, actor_id=user.id)
    session.commit()
    await run_in_threadpool(tasks.dispatch_queued, session, dispatcher, campaign_id=campaign.id)
    if refused:  # shown on the campaign's page: which files were not imported, and why
        return _campaign_page(request, user, session, campaign.id, refused=refused)
    return redirect(request, f"/campaigns/{campaign.id}")


def _progress(session: SessionDep, campaign_id: int) -> campaigns.CampaignProgress:
    try:
        return campaigns.campaign_progress(session, campaign_id)
    except LookupError:
        raise NotFoundError(f"no campaign with id {campaign_id}", zh="未找到该专项检测。") from None


def _candidates(session: SessionDep, campaign_id: int, lang: str) -> list[dict[str, Any]]:
    rows = []
    for app, version, result in crud.notices.candidates(session, campaign_id=campaign_id)[:MAX_CANDIDATES]:
        org = session.get(Organisation, app.organisation_id)
        rows.append(
            {
                "app_name": queries.app_label(app, result),
                "package": app.package,
                "org_name": org.name if org else "",
                "version": queries.version_text(version),
                "result_id": result.id,
                "problems": queries.problems_text(crud.notices.problems_for(result), lang),
            }
        )
    return rows


def _context(session: SessionDep, campaign_id: int, lang: str, user: User) -> dict[str, Any]:
    progress = _progress(session, campaign_id)
    return {
        "c": progress,
        "candidates": _candidates(session, campaign_id, lang) if progress.finished else [],
        "can_notify": user.role in ("regulator", "admin"),
    }


def _campaign_page(
    request: Request,
    user: User,
    session: SessionDep,
    campaign_id: int,
    *,
    refused: list[tuple[str, str]] | None = None,
) -> Response:
    ctx = _context(session, campaign_id, request_lang(request), user)
    ctx["refused"] = refused or []
    return page(request, "campaign.html.j2", ctx, user=user)


@router.get("/campaigns/{campaign_id}")
def campaign_page(request: Request, campaign_id: int, user: Overseer, session: SessionDep) -> Response:
    return _campaign_page(request, user, session, campaign_id)


@router.get("/campaigns/{campaign_id}/progress")
def campaign_progress(request: Request, campaign_id: int, user: Overseer, session: SessionDep) -> Response:
    ctx = _context(session, campaign_id, request_lang(request), user)
    return page(request, "_campaign_progress.html.j2", ctx, user=user)
