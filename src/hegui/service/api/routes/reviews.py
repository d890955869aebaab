"""Reviewers' decisions on the assisted/manual items of a result (and on the version as a whole)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from hegui.service import crud
from hegui.service.api.deps import Overseer, Reviewer, SessionDep
from hegui.service.api.errors import AUTH_ERRORS, NOT_FOUND
from hegui.service.api.schemas.catalogue import ReviewDecisionPublic
from hegui.service.api.schemas.process import ReviewCreate, ReviewState
from hegui.service.db.models import Result
from hegui.service.errors import NotFoundError

router = APIRouter(prefix="/reviews", tags=["reviews"], responses={**AUTH_ERRORS, **NOT_FOUND})


def _result(session: Session, version_id: int) -> Result:
    if crud.versions.get_version(session, version_id) is None:
        raise NotFoundError(f"no version with id {version_id}")
    result = crud.results.get_result(session, version_id=version_id)
    if result is None:
        raise NotFoundError(f"version {version_id} has no result yet: nothing to review")
    return result


def _state(session: Session, result: Result) -> ReviewState:
    return ReviewState(
        version_id=result.version_id,
        result_id=result.id,
        verdict=result.verdict,
        effective_verdict=crud.reviews.effective_verdict(session, result=result),
        review_items=crud.reviews.review_items(result.report or {}),
        decisions=[
            ReviewDecisionPublic.model_validate(d)
            for d in crud.reviews.list_decisions(session, result_id=result.id)
        ],
    )


@router.get("", response_model=ReviewState, summary="The review items of a version and the decisions so far")
def review_state(
    session: SessionDep, _user: Overseer, version_id: Annotated[int, Query(ge=1)]
) -> ReviewState:
    return _state(session, _result(session, version_id))


@router.post(
    "",
    response_model=ReviewState,
    status_code=status.HTTP_201_CREATED,
    summary="Decide an item (reviewer): confirmed (the problem is real) or dismissed",
    description="`item` is a rule id of `review_items`, or `version` for the version as a whole. "
    "Decisions are appended; the latest per item counts. When the decision makes the effective "
    "verdict `pass` and the app has open rectification cases, it counts as their passing re-test.",
)
def decide(body: ReviewCreate, session: SessionDep, user: Reviewer) -> ReviewState:
    result = _result(session, body.version_id)
    crud.reviews.decide_item(
        session,
        result_id=result.id,
        item=body.item,
        decision=body.decision,
        note=body.note,
        reviewer_id=user.id,
    )
    if crud.reviews.effective_verdict(session, result=result) == "pass":
        crud.cases.retest_from_result(session, result=result, actor_id=user.id)
    session.commit()
    return _state(session, result)
