"""Upload an APK, optionally with its privacy policy (a plain multipart form; with htmx, a progress
bar) → a job → its status page.

The body is streamed into the store, bounded, by :func:`hegui.service.api.upload_stream.receive_upload`
(never spooled elsewhere). Because the body must not be read before the CSRF check, the upload
form carries its token in the query string (``/upload?csrf=…``) as well as in the form.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from hegui.service import crud
from hegui.service.api.deps import DispatcherDep, SessionDep, SettingsDep, StoreDep
from hegui.service.api.routes.uploads import discard, ingest
from hegui.service.api.upload_stream import receive_upload
from hegui.service.db.models import User
from hegui.service.errors import ServiceError
from hegui.service.web import queries
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.messages import error_text
from hegui.service.web.render import WebRoute, page, page_user, redirect

router = APIRouter(route_class=WebRoute, include_in_schema=False)

UPLOADERS = ("developer", "reviewer", "regulator")  # + admin
UploaderUser = Annotated[User, Depends(page_user(*UPLOADERS))]
UploadPost = Annotated[User, Depends(page_user(*UPLOADERS, csrf_in_query=True))]


def _upload_page(
    request: Request,
    user: User,
    session: SessionDep,
    settings: SettingsDep,
    *,
    error: str = "",
    status: int = 200,
) -> Response:
    org = (user.organisation_id or 0) if user.role == "developer" else None
    ctx = {
        "max_mb": max(1, settings.max_upload_bytes // (1024 * 1024)),
        "recent": queries.recent_versions(session, organisation_id=org),
        "error": error,
        "orgs": [] if user.role == "developer" else crud.organisations.list_organisations(session),
    }
    if request.headers.get("hx-request") and error:
        return page(request, "_upload_error.html.j2", ctx, user=user, status=status)
    return page(request, "upload.html.j2", ctx, user=user, status=status)


@router.get("/upload")
def upload_form(request: Request, user: UploaderUser, session: SessionDep, settings: SettingsDep) -> Response:
    return _upload_page(request, user, session, settings)


@router.post("/upload")
async def upload(
    request: Request,
    user: UploadPost,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    dispatcher: DispatcherDep,
) -> Response:
    lang = request_lang(request)
    try:
        form = await receive_upload(
            request,
            store,
            max_bytes=settings.max_upload_bytes,
            file_field="file",
            discard=partial(discard, session, store),
        )
        form.fields.pop("csrf", None)  # checked before the body was read; not an upload field
        if user.role == "developer" or not form.fields.get("organisation_id"):
            form.fields.pop("organisation_id", None)
        public, dispatch = await run_in_threadpool(ingest, session, user=user, form=form, store=store)
    except ServiceError as exc:
        session.rollback()
        return _upload_page(
            request,
            user,
            session,
            settings,
            error=f"{t('upload_failed', lang)}: {error_text(exc, lang)}",
            status=exc.http_status,
        )
    if dispatch:
        await run_in_threadpool(dispatcher.dispatch, public.job.id)
    return redirect(request, f"/jobs/{public.job.id}")
