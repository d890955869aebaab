"""The reviewer's checklist of a result: the version as a whole, the findings a person has to look
at (``crud.reviews.review_items``: assisted/manual, or medium severity and above), and the manual and
assisted requirements of the rulebook, each with its latest decision."""

from __future__ import annotations

import functools
import re
from typing import Any

from sqlalchemy.orm import Session

from hegui.report.labels import label
from hegui.service.crud import reviews
from hegui.service.db.models import Result, User

_JUDGEMENT = {
    "assisted": ("辅助判定", "assisted"),
    "manual": ("人工判定", "manual"),
    "auto": ("自动判定", "automatic"),
}
_WHOLE = {
    "title": ("整个版本", "The version as a whole"),
    "detail": (
        "确认：该版本存在问题（不通过）；排除：复核后该版本可以通过。",
        "Confirm: the version has a real problem (fail); dismiss: after review the version passes.",
    ),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def dom_id(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", key)


@functools.cache
def _rulebook_items() -> tuple[Any, ...]:
    try:
        from hegui.knowledge.rulebook import rulebook

        book = rulebook()
    except Exception:  # no rulebook: the checklist still has the findings
        return ()
    return (book.sources, tuple(i for i in book.items if i.judgement in ("manual", "assisted")))


def decisions(session: Session, result: Result) -> dict[str, dict[str, Any]]:
    """item → its latest decision (with who decided)."""
    out: dict[str, dict[str, Any]] = {}
    names: dict[int, str] = {}
    for d in reviews.list_decisions(session, result_id=result.id):
        if d.reviewer_id not in names:
            u = session.get(User, d.reviewer_id)
            names[d.reviewer_id] = (u.display_name or u.username) if u else str(d.reviewer_id)
        out[d.item] = {
            "decision": d.decision,
            "note": d.note,
            "who": names[d.reviewer_id],
            "created_at": d.created_at,
        }
    return out


def item_keys(result: Result) -> set[str]:
    keys = {reviews.WHOLE_VERSION, *reviews.review_items(result.report or {})}
    got = _rulebook_items()
    if got:
        keys.update(i.id for i in got[1])
    return keys


def _item(key: str, lang: str, decided: dict[str, dict[str, Any]], **kw: Any) -> dict[str, Any]:
    base = {
        "key": key,
        "dom": dom_id(key),
        "severity": None,
        "severity_label": "",
        "detail": "",
        "how": "",
        "judgement": "manual",
        "decision": decided.get(key),
    }
    base.update(kw)
    base["judgement_label"] = _pick(_JUDGEMENT.get(base["judgement"], _JUDGEMENT["manual"]), lang)
    return base


def whole_version(lang: str, decided: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return _item(
        reviews.WHOLE_VERSION,
        lang,
        decided,
        title=_pick(_WHOLE["title"], lang),
        detail=_pick(_WHOLE["detail"], lang),
    )


def finding_items(result: Result, lang: str, decided: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    report = result.report or {}
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in report.get("findings") or []:
        if not f.get("suppression"):
            by_rule.setdefault(str(f.get("rule_id")), []).append(f)
    out = []
    for rule in reviews.review_items(report):
        fs = by_rule.get(rule) or [{}]
        first = fs[0]
        title = (first.get("title") or {}).get("en" if lang == "en" else "zh") or rule
        message = (first.get("message") or {}).get("en" if lang == "en" else "zh") or ""
        if len(fs) > 1:
            message = f"{message} (×{len(fs)})"
        sev = str(first.get("severity") or "")
        out.append(
            _item(
                rule,
                lang,
                decided,
                title=title,
                detail=message,
                severity=sev or None,
                severity_label=label(sev, lang) if sev else "",
                judgement=str(first.get("judgement") or "auto"),
            )
        )
    return out


def rulebook_groups(lang: str, decided: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    got = _rulebook_items()
    if not got:
        return []
    sources, items = got
    groups = []
    for src in sources:
        mine = [i for i in items if i.source == src.id]
        if not mine:
            continue
        groups.append(
            {
                "title": f"{src.law} · {src.title}",
                "items": [
                    _item(
                        i.id,
                        lang,
                        decided,
                        title=f"{i.article} {i.text.get(lang)}",
                        how=i.how.get(lang),
                        judgement=i.judgement,
                    )
                    for i in mine
                ],
            }
        )
    return groups
