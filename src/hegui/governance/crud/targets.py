"""Accounts, groups and content items; the status of a target from its active sanctions and strikes."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.governance.crud._util import bounded
from hegui.governance.models import GovAccount, GovDecision, GovGroup, GovSanction
from hegui.service.crud import audit
from hegui.service.db.models import aware, utcnow
from hegui.service.errors import InvalidInputError, NotFoundError

_UID = re.compile(r"^[A-Za-z0-9_.@+-]{1,64}$")


def check_uid(value: str, what: str = "account id") -> str:
    uid = (value or "").strip()
    if not _UID.match(uid):
        raise InvalidInputError(f"{what} must be 1-64 letters, digits or _ . @ + -")
    return uid


def get_account(session: Session, *, uid: str) -> GovAccount | None:
    return session.scalar(select(GovAccount).where(GovAccount.uid == uid))


def get_group(session: Session, *, gid: str) -> GovGroup | None:
    return session.scalar(select(GovGroup).where(GovGroup.gid == gid))


def get_or_create_account(session: Session, *, uid: str, nickname: str = "") -> GovAccount:
    uid = check_uid(uid)
    account = get_account(session, uid=uid)
    if account is None:
        account = GovAccount(uid=uid, nickname=bounded(nickname, "nickname", 100))
        session.add(account)
        session.flush()
    return account


def get_or_create_group(session: Session, *, gid: str, name: str = "") -> GovGroup:
    gid = check_uid(gid, "group id")
    group = get_group(session, gid=gid)
    if group is None:
        group = GovGroup(gid=gid, name=bounded(name, "group name", 100))
        session.add(group)
        session.flush()
    return group


def link_accounts(
    session: Session, *, uid: str, linked_uid: str, actor_id: int | None, reason: str
) -> GovAccount:
    """Record that ``uid`` belongs to the person behind ``linked_uid`` (evasion of a ban)."""
    reason = bounded(reason, "reason", 2000, required=True)
    account = get_or_create_account(session, uid=uid)
    other = get_account(session, uid=check_uid(linked_uid))
    if other is None or other.id == account.id:
        raise NotFoundError("the linked account is not known")
    account.linked_to_id = other.id
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="gov.account.link",
        target_type="gov_account",
        target_id=account.id,
        reason=reason,
        data={"linked_to": other.id},
    )
    return account


def _target_filter(target_type: str, target_id: int) -> Any:
    col = GovSanction.account_id if target_type == "account" else GovSanction.group_id
    return (GovSanction.target_type == target_type) & (col == target_id)


def sanctions_of(session: Session, *, target_type: str, target_id: int) -> list[GovSanction]:
    q = select(GovSanction).where(_target_filter(target_type, target_id)).order_by(GovSanction.id)
    return list(session.scalars(q))


def active_strikes(session: Session, *, target_type: str, target_id: int, now: datetime | None = None) -> int:
    """Strikes of sanctions not lifted, not expired, of decisions still in force."""
    now = now or utcnow()
    q = (
        select(GovSanction)
        .join(GovDecision, GovDecision.id == GovSanction.decision_id)
        .where(_target_filter(target_type, target_id), GovSanction.lifted_at.is_(None))
        .where(GovDecision.state == "in_force")
    )
    total = 0
    for s in session.scalars(q):
        expires = aware(s.strike_expires_at)
        if expires is None or expires > now:
            total += s.strikes
    return total


def in_effect(s: GovSanction, now: datetime) -> bool:
    if s.lifted_at is not None or s.kind in ("warning", "content_removal"):
        return False
    ends = aware(s.ends_at)
    return ends is None or ends > now


def status(
    session: Session, *, target_type: str, target_id: int, now: datetime | None = None
) -> dict[str, Any]:
    """``state``: account active / restricted / suspended / banned, group active / restricted /
    disbanded; ``until`` (end of a time-limited one), the active strikes, the sanctions in effect."""
    now = now or utcnow()
    current = [
        s for s in sanctions_of(session, target_type=target_type, target_id=target_id) if in_effect(s, now)
    ]
    order = {"restriction": 1, "temp_ban": 2, "permanent_ban": 3, "disband": 3}
    state, until = "active", None
    names = {
        "restriction": "restricted",
        "temp_ban": "suspended",
        "permanent_ban": "banned",
        "disband": "disbanded",
    }
    top = max(current, key=lambda s: (order[s.kind], aware(s.ends_at) or now), default=None)
    if top is not None:
        state, until = names[top.kind], aware(top.ends_at)
    return {
        "state": state,
        "until": until,
        "active_strikes": active_strikes(session, target_type=target_type, target_id=target_id, now=now),
        "sanctions": current,
    }
