"""Request and response bodies of the governance API (inputs strict and bounded)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import Field, StringConstraints

from hegui.service.api.schemas.common import Input, Public, Reason, bounded

Uid = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@+-]{1,64}$")]
CategoryId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}(\.[a-z][a-z0-9_]{0,39})?$")]
IdPath = Annotated[int, Path(ge=1, le=2**62)]
Text2000 = Annotated[str, bounded(2000)]
TargetType = Literal["account", "group"]
Severity = Literal["low", "medium", "high", "severe"]


class EvidenceCreate(Input):
    kind: Literal["text", "link", "media"] = "text"
    text: Text2000 = ""
    url: Annotated[str, bounded(2000)] = ""
    media_ref: Annotated[str, bounded(300)] = ""
    forwarded: bool = False


class ComplaintCreate(Input):
    target_type: TargetType
    target_uid: Uid
    target_name: Annotated[str, bounded(100)] = ""
    category: CategoryId
    text: Text2000 = ""
    reporter_uid: Uid | None = None
    evidence: list[EvidenceCreate] = Field(default_factory=list, max_length=10)


class ComplaintPublic(Public):
    id: int
    case_id: int
    category: str
    score: float
    created_at: datetime


class EvidencePublic(Public):
    id: int
    complaint_id: int
    content_id: int | None
    kind: str
    text: str
    url: str
    media_ref: str


class CasePublic(Public):
    id: int
    target_type: str
    account_id: int | None
    group_id: int | None
    category: str
    status: str
    score: float
    report_count: int
    opened_at: datetime
    decided_at: datetime | None


class SanctionPublic(Public):
    id: int
    decision_id: int
    target_type: str
    kind: str
    days: int | None
    features: list[str]
    strikes: int
    starts_at: datetime
    ends_at: datetime | None
    strike_expires_at: datetime | None
    lifted_at: datetime | None


class DecisionPublic(Public):
    id: int
    case_id: int
    decided_by: int
    outcome: str
    category: str
    severity: str
    evidence_verified: bool
    evasion: bool
    reason: str
    state: str
    decided_at: datetime


class AppealPublic(Public):
    id: int
    decision_id: int
    text: str
    status: str
    filed_at: datetime
    resolved_at: datetime | None
    resolution: str | None


class CaseDetail(Public):
    case: CasePublic
    target: dict[str, Any]
    complaints: list[ComplaintPublic]
    evidence: list[EvidencePublic]
    decisions: list[DecisionPublic]
    sanctions: list[SanctionPublic]
    appeals: list[AppealPublic]


class DecisionCreate(Input):
    outcome: Literal["violation", "no_violation"]
    reason: Reason
    category: CategoryId | None = None
    severity: Severity = "medium"
    evidence_verified: bool = False
    evasion: bool = False


class ProposalPublic(Public):
    sanction: str
    days: int | None
    strikes: int
    total: int
    why: str


class DecisionResult(Public):
    decision: DecisionPublic
    sanctions: list[SanctionPublic]


class AppealCreate(Input):
    decision_id: Annotated[int, Field(ge=1, le=2**62)]
    text: Reason


class AppealResolve(Input):
    resolution: Literal["upheld", "overturned"]
    reason: Reason


class StatusPublic(Public):
    target_type: str
    uid: str
    known: bool
    state: str
    until: datetime | None
    active_strikes: int
    sanctions: list[SanctionPublic]


class LinkCreate(Input):
    linked_uid: Uid
    reason: Reason


class ScreenRequest(Input):
    text: Annotated[str, StringConstraints(max_length=20_000)]


class NoticeCreate(Input):
    period_start: date
    period_end: date
    category: CategoryId | Literal[""] = ""
    title: Annotated[str, bounded(300)] = ""


class NoticePublic(Public):
    id: int
    title: str
    category: str
    period_start: date
    period_end: date
    counts: dict[str, Any]
    body_text: str
    body_html: str
    status: str
    created_at: datetime
    published_at: datetime | None


class ControlSet(Input):
    paused: bool = False
    message_zh: Annotated[str, bounded(500)] = ""
    message_en: Annotated[str, bounded(500)] = ""
    resume_on: date | None = None
    require_phone: bool = False
    require_real_name: bool = False
    minors_mode: bool = False
    reason: Reason


class ControlPublic(Public):
    channel: str
    paused: bool
    message_zh: str
    message_en: str
    resume_on: date | None
    require_phone: bool
    require_real_name: bool
    minors_mode: bool
    updated_at: datetime


class RegistrationStatus(Public):
    channel: str
    open: bool
    message: str
    resume_on: date | None
    require_phone: bool
    require_real_name: bool
    minors_mode: bool


class RegistrationCheck(Input):
    """What the client knows of an applicant (nothing of it is stored)."""

    channel: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,39}$")] = "app"
    phone_bound: bool = False
    real_name_verified: bool = False
    age: Annotated[int, Field(ge=0, le=150)] | None = None
    guardian_consent: bool = False
    streamer: bool = False


class RefusalReason(Public):
    code: str
    message: str
    basis: str


class RegistrationDecision(Public):
    channel: str
    allowed: bool
    reasons: list[RefusalReason]
    minors_mode: bool
    limits: list[str]
    message: str
    resume_on: date | None


class DecisionExport(Public):
    """One decided violation in force, for transparency reports (identifiers masked)."""

    decision_id: int
    decided_at: str
    target_type: str
    identifier: str
    category: str
    sanction: str
