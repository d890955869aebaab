"""Notice batches (通报): draft → published. Publishing opens one rectification case per entry
with the batch's deadline, then applies the strike rule to every organisation the batch names.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from hegui.service.crud import audit, reviews
from hegui.service.crud._common import get_or_404, require_text
from hegui.service.db.models import (
    App,
    Job,
    NoticeBatch,
    NoticeEntry,
    RectificationCase,
    Removal,
    Result,
    Version,
    utcnow,
)
from hegui.service.domain import strikes
from hegui.service.errors import ConflictError, InvalidInputError, StateError

_RULE_ID = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+")


def create_notice(
    session: Session, *, title: str, number: str = "", deadline: date, actor_id: int | None
) -> NoticeBatch:
    title = require_text(title, "title", max_len=300)
    if not isinstance(deadline, date):
        raise InvalidInputError("a notice needs a deadline (a date) by which the apps must rectify")
    batch = NoticeBatch(
        title=title, number=(number or "")[:60], deadline=deadline, status="draft", created_by=actor_id
    )
    session.add(batch)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="notice.create",
        target_type="notice_batch",
        target_id=batch.id,
        data={"title": title, "number": batch.number, "deadline": deadline},
    )
    return batch


def get_notice(session: Session, batch_id: int) -> NoticeBatch | None:
    return session.get(NoticeBatch, batch_id)


def list_entries(session: Session, *, batch_id: int) -> list[NoticeEntry]:
    return list(
        session.scalars(select(NoticeEntry).where(NoticeEntry.batch_id == batch_id).order_by(NoticeEntry.id))
    )


def _draft(session: Session, batch_id: int) -> NoticeBatch:
    batch = get_or_404(session, NoticeBatch, batch_id, "notice batch")
    if batch.status != "draft":
        raise StateError(
            f"notice {batch.id} is published and can no longer change; draft a new notice",
            zh="该通报已发布，不能再修改；请起草新的通报。",
        )
    return batch


def add_entry(
    session: Session,
    *,
    batch_id: int,
    app_id: int,
    version_id: int | None = None,
    problems: dict[str, Any],
    actor_id: int | None,
) -> NoticeEntry:
    """Name an app (and the version tested) in a draft notice, with its problems
    (e.g. ``{"rules": ["HG-PI-001"], "text": "..."}``; see ``problems_for``)."""
    _draft(session, batch_id)
    get_or_404(session, App, app_id, "app")
    if not isinstance(problems, dict):
        raise InvalidInputError('problems must be an object, e.g. {"rules": [...], "text": "..."}')
    if version_id is not None:
        version = get_or_404(session, Version, version_id, "version")
        if version.app_id != app_id:
            raise ConflictError(f"version {version_id} belongs to app {version.app_id}, not app {app_id}")
    dup = session.scalar(
        select(NoticeEntry).where(NoticeEntry.batch_id == batch_id, NoticeEntry.app_id == app_id)
    )
    if dup is not None:
        raise ConflictError(
            f"app {app_id} is already in notice {batch_id} (entry {dup.id}); edit that entry",
            zh="该应用已在本通报中。",
        )
    entry = NoticeEntry(batch_id=batch_id, app_id=app_id, version_id=version_id, problems=problems)
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="notice.add_entry",
        target_type="notice_batch",
        target_id=batch_id,
        data={"entry_id": entry.id, "app_id": app_id, "version_id": version_id},
    )
    return entry


def remove_entry(session: Session, *, entry_id: int, actor_id: int | None) -> None:
    """Take an app out of a draft notice."""
    entry = get_or_404(session, NoticeEntry, entry_id, "notice entry")
    _draft(session, entry.batch_id)
    batch_id, app_id = entry.batch_id, entry.app_id
    session.delete(entry)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="notice.remove_entry",
        target_type="notice_batch",
        target_id=batch_id,
        data={"entry_id": entry_id, "app_id": app_id},
    )


def publish_notice(
    session: Session, *, batch_id: int, actor_id: int | None, today: date, threshold: int
) -> NoticeBatch:
    """Publish a draft notice dated ``today``: one rectification case per entry (deadline: the
    batch's), then the strike rule for each organisation named (``threshold`` from settings)."""
    batch = _draft(session, batch_id)
    entries = list_entries(session, batch_id=batch_id)
    if not entries:
        raise StateError(
            f"notice {batch_id} names no app; add entries before publishing",
            zh="通报中还没有应用；请先添加再发布。",
        )
    if batch.deadline is None:
        raise StateError(
            f"notice {batch_id} has no deadline; set one before publishing",
            zh="通报没有整改期限；请先设置再发布。",
        )
    if batch.deadline < today:
        raise StateError(
            f"the deadline {batch.deadline} is before the publication date {today}; move it",
            zh=f"整改期限 {batch.deadline} 早于发布日期 {today}；请调整期限。",
        )
    batch.status = "published"
    batch.published_at = utcnow()
    batch.published_on = today
    cases = [
        RectificationCase(notice_entry_id=e.id, app_id=e.app_id, deadline=batch.deadline) for e in entries
    ]
    session.add_all(cases)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="notice.publish",
        target_type="notice_batch",
        target_id=batch.id,
        data={
            "published_on": today,
            "deadline": batch.deadline,
            "apps": [e.app_id for e in entries],
            "cases": [c.id for c in cases],
        },
    )
    org_ids = sorted(
        set(session.scalars(select(App.organisation_id).where(App.id.in_([e.app_id for e in entries]))))
    )
    for org_id in org_ids:
        strikes.apply_strike_rule(
            session, organisation_id=org_id, threshold=threshold, today=today, actor_id=actor_id
        )
    return batch


