"""Review before every release (上架前检测) of all apps of an organisation, until lifted.

Started by the strike rule (``domain.strikes``, audited as the system) or by a regulator
(``start``); lifted only by an authorised decision with a reason (``lift``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service.crud import audit
from hegui.service.crud._common import get_or_404, mark_lifted, require_text
from hegui.service.db.models import Organisation, ReleaseReview
from hegui.service.errors import StateError


def active(session: Session, *, organisation_id: int) -> ReleaseReview | None:
    q = (
        select(ReleaseReview)
        .where(ReleaseReview.organisation_id == organisation_id, ReleaseReview.lifted_at.is_(None))
        .order_by(ReleaseReview.id.desc())
        .limit(1)
    )
    return session.scalar(q)


def start(
    session: Session,
    *,
    organisation_id: int,
    reason: str,
    actor_id: int | None,
    data: dict[str, Any] | None = None,
) -> ReleaseReview:
    """Put the organisation under review before release (``StateError`` if it already is)."""
    reason = require_text(reason, "reason")
    org = get_or_404(session, Organisation, organisation_id, "organisation")
    current = active(session, organisation_id=organisation_id)
    if current is not None:
        raise StateError(
            f"{org.name} is already under review before release (since {current.started_at:%Y-%m-%d})",
            zh=f"{org.name} 已自 {current.started_at:%Y-%m-%d} 起处于上架前检测。",
        )
    review = ReleaseReview(organisation_id=organisation_id, reason=reason)
    session.add(review)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="release_review.start",
        target_type="organisation",
        target_id=organisation_id,
        reason=reason,
        data={"release_review_id": review.id, **(data or {})},
    )
    return review


def lift(session: Session, *, organisation_id: int, reason: str, actor_id: int) -> ReleaseReview:
    """End the organisation's review before release (``StateError`` if none is active)."""
    reason = require_text(reason, "reason")
    org = get_or_404(session, Organisation, organisation_id, "organisation")
    review = active(session, organisation_id=organisation_id)
    if review is None:
        raise StateError(
            f"{org.name} is not under review before release; nothing to lift",
            zh=f"{org.name} 未处于上架前检测，无需解除。",
        )
    mark_lifted(review, actor_id=actor_id, reason=reason)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="release_review.lift",
        target_type="organisation",
        target_id=organisation_id,
        reason=reason,
        data={"release_review_id": review.id},
    )
    return review


def list_active(session: Session) -> list[ReleaseReview]:
    q = select(ReleaseReview).where(ReleaseReview.lifted_at.is_(None)).order_by(ReleaseReview.id)
    return list(session.scalars(q))


def history(session: Session, *, organisation_id: int) -> list[ReleaseReview]:
    q = (
        select(ReleaseReview)
        .where(ReleaseReview.organisation_id == organisation_id)
        .order_by(ReleaseReview.id)
    )
    return list(session.scalars(q))
