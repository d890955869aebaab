"""Upload an APK: streamed into the store (bounded), manifest read, app and version recorded, job queued.

Nothing from the upload is executed: the manifest is parsed by hegui's own reader, the file is
named by its sha256 in the store, and the client's file name and content type are only data.

An optional privacy policy file (form field ``policy``, :mod:`hegui.service.policy_upload`) is
stored too; the version is the pair (APK, policy): the same APK with another policy is a new version
and a new analysis, the same pair again is the same version and job (see docs/service.md).
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hegui.service import crud, tasks
from hegui.service.api import views
from hegui.service.api.deps import DispatcherDep, SessionDep, SettingsDep, StoreDep, Uploader
from hegui.service.api.errors import (
    APK_KIND_ZH,
    AUTH_ERRORS,
    CONFLICT,
    NOT_FOUND,
    TOO_LARGE,
    BadApkError,
    one_line,
)
from hegui.service.api.schemas.catalogue import UploadPublic
from hegui.service.api.schemas.common import Id, Input, Name, version_links
from hegui.service.api.upload_stream import UploadForm, receive_upload
from hegui.service.db.models import App, User
from hegui.service.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
)
from hegui.service.storage import release

log = logging.getLogger("hegui.service.api")
router = APIRouter(prefix="/uploads", tags=["uploads"], responses={**AUTH_ERRORS, **NOT_FOUND})

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "the APK"},
                        "policy": {
                            "type": "string",
                            "format": "binary",
                            "description": "the app's privacy policy (HTML, Markdown or text, at most "
                            "3 MB; not a PDF, never a URL): checked against the APK (HG-POL rules)",
                        },
                        "organisation_id": {
                            "type": "integer",
                            "description": "the owner of a new app (not for developers: theirs is used)",
                        },
                        "organisation": {
                            "type": "string",
                            "maxLength": 200,
                            "description": "the owner by name, instead of organisation_id",
                        },
                    },
                }
            }
        },
    }
}


class UploadFields(Input):
    organisation_id: Id | None = None
    organisation: Name | None = None


def _fields(form: UploadForm) -> UploadFields:
    try:
        return UploadFields.model_validate(form.fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "form"
        raise InvalidInputError(f"{where}: {one_line(err.get('msg', 'invalid'))}") from None


def _read_manifest(path: Path, shown_name: str) -> tuple[str, int | None, str | None, str]:
    """(package, versionCode, versionName, label); ``BadApkError`` with the one-line ApkError message."""
    from hegui.apk.archive import open_apk
    from hegui.apk.manifest import parse_manifest
    from hegui.errors import HeguiError

    try:
        with open_apk(path) as apk:
            m = parse_manifest(apk)
    except HeguiError as exc:
        # the message names the stored file: show the uploader's name, never the server's path
        message = one_line(exc).replace(str(path), shown_name).replace(path.name, shown_name)
        zh = APK_KIND_ZH.get(getattr(exc, "kind", ""), "无法读取该安装包。")
        raise BadApkError(message[:500], zh=f"{shown_name[:200]}：{zh}") from None
    return m.package, m.version_code, m.version_name, (m.label or "")


def _organisation_id(
    session: Session, user: User, fields: UploadFields, app: App | None, package: str
) -> int:
    if user.role == "developer":
        if user.organisation_id is None:
            raise PermissionDeniedError(
                "this developer account belongs to no organisation; ask an administrator",
                zh="该开发者账号不属于任何企业，请联系管理员。",
            )
        named = user.organisation_id
    elif fields.organisation_id is not None:
        org = crud.organisations.get_organisation(session, fields.organisation_id)
        if org is None:
            raise NotFoundError(f"no organisation with id {fields.organisation_id}", zh="所选企业不存在。")
        named = org.id
    elif fields.organisation is not None:
        org = crud.organisations.get_organisation_by_name(session, fields.organisation)
        if org is None:
            raise NotFoundError(
                f"no organisation named {fields.organisation!r}; create it first",
                zh="该企业不存在，请先创建。",
            )
        named = org.id
    elif app is not None:
        return app.organisation_id
    else:
        raise InvalidInputError(
            f"{package} is a new app: name its organisation (form field organisation_id or organisation)",
            zh=f"{package} 是新应用：请选择其所属企业。",
        )
    if app is not None and app.organisation_id != named:
        raise ConflictError(
            f"package {package} belongs to another organisation; it cannot be uploaded for this one",
            zh=f"包名 {package} 属于其他企业，不能以本企业名义送检。",
        )
    return named


def discard(session: Session, store: Any, stored: Any) -> None:
    """Remove a stored file (an APK or a policy) that no version uses, after a refused upload. An
    accepted upload of the same bytes may commit meanwhile: it puts the file back from its own hold
    (``release``), and when it commits between our check and our delete, the check after the delete
    sees it and we do."""
    session.rollback()
    used = crud.versions.stored_file_used(session, stored.sha256)
    if not used:
        store.delete(stored.sha256)
        session.rollback()  # a new transaction: see what was committed meanwhile
        used = crud.versions.stored_file_used(session, stored.sha256)
        session.rollback()
    release(stored, restore=used)


def _discard_all(session: Session, store: Any, form: UploadForm) -> None:
    for stored in (form.stored, form.policy):
        if stored is not None:
            discard(session, store, stored)


def ingest(session: Session, *, user: User, form: UploadForm, store: Any) -> tuple[UploadPublic, bool]:
    """Record a stored upload: version (deduplicated by the pair APK sha256, policy sha256), app,
    job. Commits. Returns the response and whether a job must be dispatched. Concurrent uploads of
    the same pair get the same version and job (the unique inserts run in savepoints and read the
    winner's row back)."""
    stored = form.stored
    policy_sha256 = form.policy.sha256 if form.policy is not None else None
    try:
        fields = _fields(form)
        version = crud.versions.get_version_by_sha256(session, stored.sha256, policy_sha256=policy_sha256)
        created = False
        if version is not None:
            app = session.get(App, version.app_id)
            assert app is not None
            _organisation_id(session, user, fields, app, app.package)
        else:
            shown = form.file_name or "the upload"
            same_apk = crud.versions.any_version_of(session, stored.sha256)
            if same_apk is not None:  # the same APK with another policy: its manifest was read already
                package_app = session.get(App, same_apk.app_id)
                assert package_app is not None
                package, code, name = package_app.package, same_apk.version_code, same_apk.version_name
                label = package_app.name
            else:
                # read this upload's own link to the bytes: a refused concurrent upload may delete it
                package, code, name, label = _read_manifest(Path(stored.hold or stored.path), shown)
            existing = crud.apps.get_app_by_package(session, package)
            org_id = _organisation_id(session, user, fields, existing, package)
            app = crud.apps.get_or_create_app(
                session, package=package, organisation_id=org_id, name=label, actor_id=user.id
            )
            version, created = crud.versions.add_version(
                session,
                app_id=app.id,
                sha256=stored.sha256,
                size=stored.size,
                version_code=code,
                version_name=name,
                file_name=form.file_name,
                uploaded_by=user.id,
                policy_sha256=policy_sha256,
                policy_file_name=form.policy_name,
            )
        job = tasks.enqueue(session, version_id=version.id)
        session.commit()
    except ServiceError:
        _discard_all(session, store, form)
        raise
    finally:
        for held in (stored, form.policy):  # committed (or failed unexpectedly): the files must be there
            if held is not None:
                release(held, restore=True)
    public = UploadPublic(
        created=created,
        app=views.app_public(session, app),
        version=views.version_public(session, version, package=app.package),
        job=views.job_public(job),
        links={**version_links(version.id), "app": f"/api/v1/apps/{app.id}"},
    )
    return public, job.status == "queued"


@router.post(
    "",
    response_model=UploadPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": UploadPublic, "description": "These bytes were uploaded before: the same version"},
        **CONFLICT,
        **TOO_LARGE,
    },
    openapi_extra=UPLOAD_BODY,
    summary="Upload an APK for testing (multipart field `file`, optional `policy`)",
    description="The file is streamed into the store and refused past the size limit (413). A new "
    "app needs its organisation (developers: their own, implied). The optional `policy` file (the "
    "app's privacy policy: HTML, Markdown or text, at most 3 MB) is checked against the APK; a PDF "
    "or binary file is refused (422), a URL is never fetched. The same APK and policy again is the "
    "same version (200); the same APK with another policy is a new version, analysed again. The "
    "analysis runs in the background: poll `links.job`, then read `links.result`.",
)
async def upload(
    request: Request,
    response: Response,
    user: Uploader,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    dispatcher: DispatcherDep,
) -> UploadPublic:
    form = await receive_upload(
        request, store, max_bytes=settings.max_upload_bytes, discard=partial(discard, session, store)
    )
    public, dispatch = await run_in_threadpool(ingest, session, user=user, form=form, store=store)
    if dispatch:
        await run_in_threadpool(dispatcher.dispatch, public.job.id)
    response.status_code = status.HTTP_201_CREATED if public.created else status.HTTP_200_OK
    return public
