"""Results: the analysis of a version (the report as JSON and its verdict)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service.crud import audit
from hegui.service.crud._common import add_unique, get_or_404
from hegui.service.db.models import VERDICTS, Result, Version
from hegui.service.errors import ConflictError, InvalidInputError


def get_result(session: Session, *, version_id: int) -> Result | None:
    return session.scalar(select(Result).where(Result.version_id == version_id))


def save_result(
    session: Session, *, version_id: int, verdict: str, report: dict[str, Any], hegui_version: str
) -> tuple[Result, bool]:
    """Store the result of a version once (idempotent: a second save returns the first, so a retried
    job cannot change a verdict). Audited as ``result.create`` by the system."""
    if verdict not in VERDICTS:
        raise InvalidInputError(f"unknown verdict {verdict!r}; use one of: {', '.join(VERDICTS)}")
    for _attempt in range(2):
        existing = get_result(session, version_id=version_id)
        if existing is not None:
            return existing, False
        get_or_404(session, Version, version_id, "version")
        result = Result(version_id=version_id, verdict=verdict, report=report, hegui_version=hegui_version)
        if add_unique(session, result):
            audit.record(
                session,
                actor_id=None,
                action="result.create",
                target_type="result",
                target_id=result.id,
                data={"version_id": version_id, "verdict": verdict, "hegui_version": hegui_version},
            )
            return result, True
    raise ConflictError(f"the result of version {version_id} could not be stored; retry")  # pragma: no cover
