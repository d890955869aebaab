"""Organisations: the enterprises behind apps (the unit of the strike rule)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service.crud import audit
from hegui.service.crud._common import add_unique, require_text
from hegui.service.db.models import Organisation
from hegui.service.errors import ConflictError


def create_organisation(
    session: Session, *, name: str, credit_code: str | None = None, actor_id: int | None = None
) -> Organisation:
    name = require_text(name, "organisation name", max_len=200)
    code = (credit_code or "").strip() or None
    existing = get_organisation_by_name(session, name)
    org = Organisation(name=name, credit_code=code)
    if existing is not None or not add_unique(session, org):
        raise ConflictError(f"an organisation named {name!r} already exists; use it instead of creating one")
    audit.record(
        session,
        actor_id=actor_id,
        action="organisation.create",
        target_type="organisation",
        target_id=org.id,
        data={"name": name, "credit_code": code},
    )
    return org


def get_organisation(session: Session, org_id: int) -> Organisation | None:
    return session.get(Organisation, org_id)


def get_organisation_by_name(session: Session, name: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.name == name.strip()))


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))
