"""Small builders for the service tests (through crud, so their audit rows exist too)."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.service import crud
from hegui.service.db.models import App, AuditLog, NoticeBatch, Organisation, Result, User, Version

_seq = itertools.count(1)


def sha(seed: object) -> str:
    return hashlib.sha256(repr(seed).encode()).hexdigest()


def org(db: Session, name: str | None = None) -> Organisation:
    return crud.organisations.create_organisation(db, name=name or f"Org {next(_seq)}")


def user(db: Session, role: str = "regulator", *, organisation_id: int | None = None, **kw: Any) -> User:
    return crud.users.create_user(
        db,
        username=kw.pop("username", f"{role}{next(_seq)}"),
        role=role,
        organisation_id=organisation_id,
        **kw,
    )


def app(db: Session, organisation: Organisation, package: str | None = None) -> App:
    return crud.apps.get_or_create_app(
        db, package=package or f"com.example.app{next(_seq)}", organisation_id=organisation.id
    )


def version(db: Session, application: App, version_code: int = 1, *, seed: object = None) -> Version:
    v, _ = crud.versions.add_version(
        db,
        app_id=application.id,
        sha256=sha(seed if seed is not None else ("v", next(_seq))),
        size=1234,
        version_code=version_code,
        version_name=f"{version_code}.0",
    )
    return v


def report(verdict: str = "fail", findings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    reasons = {
        "fail": [{"zh": "HG-PI-001 未经同意收集个人信息", "en": "HG-PI-001 Collects PI before consent"}],
        "needs-review": [{"zh": "HG-PI-004 需复核", "en": "HG-PI-004 Needs review"}],
        "pass": [{"zh": "未发现中等及以上风险的问题。", "en": "No finding of medium severity or above."}],
    }[verdict]
    return {"verdict": {"status": verdict, "reasons": reasons}, "findings": findings or []}


def result(
    db: Session, v: Version, verdict: str = "fail", findings: list[dict[str, Any]] | None = None
) -> Result:
    r, _ = crud.results.save_result(
        db, version_id=v.id, verdict=verdict, report=report(verdict, findings), hegui_version="test"
    )
    return r


def published_notice(
    db: Session,
    apps: list[App],
    *,
    actor: User,
    today: date,
    deadline: date | None = None,
    threshold: int = 3,
) -> NoticeBatch:
    batch = crud.notices.create_notice(
        db, title=f"Notice {next(_seq)}", deadline=deadline or today.replace(day=28), actor_id=actor.id
    )
    for a in apps:
        crud.notices.add_entry(
            db, batch_id=batch.id, app_id=a.id, problems={"rules": ["HG-PI-001"]}, actor_id=actor.id
        )
    return crud.notices.publish_notice(
        db, batch_id=batch.id, actor_id=actor.id, today=today, threshold=threshold
    )


def audit_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(AuditLog)) or 0


def actions(db: Session) -> list[str]:
    return list(db.scalars(select(AuditLog.action).order_by(AuditLog.id)))
