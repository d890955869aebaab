"""Tables of platform governance, on the service's ``Base`` (one database, one migration history).

A complaint names a target (an account or a group), a category and evidence; complaints on the same
target and top-level category are grouped into one open review case. A moderator's decision on a
case (verified evidence, a reason) is the only thing that creates sanctions; an appeal reopens the
case and may lift them. Status columns are short strings checked by CHECK constraints.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hegui.service.db.models import Base, utcnow

TARGET_TYPES = ("account", "group")
CONTENT_KINDS = ("text", "link", "media")
EVIDENCE_KINDS = ("text", "link", "media")
CASE_STATES = ("open", "decided", "appealed")
OUTCOMES = ("violation", "no_violation")
SEVERITIES = ("low", "medium", "high", "severe")
DECISION_STATES = ("in_force", "overturned")
ACCOUNT_SANCTIONS = ("warning", "content_removal", "restriction", "temp_ban", "permanent_ban")
GROUP_SANCTIONS = ("warning", "restriction", "disband")
SANCTION_KINDS = ("warning", "content_removal", "restriction", "temp_ban", "permanent_ban", "disband")
APPEAL_STATES = ("pending", "upheld", "overturned")
NOTICE_STATES = ("draft", "published")
SOURCES = ("client", "web", "moderator")


def _in(table: str, column: str, values: tuple[str, ...]) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"ck_{table}_{column}")


class GovAccount(Base):
    """A personal account of the platform (``uid``: its platform id, e.g. a 微信号)."""

    __tablename__ = "gov_accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    nickname: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    real_name: Mapped[str | None] = mapped_column(String(60))
    phone_bound: Mapped[bool] = mapped_column(Boolean, default=False)
    real_name_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    is_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    linked_to_id: Mapped[int | None] = mapped_column(ForeignKey("gov_accounts.id"))  # same person
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GovGroup(Base):
    """A group chat (``gid``: its platform id)."""

    __tablename__ = "gov_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    gid: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("gov_accounts.id"))
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GovContent(Base):
    """A post, link or media reference (forwarding a post for a friend is posting it too)."""

    __tablename__ = "gov_content"
    __table_args__ = (_in("gov_content", "kind", CONTENT_KINDS),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    media_ref: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("gov_accounts.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("gov_groups.id"))
    forwarded: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GovCase(Base):
    """Complaints on one target and top-level category, reviewed together."""

    __tablename__ = "gov_cases"
    __table_args__ = (
        _in("gov_cases", "target_type", TARGET_TYPES),
        _in("gov_cases", "status", CASE_STATES),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(10))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("gov_accounts.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("gov_groups.id"))
    category: Mapped[str] = mapped_column(String(80))  # top-level id, e.g. porn
    status: Mapped[str] = mapped_column(String(10), default="open")
    score: Mapped[float] = mapped_column(Float, default=0.0)  # screening: orders the queue only
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]


class GovComplaint(Base):
    """A user's complaint (举报): reporter, target, category, free text; evidence in gov_evidence."""

    __tablename__ = "gov_complaints"
    __table_args__ = (
        _in("gov_complaints", "target_type", TARGET_TYPES),
        _in("gov_complaints", "source", SOURCES),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("gov_cases.id"))
    reporter_uid: Mapped[str] = mapped_column(String(64), default="")
    target_type: Mapped[str] = mapped_column(String(10))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("gov_accounts.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("gov_groups.id"))
    category: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    source: Mapped[str] = mapped_column(String(10), default="client")
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GovEvidence(Base):
    """One evidence item of a complaint: a text excerpt, a link or a media reference."""

    __tablename__ = "gov_evidence"
    __table_args__ = (_in("gov_evidence", "kind", EVIDENCE_KINDS),)
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("gov_complaints.id"))
    content_id: Mapped[int | None] = mapped_column(ForeignKey("gov_content.id"))
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    media_ref: Mapped[str] = mapped_column(String(300), default="")


class GovDecision(Base):
    """A moderator's verified decision on a case (the only source of sanctions)."""

    __tablename__ = "gov_decisions"
    __table_args__ = (
        _in("gov_decisions", "outcome", OUTCOMES),
        _in("gov_decisions", "severity", SEVERITIES),
        _in("gov_decisions", "state", DECISION_STATES),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("gov_cases.id"))
    decided_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(80))  # the confirmed (sub)category
    severity: Mapped[str] = mapped_column(String(10), default="medium")
    evidence_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    evasion: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="in_force")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class GovSanction(Base):
    """A sanction of a decision; ``strike_expires_at`` ends its weight on the ladder."""

    __tablename__ = "gov_sanctions"
    __table_args__ = (
        _in("gov_sanctions", "kind", SANCTION_KINDS),
        _in("gov_sanctions", "target_type", TARGET_TYPES),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("gov_decisions.id"))
    target_type: Mapped[str] = mapped_column(String(10))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("gov_accounts.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("gov_groups.id"))
    kind: Mapped[str] = mapped_column(String(20))
    days: Mapped[int | None] = mapped_column(Integer)
    features: Mapped[list[str]] = mapped_column(JSON, default=list)  # restricted features
    strikes: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None]  # None: permanent (or a one-off: warning, removal)
    strike_expires_at: Mapped[datetime | None]
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)


class GovAppeal(Base):
    """An appeal against a decision, within the window; reopens the case until resolved."""

    __tablename__ = "gov_appeals"
    __table_args__ = (_in("gov_appeals", "status", APPEAL_STATES),)
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("gov_decisions.id"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)


class GovNotice(Base):
    """A public notice (公告) of a period and category, counts frozen from decided cases."""

    __tablename__ = "gov_notices"
    __table_args__ = (_in("gov_notices", "status", NOTICE_STATES),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(80), default="")  # "": every category
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]


class GovRegistrationControl(Base):
    """Registration controls of one channel (``*``: every channel)."""

    __tablename__ = "gov_registration_controls"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(40), unique=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    message_zh: Mapped[str] = mapped_column(Text, default="")
    message_en: Mapped[str] = mapped_column(Text, default="")
    resume_on: Mapped[date | None] = mapped_column(Date)
    require_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    require_real_name: Mapped[bool] = mapped_column(Boolean, default=False)
    minors_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


Index("ix_gov_case_target", GovCase.target_type, GovCase.account_id, GovCase.group_id, GovCase.status)
Index("ix_gov_case_status_score", GovCase.status, GovCase.score)
Index("ix_gov_complaint_case", GovComplaint.case_id)
Index("ix_gov_evidence_complaint", GovEvidence.complaint_id)
Index("ix_gov_decision_case", GovDecision.case_id)
Index("ix_gov_decision_decided_at", GovDecision.decided_at)
Index("ix_gov_sanction_account", GovSanction.account_id)
Index("ix_gov_sanction_group", GovSanction.group_id)
Index("ix_gov_appeal_decision", GovAppeal.decision_id)
