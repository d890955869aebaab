"""Apps, versions (uploaded APKs), analysis jobs, results and uploads."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from hegui.service.api.schemas.common import Public

JobStatus = Literal["queued", "running", "done", "failed"]
VerdictStatus = Literal["pass", "fail", "needs-review"]


class RemovalPublic(Public):
    id: int
    app_id: int
    reason: str
    decided_by: int | None
    created_at: datetime
    lifted_at: datetime | None
    lifted_by: int | None
    lift_reason: str | None


class AppPublic(Public):
    id: int
    package: str
    name: str
    organisation_id: int
    app_type: str | None
    created_at: datetime
    removed: bool = False


class VersionPublic(Public):
    id: int
    app_id: int
    package: str = ""
    sha256: str
    size: int
    version_code: int | None
    version_name: str | None
    file_name: str = Field(description="the uploader's file name, for display only")
    policy_sha256: str | None = Field(
        None, description="the privacy policy given with the upload (None: none was given)"
    )
    policy_file_name: str | None = Field(None, description="the policy's file name, for display only")
    uploaded_by: int | None
    created_at: datetime
    verdict: VerdictStatus | None = Field(None, description="the analysis verdict, None until analysed")
    links: dict[str, str] = Field(default_factory=dict)


class AppDetail(AppPublic):
    versions: list[VersionPublic]
    removal: RemovalPublic | None


class JobPublic(Public):
    id: int
    version_id: int
    campaign_id: int | None
    status: JobStatus
    attempts: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ReviewDecisionPublic(Public):
    id: int
    result_id: int
    item: str
    decision: Literal["confirmed", "dismissed"]
    note: str
    reviewer_id: int
    created_at: datetime


class ResultPublic(Public):
    id: int
    version_id: int
    verdict: VerdictStatus = Field(description="the analysis verdict")
    effective_verdict: VerdictStatus = Field(description="after the reviewers' decisions")
    hegui_version: str
    created_at: datetime
    review_items: list[str] = Field(description="rule ids a reviewer has to decide")
    decisions: list[ReviewDecisionPublic]
    report: dict[str, Any] = Field(description="the hegui JSON report (docs/json-output.md)")
    links: dict[str, str] = Field(default_factory=dict)


class UploadPublic(Public):
    """``created`` is false when these bytes were uploaded before (same version, same job)."""

    created: bool
    app: AppPublic
    version: VersionPublic
    job: JobPublic
    links: dict[str, str]
