"""Reviewers' decisions on the assisted/manual items of a result, and the verdict they make.

A decision is appended, never edited: the latest decision per item counts. ``item`` is a rule id
(``HG-PI-004``), a rulebook item (``RD-1-2``) or ``WHOLE_VERSION`` for the version as a whole.

The effective verdict (what the gate and the notice candidates use):

==========================================================  =================
latest decisions                                            effective verdict
==========================================================  =================
any item ``confirmed`` (the problem is real)                ``fail``
verdict ``needs-review``, and ``WHOLE_VERSION`` dismissed   ``pass``
verdict ``needs-review``, every review item dismissed       ``pass``
otherwise                                                   the result's verdict
==========================================================  =================

The review items of a result are the rule ids of its unsuppressed findings that are assisted or
manual, or of medium severity or above (what made it ``needs-review``; see ``hegui.verdict``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service.crud import audit
from hegui.service.crud._common import get_or_404
from hegui.service.db.models import REVIEW_DECISIONS, Result, ReviewDecision, User
from hegui.service.errors import InvalidInputError, PermissionDeniedError

WHOLE_VERSION = "version"
REVIEWER_ROLES = ("reviewer", "admin")
_REVIEW_SEVERITIES = ("medium", "high", "critical")


def decide_item(
    session: Session, *, result_id: int, item: str, decision: str, note: str, reviewer_id: int
) -> ReviewDecision:
    """Record a reviewer's decision (``confirmed`` or ``dismissed``) on one item of a result."""
    if decision not in REVIEW_DECISIONS:
        raise InvalidInputError(f"unknown decision {decision!r}; use one of: {', '.join(REVIEW_DECISIONS)}")
    item = (item or "").strip()
    if not item or len(item) > 100:
        raise InvalidInputError(
            "item must be a rule id, a rulebook item or 'version' (at most 100 characters)"
        )
    get_or_404(session, Result, result_id, "result")
    reviewer = session.get(User, reviewer_id)
    if reviewer is None or not reviewer.active or reviewer.role not in REVIEWER_ROLES:
        raise PermissionDeniedError("only an active reviewer or admin can decide review items")
    row = ReviewDecision(
        result_id=result_id, item=item, decision=decision, note=note or "", reviewer_id=reviewer_id
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=reviewer_id,
        action="review.decide",
        target_type="result",
        target_id=result_id,
        reason=note or "",
        data={"item": item, "decision": decision, "decision_id": row.id},
    )
    return row


def list_decisions(session: Session, *, result_id: int) -> list[ReviewDecision]:
    q = select(ReviewDecision).where(ReviewDecision.result_id == result_id).order_by(ReviewDecision.id)
    return list(session.scalars(q))


def latest_decisions(session: Session, *, result_id: int) -> dict[str, str]:
    """item → its latest decision."""
    return {d.item: d.decision for d in list_decisions(session, result_id=result_id)}


def latest_decisions_for(session: Session, *, result_ids: list[int]) -> dict[int, dict[str, str]]:
    """result id → (item → its latest decision), for many results in a few queries."""
    out: dict[int, dict[str, str]] = {rid: {} for rid in result_ids}
    ids = sorted(set(result_ids))
    for start in range(0, len(ids), 500):
        q = (
            select(ReviewDecision.result_id, ReviewDecision.item, ReviewDecision.decision)
            .where(ReviewDecision.result_id.in_(ids[start : start + 500]))
            .order_by(ReviewDecision.id)
        )
        for result_id, item, decision in session.execute(q):
            out[result_id][item] = decision
    return out


def review_items(report: Mapping[str, Any]) -> list[str]:
    """Rule ids a reviewer has to look at, in report order (see the module docstring)."""
    out: list[str] = []
    for f in report.get("findings") or []:
        if f.get("suppression"):
            continue
        if f.get("judgement", "auto") != "auto" or f.get("severity") in _REVIEW_SEVERITIES:
            rule = f.get("rule_id")
            if rule and rule not in out:
                out.append(rule)
    return out


def effective(verdict: str, report: Mapping[str, Any], decisions: Mapping[str, str]) -> str:
    """The verdict after the reviewers' latest decisions (pure; see the table in the module docstring)."""
    if "confirmed" in decisions.values():
        return "fail"
    if verdict == "needs-review":
        if decisions.get(WHOLE_VERSION) == "dismissed":
            return "pass"
        items = review_items(report)
        if items and all(decisions.get(i) == "dismissed" for i in items):
            return "pass"
    return verdict


def effective_verdict(session: Session, *, result: Result) -> str:
    return effective(result.verdict, result.report or {}, latest_decisions(session, result_id=result.id))
