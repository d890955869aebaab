"""Public notices: counts of the period's decided violations, frozen in a draft, published."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.governance import notice
from hegui.governance.crud._util import bounded
from hegui.governance.domain import categories
from hegui.governance.domain.notice_counts import SEVERITY_ORDER, Row, count
from hegui.governance.models import GovAccount, GovCase, GovDecision, GovGroup, GovNotice, GovSanction
from hegui.service.crud import audit
from hegui.service.crud._common import get_or_404
from hegui.service.db.models import aware, utcnow
from hegui.service.errors import InvalidInputError, StateError

MAX_PERIOD_DAYS = 366


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise InvalidInputError("the period ends before it starts")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInputError(f"a notice covers at most {MAX_PERIOD_DAYS} days")
    return datetime.combine(start, time(), UTC), datetime.combine(end + timedelta(days=1), time(), UTC)


def rows(session: Session, *, start: date, end: date, category: str = "") -> list[Row]:
    """Violation decisions in force, decided in [start, end] (UTC days), of ``category`` (a top
    level or subcategory; "" every one)."""
    lo, hi = _bounds(start, end)
    q = (
        select(GovDecision, GovCase)
        .join(GovCase, GovCase.id == GovDecision.case_id)
        .where(GovDecision.outcome == "violation", GovDecision.state == "in_force")
        .where(GovDecision.decided_at >= lo, GovDecision.decided_at < hi)
        .order_by(GovDecision.id)
    )
    if category:
        category = categories.validate(category)
        q = q.where((GovDecision.category == category) | GovDecision.category.startswith(category + "."))
    out = []
    for decision, case in session.execute(q):
        kinds = [
            s.kind for s in session.scalars(select(GovSanction).where(GovSanction.decision_id == decision.id))
        ]
        kind = max(kinds, key=SEVERITY_ORDER.index, default="warning")
        if case.target_type == "account":
            t = session.get(GovAccount, case.account_id)
            ident, name = (t.uid, t.nickname) if t else ("", "")
        else:
            g = session.get(GovGroup, case.group_id)
            ident, name = (g.gid, g.name) if g else ("", "")
        tid = case.account_id if case.target_type == "account" else case.group_id
        at = aware(decision.decided_at)
        out.append(
            Row(
                decision.id,
                case.target_type,
                tid or 0,
                ident,
                name,
                decision.category,
                kind,
                at.isoformat() if at else "",
            )
        )
    return out


def compute(session: Session, *, start: date, end: date, category: str = "") -> dict[str, Any]:
    return count(rows(session, start=start, end=end, category=category))


def render(n: GovNotice, lang: str = "zh") -> tuple[str, str, list[str]]:
    """(title, text, paragraphs) of a notice in ``lang`` (the stored title is the Chinese one)."""
    title = n.title if lang == "zh" else notice.default_title(n.category, n.period_start, n.period_end, "en")
    paras = notice.paragraphs(
        n.counts, category=n.category, start=n.period_start, end=n.period_end, lang=lang
    )
    return title, notice.render_text(title, paras), paras


def create_notice(
    session: Session, *, start: date, end: date, category: str = "", title: str = "", actor_id: int
) -> GovNotice:
    category = categories.validate(category) if category else ""
    counts = compute(session, start=start, end=end, category=category)
    title = bounded(title, "title", 300) or notice.default_title(category, start, end)
    n = GovNotice(
        title=title,
        category=category,
        period_start=start,
        period_end=end,
        counts=counts,
        status="draft",
        created_by=actor_id,
    )
    paras = notice.paragraphs(counts, category=category, start=start, end=end)
    n.body_text, n.body_html = notice.render_text(title, paras), notice.render_html(title, paras)
    session.add(n)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="gov.notice.create",
        target_type="gov_notice",
        target_id=n.id,
        reason=title,
        data={
            "category": category,
            "start": start,
            "end": end,
            "accounts": counts["accounts"],
            "groups": counts["groups"],
        },
    )
    return n


def publish(session: Session, *, notice_id: int, actor_id: int) -> GovNotice:
    n = get_or_404(session, GovNotice, notice_id, "notice")
    if n.status == "published":
        raise StateError(f"notice {notice_id} is published already")
    n.status, n.published_at = "published", utcnow()
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="gov.notice.publish",
        target_type="gov_notice",
        target_id=n.id,
        reason=n.title,
        data={"accounts": n.counts.get("accounts"), "groups": n.counts.get("groups")},
    )
    return n


def list_notices(session: Session, *, published_only: bool = False, limit: int = 100) -> list[GovNotice]:
    q = select(GovNotice)
    if published_only:
        q = q.where(GovNotice.status == "published")
    return list(session.scalars(q.order_by(GovNotice.id.desc()).limit(limit)))


def get_notice(session: Session, notice_id: int, *, published_only: bool = False) -> GovNotice:
    n = get_or_404(session, GovNotice, notice_id, "notice")
    if published_only and n.status != "published":
        get_or_404(session, GovNotice, -1, "published notice")
    return n
