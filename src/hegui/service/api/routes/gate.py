"""The listing gate for distribution platforms: allowed / blocked / pending, with reasons and evidence."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from hegui.service.api.deps import Overseer, SessionDep, TodayDep
from hegui.service.api.errors import AUTH_ERRORS
from hegui.service.api.schemas.common import Package, version_links
from hegui.service.api.schemas.process import GatePublic
from hegui.service.domain import gate

router = APIRouter(prefix="/gate", tags=["gate"], responses=AUTH_ERRORS)


@router.get(
    "",
    response_model=GatePublic,
    summary="May this version of this package be listed today?",
    description="`blocked` when the app is removed, when a rectification deadline passed without a "
    "passing re-test, or when the organisation is under review before release and the version has "
    "not passed; `pending` while unknown or not yet decided. `evidence` links the HTML report. "
    "`policy=strict` requires a pass of every version (a store's own rule).",
)
def check_gate(
    session: SessionDep,
    today: TodayDep,
    _user: Overseer,
    package: Annotated[Package, Query(description="the Android package name")],
    version_code: Annotated[int, Query(ge=0, le=2**63 - 1, description="the versionCode")],
    policy: Annotated[Literal["regulator", "strict"], Query()] = "regulator",
) -> GatePublic:
    decision = gate.decide(session, package=package, version_code=version_code, today=today, policy=policy)
    evidence = version_links(decision.version_id)["report_html"] if decision.result_id is not None else None
    return GatePublic(**decision.model_dump(exclude={"policy"}), evidence=evidence)  # type: ignore[arg-type]
