"""Read-only views for the pages: plain dicts of what a template shows, built from the models
(writes always go through ``hegui.service.crud``, which audits them)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.service.db.models import (
    App,
    Campaign,
    Job,
    NoticeBatch,
    NoticeEntry,
    Organisation,
    RectificationCase,
    Removal,
    Result,
    Version,
)

_RULE_PREFIX = re.compile(r"^HG-[A-Z]+-\d{3}\s+")
_COUNT_SUFFIX = re.compile(r"\s*[（(]\d+\s*(项|findings?)[）)]\s*$")


def version_text(version: Version | None) -> str:
    if version is None:
        return "–"
    if version.version_name and version.version_code is not None:
        return f"{version.version_name} ({version.version_code})"
    if version.version_name:
        return version.version_name
    return str(version.version_code) if version.version_code is not None else "–"


def app_label(app: App, result: Result | None = None) -> str:
    if app.name:
        return app.name
    if result is not None:
        label = ((result.report or {}).get("facts") or {}).get("manifest", {}).get("label")
        if isinstance(label, str) and label:
            return label
    return app.package


def version_info(session: Session, version: Version) -> dict[str, Any]:
    app = session.get(App, version.app_id)
    assert app is not None
    org = session.get(Organisation, app.organisation_id)
    result = session.scalar(select(Result).where(Result.version_id == version.id))
    return {
        "app_name": app_label(app, result),
        "package": app.package,
        "version": version_text(version),
        "file_name": version.file_name,
        "policy_sha256": version.policy_sha256,
        "policy_file_name": version.policy_file_name or "",
        "org_id": org.id if org else None,
        "org_name": org.name if org else "",
        "app_id": app.id,
    }


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        got = value.get("en" if lang == "en" else "zh") or value.get("zh") or ""
        return str(got)
    return str(value or "")


def reasons(report: dict[str, Any] | None, lang: str) -> list[str]:
    """The verdict's reasons in ``lang`` (each once)."""
    out: list[str] = []
    for r in ((report or {}).get("verdict") or {}).get("reasons") or []:
        text = _text(r, lang)
        if text and text not in out:
            out.append(text)
    return out


def problems_text(problems: dict[str, Any] | None, lang: str) -> str:
    """所涉问题 of a notice entry: a free text if given, else the reasons without rule ids and counts."""
    problems = problems or {}
    text = problems.get("text")
    if isinstance(text, str) and text.strip():
        return text.strip()
    if isinstance(text, dict):
        return _text(text, lang)
    parts: list[str] = []
    for r in problems.get("reasons") or []:
        t = _COUNT_SUFFIX.sub("", _RULE_PREFIX.sub("", _text(r, lang))).strip()
        if t and t not in parts:
            parts.append(t)
    if not parts:
        parts = [str(r) for r in problems.get("rules") or []]
    return ("；" if lang != "en" else "; ").join(parts)


def recent_versions(
    session: Session, *, organisation_id: int | None, limit: int = 20
) -> list[dict[str, Any]]:
    q = select(Version, App).join(App, App.id == Version.app_id).order_by(Version.id.desc()).limit(limit)
    if organisation_id is not None:
        q = q.where(App.organisation_id == organisation_id)
    rows = []
    for version, app in session.execute(q):
        result = session.scalar(select(Result).where(Result.version_id == version.id))
        job = session.scalar(select(Job).where(Job.version_id == version.id).order_by(Job.id.desc()).limit(1))
        rows.append(
            {
                "app_name": app_label(app, result),
                "package": app.package,
                "version": version_text(version),
                "file_name": version.file_name,
                "created_at": version.created_at,
                "verdict": result.verdict if result else None,
                "result_id": result.id if result else None,
                "job_status": job.status if job else None,
                "job_id": job.id if job else None,
            }
        )
    return rows


def notice_rows(session: Session, batch_id: int, lang: str, source: str) -> list[dict[str, Any]]:
    q = (
        select(NoticeEntry, App, Organisation)
        .join(App, App.id == NoticeEntry.app_id)
        .join(Organisation, Organisation.id == App.organisation_id)
        .where(NoticeEntry.batch_id == batch_id)
        .order_by(NoticeEntry.id)
    )
    rows = []
    for entry, app, org in session.execute(q):
        version = session.get(Version, entry.version_id) if entry.version_id else None
        result = session.scalar(select(Result).where(Result.version_id == version.id)) if version else None
        problems = entry.problems or {}
        given = problems.get("source")
        rows.append(
            {
                "entry_id": entry.id,
                "app_name": app_label(app, result),
                "package": app.package,
                "org_name": org.name,
                "source": given if isinstance(given, str) and given else source,
                "version": version.version_name or version_text(version) if version else "–",
                "problems": problems_text(problems, lang),
            }
        )
    return rows


