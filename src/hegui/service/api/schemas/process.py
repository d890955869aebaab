"""The enforcement process: the gate, notices (通报), removals (下架), reviews and campaigns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from hegui.checks.model import Text
from hegui.service.api.schemas.catalogue import ReviewDecisionPublic
from hegui.service.api.schemas.common import Id, Input, Note, Public, Reason, Sha256, bounded

RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,100}$")]


class GatePublic(Public):
    status: Literal["allowed", "blocked", "pending"]
    reasons: list[Text]
    package: str
    version_code: int
    app_id: int | None
    version_id: int | None
    result_id: int | None
    verdict: str | None = Field(description="effective verdict of the version; None when not analysed")
    under_review: bool = Field(description="the organisation is under review before release (上架前检测)")
    evidence: str | None = Field(description="link to the HTML report of the version, when analysed")


class NoticeCreate(Input):
    title: Annotated[str, bounded(300, min_length=1)]
    number: Annotated[str, bounded(60)] = ""
    deadline: date


class Problems(Input):
    rules: list[RuleId] = Field(default_factory=list, max_length=100)
    text: Annotated[str, bounded(4000)] = ""


class NoticeEntryCreate(Input):
    """Omit ``problems`` to take them from the version's result (its failing rules and reasons)."""

    app_id: Id
    version_id: Id | None = None
    problems: Problems | None = None


class CasePublic(Public):
    id: int
    app_id: int
    status: Literal["open", "passed", "failed"]
    deadline: date
    retest_version_id: int | None
    closed_at: datetime | None


class NoticeEntryPublic(Public):
    id: int
    app_id: int
    package: str
    app_name: str
    organisation_id: int
    organisation: str
    version_id: int | None
    version_code: int | None
    version_name: str | None
    problems: dict[str, Any]
    case: CasePublic | None = None


class NoticePublic(Public):
    id: int
    title: str
    number: str
    status: Literal["draft", "published"]
    deadline: date | None
    created_at: datetime
    published_at: datetime | None
    published_on: date | None
    entries: list[NoticeEntryPublic]


class PublishedNotice(Public):
    """A notice as the public sees it: published ones only, no internal ids of users."""

    id: int
    title: str
    number: str
    deadline: date | None
    published_on: date | None
    entries: list[NoticeEntryPublic]


class CandidatePublic(Public):
    app_id: int
    package: str
    organisation_id: int
    version_id: int
    version_code: int | None
    result_id: int
    problems: dict[str, Any]


class RemovalCreate(Input):
    app_id: Id
    reason: Reason


class ReviewCreate(Input):
    """``item``: a rule id from the result's ``review_items``, or ``version`` for the whole version."""

    version_id: Id
    item: RuleId
    decision: Literal["confirmed", "dismissed"]
    note: Note = ""


class ReviewState(Public):
    version_id: int
    result_id: int
    verdict: str
    effective_verdict: str
    review_items: list[str]
    decisions: list[ReviewDecisionPublic]


class CampaignCreate(Input):
    """The APKs by version id and/or by the sha256 of an uploaded file (upload them first)."""

    name: Annotated[str, bounded(200, min_length=1)]
    version_ids: list[Id] = Field(default_factory=list, max_length=10_000)
    sha256s: list[Sha256] = Field(default_factory=list, max_length=10_000)


class CampaignPublic(Public):
    campaign_id: int
    name: str
    total: int
    done: int
    failed: int
    queued: int
    running: int
    skipped: int
    passing: int
    failing: int
    needs_review: int
    by_rule: dict[str, int]
    started_at: datetime | None
    finished_at: datetime | None
    elapsed_seconds: float
    throughput_per_hour: float
    finished: bool
    links: dict[str, str] = Field(default_factory=dict)
