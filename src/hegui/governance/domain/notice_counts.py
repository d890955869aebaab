"""Counts and examples of a public notice, from the decided violations of a period (pure: the
rows come from ``crud.notices``). Identifiers of examples are masked (``domain.masking``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hegui.governance.domain.masking import mask_identifier, mask_name

SEVERITY_ORDER = ("warning", "content_removal", "restriction", "temp_ban", "permanent_ban", "disband")
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Row:
    """One violation decision in force: its target, confirmed category and heaviest sanction."""

    decision_id: int
    target_type: str
    target_id: int
    identifier: str
    name: str
    category: str
    sanction: str
    decided_at: str = ""


def count(rows: list[Row], *, max_examples: int = MAX_EXAMPLES) -> dict[str, Any]:
    """``accounts`` and ``groups``: distinct targets; ``by_sanction``: targets by their heaviest
    sanction of the period; ``by_category``: distinct targets per confirmed category; ``examples``:
    the heaviest cases, identifiers masked."""
    heaviest: dict[tuple[str, int], Row] = {}
    by_category: dict[str, dict[str, set[int]]] = {}
    for r in rows:
        key = (r.target_type, r.target_id)
        prev = heaviest.get(key)
        if prev is None or SEVERITY_ORDER.index(r.sanction) > SEVERITY_ORDER.index(prev.sanction):
            heaviest[key] = r
        by_category.setdefault(r.category, {"account": set(), "group": set()})[r.target_type].add(r.target_id)
    by_sanction: dict[str, int] = {}
    for r in heaviest.values():
        by_sanction[r.sanction] = by_sanction.get(r.sanction, 0) + 1
    ranked = sorted(heaviest.values(), key=lambda r: (-SEVERITY_ORDER.index(r.sanction), -r.decision_id))
    examples = [
        {
            "target_type": r.target_type,
            "identifier": mask_identifier(r.identifier),
            "name": mask_name(r.name),
            "category": r.category,
            "sanction": r.sanction,
        }
        for r in ranked[:max_examples]
    ]
    return {
        "accounts": sum(1 for t, _ in heaviest if t == "account"),
        "groups": sum(1 for t, _ in heaviest if t == "group"),
        "decisions": len(rows),
        "by_sanction": dict(sorted(by_sanction.items())),
        "by_category": {
            c: {"accounts": len(v["account"]), "groups": len(v["group"])}
            for c, v in sorted(by_category.items())
        },
        "examples": examples,
    }


def export(rows: list[Row]) -> list[dict[str, Any]]:
    """The rows for a transparency report: one per decision, identifiers masked."""
    return [
        {
            "decision_id": r.decision_id,
            "decided_at": r.decided_at,
            "target_type": r.target_type,
            "identifier": mask_identifier(r.identifier),
            "category": r.category,
            "sanction": r.sanction,
        }
        for r in rows
    ]