def list_notices(session: Session, *, published_only: bool = False) -> list[NoticeBatch]:
    q = select(NoticeBatch)
    if published_only:
        q = q.where(NoticeBatch.status == "published")
    return list(session.scalars(q.order_by(NoticeBatch.id.desc())))


def problems_for(result: Result) -> dict[str, Any]:
    """The ``problems`` of a notice entry drawn from a result: the rules named by the verdict's
    reasons (``HG-PI-001 …``) and the reasons themselves, in both languages."""
    verdict = (result.report or {}).get("verdict") or {}
    reasons = [r for r in verdict.get("reasons") or [] if isinstance(r, dict)]
    rules = []
    for r in reasons:
        head = str(r.get("en", "")).split(" ", 1)[0]
        if _RULE_ID.fullmatch(head) and head not in rules:
            rules.append(head)
    return {"rules": rules, "reasons": reasons, "result_id": result.id}


def _recency(version: Version) -> tuple[int, int]:
    return (version.version_code if version.version_code is not None else -1, version.id)


def candidates(session: Session, *, campaign_id: int | None = None) -> list[tuple[App, Version, Result]]:
    """Input for the next notice: per app, its latest analysed version (of the campaign, if given)
    when that version's effective verdict is ``fail`` and no notice (draft or published) names it yet.
    Apps currently removed are left out (they are already off the shelves)."""
    q = (
        select(App, Version, Result)
        .join(Version, Version.app_id == App.id)
        .join(Result, Result.version_id == Version.id)
        .where(~exists().where(Removal.app_id == App.id, Removal.lifted_at.is_(None)))
    )
    if campaign_id is not None:
        q = q.where(exists().where(Job.version_id == Version.id, Job.campaign_id == campaign_id))
    latest: dict[int, tuple[App, Version, Result]] = {}
    for app, version, result in session.execute(q):
        have = latest.get(app.id)
        if have is None or _recency(version) > _recency(have[1]):
            latest[app.id] = (app, version, result)
    noticed = set(session.scalars(select(NoticeEntry.version_id).where(NoticeEntry.version_id.is_not(None))))
    rows = [row for row in latest.values() if row[1].id not in noticed]
    decisions = reviews.latest_decisions_for(session, result_ids=[r.id for _, _, r in rows])
    out = [
        row
        for row in rows
        if reviews.effective(row[2].verdict, row[2].report or {}, decisions[row[2].id]) == "fail"
    ]
    return sorted(out, key=lambda row: (row[0].organisation_id, row[0].package))
