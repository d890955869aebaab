"""The strike rule: an organisation notified MORE THAN ``threshold`` times in a calendar year
(default 3, ``HEGUI_STRIKE_THRESHOLD``) enters review before release (上架前检测) for all its apps.

A notice counts once per organisation, however many of its apps it names; only published batches
count, in the year of their date (``NoticeBatch.published_on``). The rule runs when a notice is
published (``crud.notices.publish_notice``), for each organisation the notice names; a review it
starts is recorded as the system's decision (``release_review.start``, actor None). After a
regulator lifts it, the next notice that year starts a new one (the count is still over).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from hegui.service.crud import release_review
from hegui.service.db.models import App, NoticeBatch, NoticeEntry, ReleaseReview


def over_threshold(count: int, threshold: int) -> bool:
    """The rule itself: more than ``threshold`` (so 4 notices with the default 3)."""
    return count > threshold


def _published(organisation_id: int) -> Select[tuple[int, date | None]]:
    return (
        select(NoticeBatch.id, NoticeBatch.published_on)
        .join(NoticeEntry, NoticeEntry.batch_id == NoticeBatch.id)
        .join(App, App.id == NoticeEntry.app_id)
        .where(App.organisation_id == organisation_id, NoticeBatch.status == "published")
    )


def notices_in_year(session: Session, *, organisation_id: int, year: int) -> int:
    """Published notice batches dated in ``year`` that name any app of the organisation."""
    q = (
        select(func.count(distinct(NoticeBatch.id)))
        .join(NoticeEntry, NoticeEntry.batch_id == NoticeBatch.id)
        .join(App, App.id == NoticeEntry.app_id)
        .where(
            App.organisation_id == organisation_id,
            NoticeBatch.status == "published",
            NoticeBatch.published_on >= date(year, 1, 1),
            NoticeBatch.published_on < date(year + 1, 1, 1),
        )
    )
    return session.scalar(q) or 0


def ledger(session: Session, *, organisation_id: int) -> dict[int, int]:
    """The strike ledger of an organisation: year → notices (for its page)."""
    batches = {bid: day for bid, day in session.execute(_published(organisation_id)) if day is not None}
    out: dict[int, int] = {}
    for day in batches.values():
        out[day.year] = out.get(day.year, 0) + 1
    return dict(sorted(out.items()))


def apply_strike_rule(
    session: Session, *, organisation_id: int, threshold: int, today: date, actor_id: int | None = None
) -> ReleaseReview | None:
    """Start review before release when the organisation is over the threshold in ``today``'s year
    and not already under review. Returns the review started by this call, else None.
    ``actor_id`` is who triggered the check (recorded in the audit data); the decision is the system's."""
    count = notices_in_year(session, organisation_id=organisation_id, year=today.year)
    if not over_threshold(count, threshold):
        return None
    if release_review.active(session, organisation_id=organisation_id) is not None:
        return None
    reason = f"{count} notices in {today.year} (threshold: more than {threshold})"
    return release_review.start(
        session,
        organisation_id=organisation_id,
        reason=reason,
        actor_id=None,
        data={"count": count, "threshold": threshold, "year": today.year, "triggered_by": actor_id},
    )
