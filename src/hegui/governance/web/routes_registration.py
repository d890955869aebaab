"""Registration controls (moderator sets, regulator reads) and the public sign-up status page."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from hegui.governance.crud import registration
from hegui.governance.crud.registration import ControlIn
from hegui.governance.web.deps import Moderator, Reader, Visitor
from hegui.governance.web.forms import checked, day
from hegui.governance.web.render import page
from hegui.service.api.deps import SessionDep
from hegui.service.db.models import User
from hegui.service.errors import InvalidInputError
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.render import WebRoute, read_form, redirect, text_field

router = APIRouter(route_class=WebRoute)
EMPTY = {"channel": "*", "message_zh": "", "message_en": "", "resume_on": "", "reason": ""}


def _page(
    request: Request,
    user: User,
    session: SessionDep,
    form: dict[str, str],
    *,
    error: str = "",
    status: int = 200,
) -> Response:
    ctx = {"controls": registration.list_controls(session), "form": form, "error": error}
    return page(request, "gov/registration.html.j2", ctx, user=user, status=status)


@router.get("/registration")
def controls_page(request: Request, user: Reader, session: SessionDep) -> Response:
    return _page(request, user, session, dict(EMPTY))


@router.post("/registration")
async def set_control(request: Request, user: Moderator, session: SessionDep) -> Response:
    raw = await read_form(request)
    form = {k: text_field(raw, k, max_len=2000) for k in EMPTY}
    try:
        registration.set_control(
            session,
            channel=form["channel"],
            values=ControlIn(
                paused=checked(raw, "paused"),
                message_zh=form["message_zh"],
                message_en=form["message_en"],
                resume_on=day(raw, "resume_on"),
                require_phone=checked(raw, "require_phone"),
                require_real_name=checked(raw, "require_real_name"),
                minors_mode=checked(raw, "minors_mode"),
            ),
            actor_id=user.id,
            reason=form["reason"],
        )
    except InvalidInputError as exc:
        session.rollback()
        msg = t("gov_field_error", request_lang(request), msg=str(exc))
        return _page(request, user, session, form, error=msg, status=422)
    session.commit()
    return redirect(request, "/governance/registration")


@router.get("/register")
def register_page(request: Request, user: Visitor, session: SessionDep) -> Response:
    """What a user sees when signing up on ``?channel=`` (default ``app``)."""
    channel = request.query_params.get("channel", "app")
    try:
        status = registration.effective(session, channel=channel, lang=request_lang(request))
    except InvalidInputError:
        status = registration.effective(session, channel="app", lang=request_lang(request))
    return page(
        request, "gov/register.html.j2", {"st": status}, user=user, status=200 if status["open"] else 503
    )
