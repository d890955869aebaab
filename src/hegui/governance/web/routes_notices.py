"""Governance notices: draft one for a period and category (counts from decided cases), publish;
published notices are public (no login)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request, Response

from hegui.governance.crud import notices
from hegui.governance.models import GovNotice
from hegui.governance.web.deps import IdPath, Moderator, Reader, Visitor
from hegui.governance.web.forms import day
from hegui.governance.web.render import page
from hegui.service.api.deps import SessionDep
from hegui.service.db.models import User
from hegui.service.errors import InvalidInputError, StateError
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.render import WebRoute, read_form, redirect, text_field

router = APIRouter(route_class=WebRoute)


def _list(
    request: Request,
    user: User,
    session: SessionDep,
    form: dict[str, str],
    *,
    error: str = "",
    status: int = 200,
) -> Response:
    ctx = {"notices": notices.list_notices(session), "form": form, "error": error}
    return page(request, "gov/notices.html.j2", ctx, user=user, status=status)


@router.get("/notices")
def notices_page(request: Request, user: Reader, session: SessionDep) -> Response:
    today = date.today()
    form = {
        "start": (today - timedelta(days=30)).isoformat(),
        "end": today.isoformat(),
        "category": "",
        "title": "",
    }
    return _list(request, user, session, form)


@router.post("/notices")
async def create_notice(request: Request, user: Moderator, session: SessionDep) -> Response:
    raw = await read_form(request)
    form = {
        "start": text_field(raw, "start", max_len=10),
        "end": text_field(raw, "end", max_len=10),
        "category": text_field(raw, "category", max_len=81),
        "title": text_field(raw, "title", max_len=300),
    }
    try:
        n = notices.create_notice(
            session,
            start=day(raw, "start", required=True),
            end=day(raw, "end", required=True),  # type: ignore[arg-type]
            category=form["category"],
            title=form["title"],
            actor_id=user.id,
        )
    except InvalidInputError as exc:
        session.rollback()
        msg = t("gov_field_error", request_lang(request), msg=str(exc))
        return _list(request, user, session, form, error=msg, status=422)
    session.commit()
    return redirect(request, f"/governance/notices/{n.id}")


def _notice_page(
    request: Request, user: User | None, n: GovNotice, template: str, *, error: str = "", status: int = 200
) -> Response:
    title, _text, paras = notices.render(n, request_lang(request))
    ctx = {"n": n, "title": title, "paras": paras, "error": error}
    return page(request, template, ctx, user=user, status=status)


@router.get("/notices/{notice_id}")
def notice_page(notice_id: IdPath, request: Request, user: Reader, session: SessionDep) -> Response:
    return _notice_page(request, user, notices.get_notice(session, notice_id), "gov/notice.html.j2")


@router.post("/notices/{notice_id}/publish")
async def publish(notice_id: IdPath, request: Request, user: Moderator, session: SessionDep) -> Response:
    try:
        notices.publish(session, notice_id=notice_id, actor_id=user.id)
    except StateError as exc:
        session.rollback()
        n = notices.get_notice(session, notice_id)
        return _notice_page(request, user, n, "gov/notice.html.j2", error=str(exc), status=409)
    session.commit()
    return redirect(request, f"/governance/public/notices/{notice_id}")


@router.get("/public/notices")
def public_notices(request: Request, user: Visitor, session: SessionDep) -> Response:
    ctx = {"notices": notices.list_notices(session, published_only=True)}
    return page(request, "gov/public_notices.html.j2", ctx, user=user)


@router.get("/public/notices/{notice_id}")
def public_notice(notice_id: IdPath, request: Request, user: Visitor, session: SessionDep) -> Response:
    n = notices.get_notice(session, notice_id, published_only=True)
    return _notice_page(request, user, n, "gov/public_notice.html.j2")
