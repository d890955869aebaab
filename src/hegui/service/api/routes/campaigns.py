"""Campaigns (专项检测): analyse a catalogue of uploaded APKs; progress and figures by rule."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select

from hegui.service import campaigns, tasks
from hegui.service.api.deps import DispatcherDep, Overseer, Regulator, SessionDep
from hegui.service.api.errors import AUTH_ERRORS, NOT_FOUND
from hegui.service.api.schemas.common import API
from hegui.service.api.schemas.process import CampaignCreate, CampaignPublic
from hegui.service.db.models import Version
from hegui.service.errors import InvalidInputError, NotFoundError

router = APIRouter(prefix="/campaigns", tags=["campaigns"], responses={**AUTH_ERRORS, **NOT_FOUND})


def _public(progress: campaigns.CampaignProgress) -> CampaignPublic:
    return CampaignPublic(
        **progress.to_dict(),
        links={
            "campaign": f"{API}/campaigns/{progress.campaign_id}",
            "candidates": f"{API}/notices/candidates?campaign_id={progress.campaign_id}",
        },
    )


@router.post(
    "",
    response_model=CampaignPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Start a campaign over uploaded APKs, by version id and/or sha256 (regulator)",
    description="Versions analysed before count as done without being analysed again.",
)
def start(
    body: CampaignCreate, session: SessionDep, dispatcher: DispatcherDep, user: Regulator
) -> CampaignPublic:
    ids = list(body.version_ids)
    found = set(session.scalars(select(Version.id).where(Version.id.in_(ids)))) if ids else set()
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"no version with id {', '.join(map(str, missing[:10]))}")
    if body.sha256s:
        # an APK uploaded with several policies: its latest upload (the dict keeps the last id)
        rows = session.execute(
            select(Version.sha256, Version.id).where(Version.sha256.in_(body.sha256s)).order_by(Version.id)
        )
        by_sha = {sha: vid for sha, vid in rows}
        unknown = [s for s in body.sha256s if s not in by_sha]
        if unknown:
            raise NotFoundError(f"no uploaded APK with sha256 {', '.join(unknown[:5])}; upload it first")
        ids += [by_sha[s] for s in body.sha256s]
    if not ids:
        raise InvalidInputError("a campaign needs at least one version (version_ids or sha256s)")
    campaign = campaigns.start_campaign(session, name=body.name, version_ids=ids, actor_id=user.id)
    session.commit()
    tasks.dispatch_queued(session, dispatcher, campaign_id=campaign.id)
    return _public(campaigns.campaign_progress(session, campaign.id))


@router.get("/{campaign_id}", response_model=CampaignPublic, summary="A campaign's progress and figures")
def progress(campaign_id: int, session: SessionDep, _user: Overseer) -> CampaignPublic:
    try:
        return _public(campaigns.campaign_progress(session, campaign_id))
    except LookupError:
        raise NotFoundError(f"no campaign with id {campaign_id}") from None
