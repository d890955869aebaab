"""Liveness and readiness: open to everyone (load balancers, ``hegui submit``)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from hegui import __version__
from hegui.service.api.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/health", tags=["health"])


class HealthPublic(BaseModel):
    status: str
    version: str
    database: str
    max_upload_bytes: int


@router.get("", response_model=HealthPublic, summary="Service health (no authentication)")
def health(session: SessionDep, settings: SettingsDep) -> HealthPublic:
    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        database = "unreachable"
    return HealthPublic(
        status="ok" if database == "ok" else "degraded",
        version=__version__,
        database=database,
        max_upload_bytes=settings.max_upload_bytes,
    )
