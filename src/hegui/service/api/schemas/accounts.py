"""Users, API tokens and organisations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from hegui.service.api.schemas.common import Id, Input, Name, Public, bounded

Role = Literal["developer", "reviewer", "store", "regulator", "moderator", "admin"]
Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@-]{1,100}$")]
Password = Annotated[str, Field(min_length=8, max_length=200)]


class TokenResponse(Public):
    """OAuth2-style answer of ``POST /auth/token``: send ``Authorization: Bearer <access_token>``."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    user_id: int
    role: Role


class UserCreate(Input):
    username: Username
    role: Role
    password: Password | None = None
    organisation_id: Id | None = None
    display_name: Annotated[str, bounded(200)] = ""


class UserPublic(Public):
    id: int
    username: str
    display_name: str
    role: Role
    organisation_id: int | None
    active: bool
    created_at: datetime


class TokenCreate(Input):
    name: Annotated[str, bounded(100)] = ""


class TokenIssued(Public):
    """A new API token; ``token`` is shown this once and never stored (only its SHA-256 is)."""

    id: int
    user_id: int
    name: str
    token: str
    created_at: datetime


class OrganisationCreate(Input):
    name: Name
    credit_code: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{0,40}$")] | None = None


class ReleaseReviewPublic(Public):
    id: int
    reason: str
    started_at: datetime
    lifted_at: datetime | None
    lifted_by: int | None
    lift_reason: str | None


class OrganisationPublic(Public):
    id: int
    name: str
    credit_code: str | None
    created_at: datetime


class OrganisationDetail(OrganisationPublic):
    """With the strike ledger: published notices naming the organisation, per year."""

    strike_year: int
    strikes_this_year: int
    strike_threshold: int = Field(description="review before release starts at MORE than this many notices")
    strike_ledger: dict[int, int]
    release_review: ReleaseReviewPublic | None
    apps: int


class ReasonBody(Input):
    reason: Annotated[str, bounded(2000, min_length=1)]
