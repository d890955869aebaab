"""SQLAlchemy 2 models of the review and enforcement service (and, later, governance).

One table per entity of the process; every decision also lands in the append-only ``audit_log``.
Migrations live in ``service/db/migrations`` (Alembic); a test compares them with these models.
Times are timezone-aware UTC. Status columns are short strings checked by CHECK constraints, so
SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("developer", "reviewer", "store", "regulator", "moderator", "admin")
JOB_STATES = ("queued", "running", "done", "failed")
VERDICTS = ("pass", "fail", "needs-review")
NOTICE_STATES = ("draft", "published")
CASE_STATES = ("open", "passed", "failed")
REVIEW_DECISIONS = ("confirmed", "dismissed")


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(dt: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime: SQLite gives naive datetimes back (they are UTC)."""
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


def _in(column: str, values: tuple[str, ...]) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"ck_{column}_values")


# Names for constraints that have none, so migrations can drop them later (SQLite batch mode
# included). Explicitly named constraints (the CHECKs above, the indexes) keep their names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class Organisation(Base):
    """The enterprise behind apps (the unit of the strike rule)."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    credit_code: Mapped[str | None] = mapped_column(String(40))  # 统一社会信用代码, optional
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    apps: Mapped[list[App]] = relationship(back_populates="organisation")


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (_in("role", ROLES),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id")
    )  # developers: their org
    password_hash: Mapped[str | None] = mapped_column(String(300))  # scrypt, see service/security.py
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class App(Base):
    """An app by package name, owned by one organisation."""

    __tablename__ = "app"
    id: Mapped[int] = mapped_column(primary_key=True)
    package: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    app_type: Mapped[str | None] = mapped_column(String(60))  # one of the 39 (knowledge/data/app_types.yaml)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    organisation: Mapped[Organisation] = relationship(back_populates="apps")
    versions: Mapped[list[Version]] = relationship(back_populates="app")


class Version(Base):
    """One uploaded APK with the privacy policy it was submitted with (none: ``policy_sha256`` is
    NULL). The pair (``sha256``, ``policy_sha256``) identifies the analysis: it is unique (two
    indexes, because NULLs are distinct in a UNIQUE constraint), so the same APK bytes are one
    version per policy. Both files are in the content-addressed store."""

    __tablename__ = "version"
    __table_args__ = (
        Index("ix_version_app_code", "app_id", "version_code"),
        Index("uq_version_sha256_policy", "sha256", "policy_sha256", unique=True),
        Index(
            "uq_version_sha256_no_policy",
            "sha256",
            unique=True,
            sqlite_where=text("policy_sha256 IS NULL"),
            postgresql_where=text("policy_sha256 IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("app.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    version_code: Mapped[int | None] = mapped_column(BigInteger)
    version_name: Mapped[str | None] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(255), default="")
    # the privacy policy given with the upload (its bytes are in the store), or NULL
    policy_sha256: Mapped[str | None] = mapped_column(String(64))
    policy_file_name: Mapped[str | None] = mapped_column(String(255))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    app: Mapped[App] = relationship(back_populates="versions")
    result: Mapped[Result | None] = relationship(back_populates="version", uselist=False)


class Campaign(Base):
    """A batch test (专项检测) over a catalogue; its jobs point at it."""

    __tablename__ = "campaign"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class Job(Base):
    """One analysis of one version. At most one live job per version (idempotent by the version's
    (APK sha256, policy sha256) pair)."""

    __tablename__ = "job"
    __table_args__ = (_in("status", JOB_STATES), Index("ix_job_status", "status"))
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class Result(Base):
    """The analysis of a version: the whole report (facts, findings) and its verdict."""

    __tablename__ = "result"
    __table_args__ = (_in("verdict", VERDICTS),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), unique=True)
    verdict: Mapped[str] = mapped_column(String(20))
    report: Mapped[dict[str, Any]] = mapped_column(JSON)  # hegui.report.model.Report, as JSON
    hegui_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[Version] = relationship(back_populates="result")


class ReviewDecision(Base):
    """A reviewer's decision on an assisted/manual item of a result, or on the whole version."""

    __tablename__ = "review_decision"
    __table_args__ = (_in("decision", REVIEW_DECISIONS),)
    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("result.id"))
    item: Mapped[str] = mapped_column(String(100))  # rule id (HG-PI-004) or rulebook item (RD-1-2)
    decision: Mapped[str] = mapped_column(String(20))  # confirmed = the problem is real
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NoticeBatch(Base):
    """A public notice (通报): a dated list of apps and their problems, with a deadline to rectify."""

    __tablename__ = "notice_batch"
    __table_args__ = (_in("status", NOTICE_STATES),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    number: Mapped[str] = mapped_column(String(60), default="")  # e.g. 2021年第4批
    status: Mapped[str] = mapped_column(String(20), default="draft")
    deadline: Mapped[date | None] = mapped_column(Date)  # rectify by (inclusive)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    # the notice's official date (the ``today`` of publish_notice); the strike rule counts by its year
    published_on: Mapped[date | None] = mapped_column(Date)
    entries: Mapped[list[NoticeEntry]] = relationship(back_populates="batch")


class NoticeEntry(Base):
    """One app in a notice, with the version tested and the problems found."""

    __tablename__ = "notice_entry"
    __table_args__ = (UniqueConstraint("batch_id", "app_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("notice_batch.id"))
    app_id: Mapped[int] = mapped_column(ForeignKey("app.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("version.id"))
    problems: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"rules": [...], "text": ...}
    batch: Mapped[NoticeBatch] = relationship(back_populates="entries")


class RectificationCase(Base):
    """A notified app's obligation to rectify by the deadline; closed by a passing re-test."""

    __tablename__ = "rectification_case"
    __table_args__ = (_in("status", CASE_STATES),)
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_entry_id: Mapped[int] = mapped_column(ForeignKey("notice_entry.id"), unique=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("app.id"))
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    retest_version_id: Mapped[int | None] = mapped_column(ForeignKey("version.id"))
    closed_at: Mapped[datetime | None]


class Removal(Base):
    """An app taken down (下架); lifted by an authorised decision."""

    __tablename__ = "removal"
    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("app.id"))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)


class ReleaseReview(Base):
    """Review before every release (上架前检测) for all apps of an organisation, until lifted."""

    __tablename__ = "release_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    reason: Mapped[str] = mapped_column(Text)  # e.g. "4 notices in 2021 (threshold: more than 3)"
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)


class AuditLog(Base):
    """Append-only: every decision, with who and why. Never updated or deleted (a test checks)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_target", "target_type", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: the system
    action: Mapped[str] = mapped_column(String(60))  # e.g. notice.publish, removal.create
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# Lookup indexes for the queries of crud/ and domain/ (the gate, the strike rule, the case sweep).
Index("ix_app_organisation", App.organisation_id)
Index("ix_job_version", Job.version_id)
Index("ix_review_decision_result", ReviewDecision.result_id)
Index("ix_notice_entry_app", NoticeEntry.app_id)
Index("ix_case_app_status", RectificationCase.app_id, RectificationCase.status)
Index("ix_case_status_deadline", RectificationCase.status, RectificationCase.deadline)
Index("ix_removal_app", Removal.app_id)
Index("ix_release_review_org", ReleaseReview.organisation_id)
Index("ix_api_token_user", ApiToken.user_id)

from hegui.governance import models as _governance_models  # noqa: E402,F401 - the gov_* tables
