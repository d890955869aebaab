"""Registration controls: pause new registrations per channel (``*``: all) with the message and the
expected resume date shown to users; phone / real-name binding; minors' mode. Every change audited."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.governance.crud._util import bounded
from hegui.governance.domain.registration import Applicant, decide
from hegui.governance.models import GovRegistrationControl
from hegui.service.crud import audit
from hegui.service.db.models import utcnow
from hegui.service.errors import InvalidInputError

ALL = "*"
_CHANNEL = re.compile(r"^(\*|[a-z][a-z0-9_-]{0,39})$")
MAX_MESSAGE = 500


def check_channel(channel: str) -> str:
    channel = (channel or "").strip().lower()
    if not _CHANNEL.match(channel):
        raise InvalidInputError("channel must be '*' or 1-40 lower-case letters, digits, _ or -")
    return channel


@dataclass
class ControlIn:
    paused: bool = False
    message_zh: str = ""
    message_en: str = ""
    resume_on: date | None = None
    require_phone: bool = False
    require_real_name: bool = False
    minors_mode: bool = False


def get(session: Session, *, channel: str) -> GovRegistrationControl | None:
    return session.scalar(select(GovRegistrationControl).where(GovRegistrationControl.channel == channel))


def list_controls(session: Session) -> list[GovRegistrationControl]:
    return list(session.scalars(select(GovRegistrationControl).order_by(GovRegistrationControl.channel)))


def set_control(
    session: Session, *, channel: str, values: ControlIn, actor_id: int, reason: str
) -> GovRegistrationControl:
    channel = check_channel(channel)
    reason = bounded(reason, "reason", 2000, required=True)
    msg_zh = bounded(values.message_zh, "message (zh)", MAX_MESSAGE)
    msg_en = bounded(values.message_en, "message (en)", MAX_MESSAGE)
    if values.paused and not (msg_zh or msg_en):
        raise InvalidInputError("a pause needs the message shown to users")
    row = get(session, channel=channel)
    before = _public(row) if row else None
    if row is None:
        row = GovRegistrationControl(channel=channel)
        session.add(row)
    row.paused, row.message_zh, row.message_en = bool(values.paused), msg_zh, msg_en
    row.resume_on = values.resume_on
    row.require_phone, row.require_real_name = bool(values.require_phone), bool(values.require_real_name)
    row.minors_mode = bool(values.minors_mode)
    row.updated_by, row.updated_at = actor_id, utcnow()
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="gov.registration.set",
        target_type="gov_registration_control",
        target_id=row.id,
        reason=reason,
        data={"channel": channel, "before": before, "after": _public(row)},
    )
    return row


def _public(row: GovRegistrationControl) -> dict[str, Any]:
    return {
        "paused": row.paused,
        "message_zh": row.message_zh,
        "message_en": row.message_en,
        "resume_on": row.resume_on.isoformat() if row.resume_on else None,
        "require_phone": row.require_phone,
        "require_real_name": row.require_real_name,
        "minors_mode": row.minors_mode,
    }


def effective(session: Session, *, channel: str, lang: str = "zh") -> dict[str, Any]:
    """What a client shows for a registration on ``channel``: the channel's row, and the ``*`` row
    (a pause of ``*`` pauses every channel; the flags are or-ed)."""
    channel = check_channel(channel)
    rows = [
        r for r in (get(session, channel=ALL), get(session, channel=channel) if channel != ALL else None) if r
    ]
    paused_row = next((r for r in reversed(rows) if r.paused), None)
    message = ""
    if paused_row is not None:
        message = (paused_row.message_en if lang == "en" else paused_row.message_zh) or (
            paused_row.message_zh or paused_row.message_en
        )
    return {
        "channel": channel,
        "open": paused_row is None,
        "message": message,
        "resume_on": paused_row.resume_on if paused_row is not None else None,
        "require_phone": any(r.require_phone for r in rows),
        "require_real_name": any(r.require_real_name for r in rows),
        "minors_mode": any(r.minors_mode for r in rows),
    }


def check(session: Session, *, channel: str, applicant: Applicant, lang: str = "zh") -> dict[str, Any]:
    """``effective`` controls applied to an applicant (``domain.registration.decide``)."""
    controls = effective(session, channel=channel, lang=lang)
    return {"channel": controls["channel"], **asdict(decide(controls, applicant, lang))}
