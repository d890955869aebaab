"""Organisations (apps, strikes, review before release), apps, and the campaign dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select

from hegui.service import crud
from hegui.service.api.deps import SessionDep, SettingsDep, TodayDep, check_org
from hegui.service.db.models import App, Organisation, Result, User, Version
from hegui.service.domain import strikes
from hegui.service.errors import NotFoundError
from hegui.service.web import charts, queries
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.render import WebRoute, page, page_user, read_form, redirect, text_field

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Reader = Annotated[User, Depends(page_user("developer", "reviewer", "store", "regulator"))]
Overseer = Annotated[User, Depends(page_user("reviewer", "store", "regulator"))]
RegulatorUser = Annotated[User, Depends(page_user("regulator"))]
MAX_REASON = 2000


def _app_rows(session: SessionDep, apps: list[App]) -> list[dict[str, object]]:
    rows = []
    for app in apps:
        version = session.scalar(
            select(Version).where(Version.app_id == app.id).order_by(Version.id.desc()).limit(1)
        )
        result = session.scalar(select(Result).where(Result.version_id == version.id)) if version else None
        verdict = crud.reviews.effective_verdict(session, result=result) if result else None
        org = session.get(Organisation, app.organisation_id)
        rows.append(
            {
                "id": app.id,
                "name": queries.app_label(app, result),
                "package": app.package,
                "org_id": app.organisation_id,
                "org_name": org.name if org else "",
                "version": queries.version_text(version),
                "verdict": verdict,
                "result_id": result.id if result else None,
                "removed": crud.removals.active_removal(session, app_id=app.id) is not None,
            }
        )
    return rows


@router.get("/apps")
def apps_page(request: Request, user: Reader, session: SessionDep) -> Response:
    org_id = (user.organisation_id or 0) if user.role == "developer" else None
    rows = _app_rows(session, crud.apps.list_apps(session, organisation_id=org_id))
    return page(request, "apps.html.j2", {"apps": rows, "show_org": True}, user=user)


@router.get("/orgs")
def orgs_page(request: Request, user: Reader, session: SessionDep, today: TodayDep) -> Response:
    if user.role == "developer":
        if not user.organisation_id:
            raise NotFoundError("organisation not found")
        return redirect(request, f"/orgs/{user.organisation_id}")
    year = today.year
    rows = []
    for org in crud.organisations.list_organisations(session):
        rows.append(
            {
                "id": org.id,
                "name": org.name,
                "apps": len(crud.apps.list_apps(session, organisation_id=org.id)),
                "notices": strikes.notices_in_year(session, organisation_id=org.id, year=year),
                "under_review": crud.release_review.active(session, organisation_id=org.id) is not None,
            }
        )
    return page(request, "orgs.html.j2", {"orgs": rows, "year": year}, user=user)


@router.get("/orgs/{org_id}")
def org_page(
    request: Request, org_id: int, user: Reader, session: SessionDep, settings: SettingsDep
) -> Response:
    return _org_page(request, org_id, user, session, settings.strike_threshold)


def _org_page(
    request: Request,
    org_id: int,
    user: User,
    session: SessionDep,
    threshold: int,
    error: str = "",
    status: int = 200,
) -> Response:
    check_org(user, org_id, "organisation")
    org = crud.organisations.get_organisation(session, org_id)
    if org is None:
        raise NotFoundError("organisation not found")
    ctx = {
        "org": org,
        "apps": _app_rows(session, crud.apps.list_apps(session, organisation_id=org.id)),
        "show_org": False,
        "ledger": strikes.ledger(session, organisation_id=org.id),
        "threshold": threshold,
        "active": crud.release_review.active(session, organisation_id=org.id),
        "history": crud.release_review.history(session, organisation_id=org.id),
        "can_lift": user.role in ("regulator", "admin"),
        "error": error,
    }
    return page(request, "org.html.j2", ctx, user=user, status=status)


@router.post("/orgs/{org_id}/release-review/lift")
async def lift_release_review(
    request: Request, org_id: int, user: RegulatorUser, session: SessionDep, settings: SettingsDep
) -> Response:
    form = await read_form(request)
    reason = text_field(form, "reason", max_len=MAX_REASON)
    if not reason:
        msg = t("field_required", request_lang(request), field=t("rr_lift_reason", request_lang(request)))
        return _org_page(request, org_id, user, session, settings.strike_threshold, error=msg, status=422)
    crud.release_review.lift(session, organisation_id=org_id, reason=reason, actor_id=user.id)
    session.commit()
    return redirect(request, f"/orgs/{org_id}")


@router.get("/dashboard")
def dashboard(request: Request, user: Overseer, session: SessionDep, today: TodayDep) -> Response:
    lang = request_lang(request)
    d = queries.dashboard(session, today=today)
    names = {k: t(f"m_{k}", lang) for k in (*queries.METRICS, "open", "overdue")}
    series = [(names[k], charts.COLOURS[k], d.by_month[k]) for k in queries.METRICS]
    month_svg = charts.month_chart(d.months, series, title=t("dash_by_month", lang))
    fates = ("rectified", "removed", "overdue", "open")
    batch_rows = [
        (b["label"], [(names[k], charts.COLOURS[k], b.get(k, 0)) for k in fates]) for b in d.batches
    ]
    ctx = {
        "totals": [(k, names[k], d.totals[k], charts.COLOURS[k]) for k in queries.METRICS],
        "month_chart": month_svg,
        "month_legend": charts.legend([(names[k], charts.COLOURS[k]) for k in queries.METRICS]),
        "months": len(d.months),
        "batch_chart": charts.batch_chart(batch_rows, title=t("dash_by_batch", lang)) if batch_rows else None,
        "batch_legend": charts.legend([(names[k], charts.COLOURS[k]) for k in fates]),
        "batches": d.batches,
        "campaigns": queries.campaigns(session),
        "any_data": any(d.totals.values()),
    }
    return page(request, "dashboard.html.j2", ctx, user=user)
