"""The listing gate for distribution platforms: may this version of this package be listed today?

``decide(session, package=..., version_code=..., today=...)`` gathers the facts (``gather``) and
applies the rule table (``rule``, pure). The first matching row wins:

====  =========================================================  ========  =================================
 #    condition                                                  status    what lifts it
====  =========================================================  ========  =================================
 1    package unknown                                            pending   upload the APK for testing
 2    the app is removed (下架)                                  blocked   a regulator lifts the removal
 3    a rectification case is open past its deadline             blocked   a passing re-test (closes the case)
      (deadline inclusive: overdue from the day after)
 4    version_code unknown for this package                      pending   upload this version for testing
 5    organisation under review before release (上架前检测),
      or ``policy="strict"``, by the version's effective
      verdict (reviewers' decisions applied, see crud.reviews):
 5a     pass                                                     allowed
 5b     fail                                                     blocked   fix, upload a new version
 5c     needs-review                                             pending   a reviewer decides the items
 5d     no result yet                                            pending   the analysis finishes (< 1 min)
 6    otherwise (organisation not under review, default          allowed   (testing is not a precondition
      ``policy="regulator"``), whatever the verdict; the                   outside review before release;
      verdict (or None) is attached with a reason line                     the store may apply its own)
====  =========================================================  ========  =================================

Rows 2 and 3 concern the app, so they apply before row 4: a removed app's new, never-uploaded
version is ``blocked``, not ``pending``. ``policy="strict"`` is for a store or lab that requires a
pass of every app in its own catalogue (the same loop, stricter scope). Every decision carries
its reasons in Chinese and English, and the ids needed to link the evidence (result → report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.checks.model import Text
from hegui.service.crud import apps, release_review, removals, results, reviews, versions
from hegui.service.db.models import NoticeBatch, NoticeEntry, Organisation, RectificationCase

GateStatus = Literal["allowed", "blocked", "pending"]
Policy = Literal["regulator", "strict"]


class GateDecision(BaseModel):
    status: GateStatus
    reasons: list[Text]
    package: str
    version_code: int
    app_id: int | None = None
    version_id: int | None = None
    result_id: int | None = None
    verdict: str | None = None  # the effective verdict of the version, None when not analysed
    under_review: bool = False
    policy: Policy = "regulator"


@dataclass(frozen=True)
class Overdue:
    deadline: date
    notice: str  # number or title of the notice that opened the case


@dataclass(frozen=True)
class GateFacts:
    """Everything the rule table looks at, read from the database by ``gather``."""

    package: str
    version_code: int
    app_id: int | None = None
    version_id: int | None = None
    result_id: int | None = None
    verdict: str | None = None
    removal_reason: str | None = None
    overdue: tuple[Overdue, ...] = field(default_factory=tuple)
    organisation: str = ""
    review_reason: str | None = None  # set when the organisation is under review before release


def rule(facts: GateFacts, *, policy: Policy = "regulator") -> GateDecision:
    """The rule table of the module docstring (pure)."""
    f = facts

    def out(status: GateStatus, *reasons: Text) -> GateDecision:
        return GateDecision(
            status=status,
            reasons=list(reasons),
            package=f.package,
            version_code=f.version_code,
            app_id=f.app_id,
            version_id=f.version_id,
            result_id=f.result_id,
            verdict=f.verdict,
            under_review=f.review_reason is not None,
            policy=policy,
        )

    if f.app_id is None:
        return out(
            "pending",
            Text(
                zh=f"该应用尚未上传检测（未知包名 {f.package}）。",
                en=f"Not uploaded or tested: unknown package {f.package}.",
            ),
        )
    if f.removal_reason is not None:
        return out(
            "blocked",
            Text(zh=f"该应用已下架：{f.removal_reason}", en=f"The app has been removed: {f.removal_reason}"),
        )
    if f.overdue:
        return out(
            "blocked",
            *(
                Text(
                    zh=f"整改期限 {o.deadline.isoformat()} 已过，未通过复测（通报：{o.notice}）。",
                    en=f"The rectification deadline {o.deadline.isoformat()} has passed without a "
                    f"passing re-test (notice: {o.notice}).",
                )
                for o in f.overdue
            ),
        )
    if f.version_id is None:
        return out(
            "pending",
            Text(
                zh=f"该版本（versionCode {f.version_code}）尚未上传检测。",
                en=f"Not uploaded or tested: version code {f.version_code} of {f.package}.",
            ),
        )
    if f.review_reason is not None or policy == "strict":
        scope = (
            Text(
                zh=f"{f.organisation} 处于上架前检测（{f.review_reason}），每个版本须通过检测方可上架。",
                en=f"{f.organisation} is under review before release ({f.review_reason}): "
                "every version must pass before it is listed.",
            )
            if f.review_reason is not None
            else Text(
                zh="本平台要求每个版本通过检测方可上架。", en="This platform requires every version to pass."
            )
        )
        if f.verdict == "pass":
            return out("allowed", scope, Text(zh="本版本已通过检测。", en="This version passed testing."))
        if f.verdict == "fail":
            return out("blocked", scope, Text(zh="本版本未通过检测。", en="This version failed testing."))
        if f.verdict == "needs-review":
            return out(
                "pending",
                scope,
                Text(
                    zh="本版本需人工复核，复核完成前不得上架。",
                    en="This version awaits a reviewer's decision.",
                ),
            )
        return out(
            "pending", scope, Text(zh="本版本尚在检测中。", en="This version has not been analysed yet.")
        )
    verdict = f.verdict or "not analysed"
    verdict_zh = {"pass": "通过", "fail": "未通过", "needs-review": "需人工复核"}.get(
        f.verdict or "", "尚未检测"
    )
    return out(
        "allowed",
        Text(
            zh=f"该企业不在上架前检测范围内，检测不是上架的前提；检测结论：{verdict_zh}。",
            en=f"The organisation is not under review before release, so testing is not a precondition; "
            f"verdict: {verdict}.",
        ),
    )


def gather(session: Session, *, package: str, version_code: int, today: date) -> GateFacts:
    """Read the facts of the rule table from the database."""
    app = apps.get_app_by_package(session, package)
    if app is None:
        return GateFacts(package=package, version_code=version_code)
    removal = removals.active_removal(session, app_id=app.id)
    overdue_rows = session.execute(
        select(RectificationCase.deadline, NoticeBatch.number, NoticeBatch.title)
        .join(NoticeEntry, NoticeEntry.id == RectificationCase.notice_entry_id)
        .join(NoticeBatch, NoticeBatch.id == NoticeEntry.batch_id)
        .where(
            RectificationCase.app_id == app.id,
            RectificationCase.status == "open",
            RectificationCase.deadline < today,
        )
        .order_by(RectificationCase.deadline, RectificationCase.id)
    ).all()
    org = session.get(Organisation, app.organisation_id)
    review = release_review.active(session, organisation_id=app.organisation_id)
    version = versions.latest_version(session, app_id=app.id, version_code=version_code)
    result = results.get_result(session, version_id=version.id) if version is not None else None
    return GateFacts(
        package=package,
        version_code=version_code,
        app_id=app.id,
        version_id=version.id if version is not None else None,
        result_id=result.id if result is not None else None,
        verdict=reviews.effective_verdict(session, result=result) if result is not None else None,
        removal_reason=removal.reason if removal is not None else None,
        overdue=tuple(Overdue(deadline=d, notice=number or title) for d, number, title in overdue_rows),
        organisation=org.name if org is not None else "",
        review_reason=review.reason if review is not None else None,
    )


def decide(
    session: Session, *, package: str, version_code: int, today: date, policy: Policy = "regulator"
) -> GateDecision:
    """The gate's answer for ``package`` at ``version_code`` on ``today`` (see the table above)."""
    return rule(gather(session, package=package, version_code=version_code, today=today), policy=policy)