def batches(session: Session, *, published_only: bool = False) -> list[dict[str, Any]]:
    counts = dict(
        session.execute(select(NoticeEntry.batch_id, func.count()).group_by(NoticeEntry.batch_id)).all()
    )
    q = select(NoticeBatch).order_by(NoticeBatch.id.desc())
    if published_only:
        q = q.where(NoticeBatch.status == "published")
    return [
        {
            "id": b.id,
            "title": b.title,
            "number": b.number,
            "status": b.status,
            "deadline": b.deadline,
            "published_at": b.published_at,
            "n": counts.get(b.id, 0),
        }
        for b in session.scalars(q)
    ]


def notice_heading(batch: NoticeBatch) -> str:
    return f"{batch.title}（{batch.number}）" if batch.number else batch.title


# -- the dashboard --------------------------------------------------------------------------------

METRICS = ("tested", "failing", "notified", "rectified", "removed")


@dataclass
class Dashboard:
    totals: dict[str, int]
    months: list[str]
    by_month: dict[str, list[int]]
    batches: list[dict[str, Any]] = field(default_factory=list)
    campaigns: list[dict[str, Any]] = field(default_factory=list)


def _month(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC)
    return f"{value.year:04d}-{value.month:02d}"


def _last_months(today: date, n: int) -> list[str]:
    out = []
    y, m = today.year, today.month
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def dashboard(session: Session, *, today: date, months: int = 12) -> Dashboard:
    """Tested, failing, notified, rectified and removed: totals, per month (the last ``months``)
    and, for each published notice, what became of the apps it named."""
    stamps: dict[str, list[str | None]] = {k: [] for k in METRICS}
    for created, verdict in session.execute(select(Result.created_at, Result.verdict)):
        stamps["tested"].append(_month(created))
        if verdict == "fail":
            stamps["failing"].append(_month(created))
    for published_at, published_on in session.execute(
        select(NoticeBatch.published_at, NoticeBatch.published_on)
        .join(NoticeEntry, NoticeEntry.batch_id == NoticeBatch.id)
        .where(NoticeBatch.status == "published")
    ):
        stamps["notified"].append(_month(published_on or published_at))
    for (closed,) in session.execute(
        select(RectificationCase.closed_at).where(RectificationCase.status == "passed")
    ):
        stamps["rectified"].append(_month(closed))
    for (created,) in session.execute(select(Removal.created_at)):
        stamps["removed"].append(_month(created))
    window = _last_months(today, months)
    by_month = {k: [Counter(v)[m] for m in window] for k, v in stamps.items()}
    totals = {k: len(v) for k, v in stamps.items()}
    return Dashboard(totals=totals, months=window, by_month=by_month, batches=_batch_fates(session, today))


def _batch_fates(session: Session, today: date, limit: int = 12) -> list[dict[str, Any]]:
    out = []
    q = (
        select(NoticeBatch)
        .where(NoticeBatch.status == "published")
        .order_by(NoticeBatch.id.desc())
        .limit(limit)
    )
    for batch in session.scalars(q):
        fate = Counter()
        rows = session.execute(
            select(NoticeEntry.app_id, RectificationCase.status, RectificationCase.deadline)
            .outerjoin(RectificationCase, RectificationCase.notice_entry_id == NoticeEntry.id)
            .where(NoticeEntry.batch_id == batch.id)
        ).all()
        removed_apps = set(
            session.scalars(
                select(Removal.app_id).where(
                    Removal.app_id.in_([r[0] for r in rows]), Removal.lifted_at.is_(None)
                )
            )
        )
        for app_id, status, deadline in rows:
            if status == "passed":
                fate["rectified"] += 1
            elif app_id in removed_apps:
                fate["removed"] += 1
            elif deadline is not None and deadline < today:
                fate["overdue"] += 1
            else:
                fate["open"] += 1
        out.append(
            {
                "id": batch.id,
                "label": notice_heading(batch) if not batch.number else batch.number,
                "title": batch.title,
                "notified": len(rows),
                **fate,
            }
        )
    return out[::-1]


def campaigns(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    from hegui.service.campaigns import campaign_progress

    out = []
    for c in session.scalars(select(Campaign).order_by(Campaign.id.desc()).limit(limit)):
        try:
            p = campaign_progress(session, c.id)
        except LookupError:  # pragma: no cover - deleted meanwhile
            continue
        out.append(p)
    return out
