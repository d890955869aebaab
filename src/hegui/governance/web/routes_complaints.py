"""The complaint form (举报): any logged-in user files one against an account or a group."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from hegui.governance.crud import complaints
from hegui.governance.crud.complaints import ComplaintIn, EvidenceIn
from hegui.governance.web.forms import checked
from hegui.governance.web.render import page
from hegui.service.api.deps import SessionDep
from hegui.service.db.models import ROLES, User
from hegui.service.errors import InvalidInputError
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.render import WebRoute, page_user, read_form, redirect, text_field

router = APIRouter(route_class=WebRoute)
AnyUser = Annotated[User, Depends(page_user(*ROLES))]
FIELDS = ("target_type", "target_uid", "target_name", "category", "text", "ev_text", "ev_url", "ev_media")


def _form_page(
    request: Request, user: User, form: dict[str, str], *, error: str = "", done: str = "", status: int = 200
) -> Response:
    return page(
        request,
        "gov/complaint.html.j2",
        {"form": form, "error": error, "done": done},
        user=user,
        status=status,
    )


@router.get("/complaints/new")
def complaint_form(request: Request, user: AnyUser) -> Response:
    done = request.query_params.get("case", "")
    form = dict.fromkeys(FIELDS, "")
    form["target_type"], form["forwarded"] = "account", ""
    return _form_page(request, user, form, done=done if done.isdigit() and len(done) < 15 else "")


@router.post("/complaints/new")
async def complaint_submit(request: Request, user: AnyUser, session: SessionDep) -> Response:
    raw = await read_form(request)
    values = {k: (v if isinstance(v := raw.get(k), str) else "")[:2100] for k in FIELDS}
    values["forwarded"] = "on" if checked(raw, "forwarded") else ""
    try:
        row = _submit(session, user, raw, values)
    except InvalidInputError as exc:
        session.rollback()
        msg = t("gov_field_error", request_lang(request), msg=str(exc))
        return _form_page(request, user, values, error=msg, status=422)
    session.commit()
    return redirect(request, f"/governance/complaints/new?case={row.case_id}")


def _submit(session: SessionDep, user: User, raw: Any, values: dict[str, str]) -> Any:
    for k in FIELDS:
        values[k] = text_field(raw, k, max_len=2000)
    evidence = []
    if values["ev_text"] or values["ev_url"] or values["ev_media"]:
        kind = (
            "link"
            if values["ev_url"]
            else "media"
            if values["ev_media"] and not values["ev_text"]
            else "text"
        )
        evidence.append(
            EvidenceIn(
                kind, values["ev_text"], values["ev_url"], values["ev_media"], bool(values["forwarded"])
            )
        )
    return complaints.submit(
        session,
        ComplaintIn(
            target_type=values["target_type"],
            target_uid=values["target_uid"],
            target_name=values["target_name"],
            category=values["category"],
            text=values["text"],
            evidence=evidence,
        ),
        source="web",
        submitted_by=user.id,
    )
