"""Organisations: the enterprises behind apps, with their strike count and review-before-release state."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.service import crud
from hegui.service.api.deps import (
    Admin,
    AnyRole,
    Regulator,
    SessionDep,
    SettingsDep,
    TodayDep,
    check_org,
    scope_org,
)
from hegui.service.api.errors import AUTH_ERRORS, CONFLICT, NOT_FOUND
from hegui.service.api.schemas.accounts import (
    OrganisationCreate,
    OrganisationDetail,
    OrganisationPublic,
    ReasonBody,
    ReleaseReviewPublic,
)
from hegui.service.db.models import App, Organisation, ReleaseReview, User
from hegui.service.domain import strikes
from hegui.service.errors import NotFoundError

router = APIRouter(prefix="/organisations", tags=["organisations"], responses={**AUTH_ERRORS, **NOT_FOUND})


def _get(session: Session, organisation_id: int, user: User) -> Organisation:
    org = crud.organisations.get_organisation(session, organisation_id)
    check_org(user, organisation_id, "organisation")
    if org is None:
        raise NotFoundError(f"no organisation with id {organisation_id}")
    return org


@router.get("", response_model=list[OrganisationPublic], summary="Organisations (developers: their own)")
def list_organisations(session: SessionDep, user: AnyRole) -> list[Organisation]:
    orgs = crud.organisations.list_organisations(session)
    only = scope_org(user)
    return [o for o in orgs if only is None or o.id == only]


@router.post(
    "",
    response_model=OrganisationPublic,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Create an organisation (admin)",
)
def create_organisation(body: OrganisationCreate, session: SessionDep, admin: Admin) -> Organisation:
    org = crud.organisations.create_organisation(
        session, name=body.name, credit_code=body.credit_code, actor_id=admin.id
    )
    session.commit()
    return org


@router.get(
    "/{organisation_id}",
    response_model=OrganisationDetail,
    summary="An organisation with its strikes this year and its review-before-release state",
)
def get_organisation(
    organisation_id: int, session: SessionDep, settings: SettingsDep, today: TodayDep, user: AnyRole
) -> OrganisationDetail:
    org = _get(session, organisation_id, user)
    review = crud.release_review.active(session, organisation_id=org.id)
    apps = session.scalar(select(func.count()).select_from(App).where(App.organisation_id == org.id)) or 0
    return OrganisationDetail(
        **OrganisationPublic.model_validate(org).model_dump(),
        strike_year=today.year,
        strikes_this_year=strikes.notices_in_year(session, organisation_id=org.id, year=today.year),
        strike_threshold=settings.strike_threshold,
        strike_ledger=strikes.ledger(session, organisation_id=org.id),
        release_review=ReleaseReviewPublic.model_validate(review) if review is not None else None,
        apps=apps,
    )


@router.post(
    "/{organisation_id}/release-review",
    response_model=ReleaseReviewPublic,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Put the organisation under review before release (regulator)",
)
def start_release_review(
    organisation_id: int, body: ReasonBody, session: SessionDep, user: Regulator
) -> ReleaseReview:
    review = crud.release_review.start(
        session, organisation_id=organisation_id, reason=body.reason, actor_id=user.id
    )
    session.commit()
    return review


@router.post(
    "/{organisation_id}/release-review/lift",
    response_model=ReleaseReviewPublic,
    responses=CONFLICT,
    summary="Lift the organisation's review before release (regulator), with a reason",
)
def lift_release_review(
    organisation_id: int, body: ReasonBody, session: SessionDep, user: Regulator
) -> ReleaseReview:
    review = crud.release_review.lift(
        session, organisation_id=organisation_id, reason=body.reason, actor_id=user.id
    )
    session.commit()
    return review
