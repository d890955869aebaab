"""Removals (下架): the list, ordering a removal with a reason, lifting one (roles as the API's)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from hegui.service import crud
from hegui.service.api.deps import SessionDep, TodayDep
from hegui.service.db.models import App, Organisation, Removal, User
from hegui.service.errors import InvalidInputError, NotFoundError, ServiceError, StateError
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.messages import error_text
from hegui.service.web.render import WebRoute, page, page_user, read_form, redirect, text_field

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Overseer = Annotated[User, Depends(page_user("reviewer", "store", "regulator"))]
RegulatorUser = Annotated[User, Depends(page_user("regulator"))]
MAX_REASON = 2000  # as the API's ReasonBody


def _name(session: SessionDep, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return (user.display_name or user.username) if user else "–"


def _rows(session: SessionDep) -> list[dict[str, Any]]:
    rows = []
    for removal in reversed(crud.removals.list_removals(session)):
        app = session.get(App, removal.app_id)
        org = session.get(Organisation, app.organisation_id) if app else None
        rows.append(
            {
                "id": removal.id,
                "app_id": removal.app_id,
                "package": app.package if app else "?",
                "app_name": (app.name if app else "") or "",
                "org_name": org.name if org else "",
                "reason": removal.reason,
                "created_at": removal.created_at,
                "by": _name(session, removal.decided_by),
                "lifted_at": removal.lifted_at,
                "lift_reason": removal.lift_reason,
                "lifted_by": _name(session, removal.lifted_by),
            }
        )
    return rows


def _page(
    request: Request,
    user: User,
    session: SessionDep,
    today: Any,
    *,
    error: str = "",
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    removed = {r.app_id for r in crud.removals.list_removals(session, active_only=True)}
    overdue = []
    for case in crud.cases.overdue(session, today=today):
        app = session.get(App, case.app_id)
        if app is not None:
            overdue.append(
                {"app_id": app.id, "package": app.package, "name": app.name, "deadline": case.deadline}
            )
    ctx = {
        "removals": _rows(session),
        "apps": [a for a in crud.apps.list_apps(session) if a.id not in removed],
        "overdue": overdue,
        "can_decide": user.role in ("regulator", "admin"),
        "error": error,
        "form": form or {"app_id": request.query_params.get("app_id", ""), "reason": ""},
    }
    return page(request, "removals.html.j2", ctx, user=user, status=status)


def _app_id(value: object) -> int:
    text = value.strip() if isinstance(value, str) else ""
    if not text.isdigit() or len(text) > 12:
        raise InvalidInputError("app_id: not an id", zh="请选择要下架的应用。")
    return int(text)


@router.get("/removals")
def removals_page(request: Request, user: Overseer, session: SessionDep, today: TodayDep) -> Response:
    return _page(request, user, session, today)


@router.post("/removals")
async def order_removal(
    request: Request, user: RegulatorUser, session: SessionDep, today: TodayDep
) -> Response:
    lang = request_lang(request)
    form = await read_form(request)
    reason = text_field(form, "reason", max_len=MAX_REASON, label=t("removal_reason", lang))
    raw_app = form.get("app_id")
    values = {"app_id": raw_app if isinstance(raw_app, str) else "", "reason": reason}
    if not reason:
        error = t("field_required", lang, field=t("removal_reason", lang))
        return _page(request, user, session, today, error=error, form=values, status=422)
    app_id = _app_id(raw_app)
    if session.get(App, app_id) is None:
        raise NotFoundError(f"no app with id {app_id}", zh="未找到该应用。")
    try:
        crud.removals.remove_app(session, app_id=app_id, reason=reason, actor_id=user.id, today=today)
    except ServiceError as exc:
        session.rollback()
        return _page(
            request, user, session, today, error=error_text(exc, lang), form=values, status=exc.http_status
        )
    session.commit()
    return redirect(request, "/removals")


@router.post("/removals/{removal_id}/lift")
async def lift_removal(
    request: Request, removal_id: int, user: RegulatorUser, session: SessionDep, today: TodayDep
) -> Response:
    lang = request_lang(request)
    form = await read_form(request)
    reason = text_field(form, "reason", max_len=MAX_REASON, label=t("removal_lift_reason", lang))
    removal = session.get(Removal, removal_id)
    if removal is None:
        raise NotFoundError(f"no removal with id {removal_id}", zh="未找到该下架记录。")
    if not reason:
        error = t("field_required", lang, field=t("removal_lift_reason", lang))
        return _page(request, user, session, today, error=error, status=422)
    if removal.lifted_at is not None:
        lifted = StateError(f"removal {removal_id} was lifted already", zh="该下架已解除。")
        return _page(request, user, session, today, error=error_text(lifted, lang), status=409)
    crud.removals.lift_removal(session, app_id=removal.app_id, reason=reason, actor_id=user.id)
    session.commit()
    return redirect(request, "/removals")
