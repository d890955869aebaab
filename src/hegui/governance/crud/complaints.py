"""Complaints (举报) with evidence, grouped into review cases: one open case per target and
top-level category; a decided case takes no more complaints (a new one opens)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.governance.crud import targets
from hegui.governance.crud._util import bounded
from hegui.governance.domain import categories, screening
from hegui.governance.models import (
    EVIDENCE_KINDS,
    SOURCES,
    TARGET_TYPES,
    GovCase,
    GovComplaint,
    GovContent,
    GovEvidence,
)
from hegui.service.crud import audit
from hegui.service.errors import InvalidInputError

MAX_TEXT = 2000
MAX_EVIDENCE = 10
MAX_URL = 2000


@dataclass
class EvidenceIn:
    kind: str = "text"
    text: str = ""
    url: str = ""
    media_ref: str = ""
    forwarded: bool = False


@dataclass
class ComplaintIn:
    target_type: str
    target_uid: str
    category: str
    text: str = ""
    reporter_uid: str = ""
    target_name: str = ""
    evidence: list[EvidenceIn] = field(default_factory=list)


def _check_evidence(items: list[EvidenceIn]) -> list[EvidenceIn]:
    if len(items) > MAX_EVIDENCE:
        raise InvalidInputError(f"at most {MAX_EVIDENCE} evidence items per complaint")
    out = []
    for e in items:
        if e.kind not in EVIDENCE_KINDS:
            raise InvalidInputError(f"evidence kind must be one of {', '.join(EVIDENCE_KINDS)}")
        text = bounded(e.text, "evidence text", MAX_TEXT)
        url = bounded(e.url, "evidence link", MAX_URL)
        media = bounded(e.media_ref, "media reference", 300)
        if url and not url.lower().startswith(("http://", "https://")):
            raise InvalidInputError("an evidence link must start with http:// or https://")
        if not (text or url or media):
            raise InvalidInputError("an evidence item needs a text, a link or a media reference")
        out.append(EvidenceIn(e.kind, text, url, media, bool(e.forwarded)))
    return out


def open_case(session: Session, *, target_type: str, target_id: int, root: str) -> GovCase | None:
    col = GovCase.account_id if target_type == "account" else GovCase.group_id
    q = select(GovCase).where(
        GovCase.target_type == target_type,
        col == target_id,
        GovCase.category == root,
        GovCase.status == "open",
    )
    return session.scalar(q.order_by(GovCase.id).limit(1))


def submit(
    session: Session, complaint: ComplaintIn, *, source: str = "client", submitted_by: int | None = None
) -> GovComplaint:
    """Store a complaint, its evidence (each item also a content item of the target) and put it in
    the target's open case of its top-level category (opened if none). The case's score is the
    highest screening score of its complaints; it only orders the queue."""
    if complaint.target_type not in TARGET_TYPES:
        raise InvalidInputError("target_type must be account or group")
    if source not in SOURCES:
        raise InvalidInputError("unknown source")
    category = categories.validate(complaint.category)
    text = bounded(complaint.text, "complaint text", MAX_TEXT)
    reporter = targets.check_uid(complaint.reporter_uid, "reporter id") if complaint.reporter_uid else ""
    evidence = _check_evidence(complaint.evidence)
    if complaint.target_type == "account":
        target = targets.get_or_create_account(
            session, uid=complaint.target_uid, nickname=complaint.target_name
        )
    else:
        target = targets.get_or_create_group(session, gid=complaint.target_uid, name=complaint.target_name)
    root = categories.root_of(category)
    case = open_case(session, target_type=complaint.target_type, target_id=target.id, root=root)
    if case is None:
        case = GovCase(
            target_type=complaint.target_type, category=root, status="open", score=0.0, report_count=0
        )
        if complaint.target_type == "account":
            case.account_id = target.id
        else:
            case.group_id = target.id
        session.add(case)
        session.flush()
    screened = "\n".join([text] + [e.text for e in evidence if e.text])
    score = screening.score_for(screened, category)
    row = GovComplaint(
        case_id=case.id,
        reporter_uid=reporter,
        target_type=complaint.target_type,
        category=category,
        text=text,
        score=score,
        source=source,
        submitted_by=submitted_by,
    )
    if complaint.target_type == "account":
        row.account_id = target.id
    else:
        row.group_id = target.id
    session.add(row)
    session.flush()
    for e in evidence:
        content = GovContent(
            kind=e.kind,
            text=e.text,
            url=e.url,
            media_ref=e.media_ref,
            forwarded=e.forwarded,
            author_id=target.id if complaint.target_type == "account" else None,
            group_id=target.id if complaint.target_type == "group" else None,
        )
        session.add(content)
        session.flush()
        session.add(
            GovEvidence(
                complaint_id=row.id,
                content_id=content.id,
                kind=e.kind,
                text=e.text,
                url=e.url,
                media_ref=e.media_ref,
            )
        )
    case.report_count = (case.report_count or 0) + 1
    case.score = max(case.score or 0.0, score)
    session.flush()
    audit.record(
        session,
        actor_id=submitted_by,
        action="gov.complaint.submit",
        target_type="gov_case",
        target_id=case.id,
        reason="complaint",
        data={
            "complaint_id": row.id,
            "category": category,
            "source": source,
            "evidence": len(evidence),
            "score": score,
        },
    )
    return row


def for_case(session: Session, *, case_id: int) -> list[GovComplaint]:
    return list(
        session.scalars(select(GovComplaint).where(GovComplaint.case_id == case_id).order_by(GovComplaint.id))
    )


def evidence_of(session: Session, *, complaint_ids: list[int]) -> list[GovEvidence]:
    if not complaint_ids:
        return []
    q = select(GovEvidence).where(GovEvidence.complaint_id.in_(complaint_ids)).order_by(GovEvidence.id)
    return list(session.scalars(q))
