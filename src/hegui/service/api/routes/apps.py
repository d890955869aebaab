"""Apps by package name, with their versions and removal state (developers: their organisation's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hegui.service import crud
from hegui.service.api import views
from hegui.service.api.deps import AnyRole, SessionDep, check_org, scope_org
from hegui.service.api.errors import AUTH_ERRORS, NOT_FOUND
from hegui.service.api.schemas.catalogue import AppDetail, AppPublic
from hegui.service.api.schemas.common import Package
from hegui.service.errors import NotFoundError

router = APIRouter(prefix="/apps", tags=["apps"], responses={**AUTH_ERRORS, **NOT_FOUND})


@router.get("", response_model=list[AppPublic], summary="Apps (developers: their organisation's)")
def list_apps(
    session: SessionDep,
    user: AnyRole,
    organisation_id: Annotated[int | None, Query(ge=1)] = None,
    package: Annotated[Package | None, Query()] = None,
) -> list[AppPublic]:
    only = scope_org(user)
    if only is not None:
        if organisation_id is not None and organisation_id != only:
            return []
        organisation_id = only
    if package is not None:
        app = crud.apps.get_app_by_package(session, package)
        found = [app] if app is not None and organisation_id in (None, app.organisation_id) else []
    else:
        found = crud.apps.list_apps(session, organisation_id=organisation_id)
    return [views.app_public(session, a) for a in found]


@router.get("/{app_id}", response_model=AppDetail, summary="An app with its versions and removal")
def get_app(app_id: int, session: SessionDep, user: AnyRole) -> AppDetail:
    app = crud.apps.get_app(session, app_id)
    if app is None:
        raise NotFoundError(f"no app with id {app_id}")
    check_org(user, app.organisation_id, f"app {app_id}")
    return views.app_detail(session, app)
