"""The escalation ladder: which sanction a verified violation brings, from the target's active strikes.

Configured in ``data/ladder.yaml`` (``load_ladder(path)`` for another file). The rule, in order:

1. an evasion (an account linked to a banned one) → the ``account.evasion`` sanction (permanent ban);
2. ``total = active strikes + this decision's strikes`` (severity strikes × category multiplier);
3. ``total >= permanent_at`` → permanent ban (account) / disband (group);
4. no active strike before this one → the severity's ``first_offence`` or the global one;
5. otherwise the ladder step with the most strikes ``<= total``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from hegui.governance.models import ACCOUNT_SANCTIONS, GROUP_SANCTIONS, SEVERITIES
from hegui.service.errors import InvalidInputError

LADDER_FILE = Path(__file__).resolve().parents[1] / "data" / "ladder.yaml"
TERMINAL = {"account": "permanent_ban", "group": "disband"}


@dataclass(frozen=True)
class Step:
    strikes: int
    sanction: str
    days: int | None = None
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetRules:
    permanent_at: int
    steps: tuple[Step, ...]
    remove_content: bool = False
    evasion: str | None = None


@dataclass(frozen=True)
class Ladder:
    strike_expiry_days: int
    appeal_window_days: int
    severity_strikes: dict[str, int]
    severity_first: dict[str, str]
    severity_first_days: dict[str, int]
    first_offence: str
    category_multiplier: dict[str, int]
    targets: dict[str, TargetRules]

    def strikes_for(self, severity: str, category: str) -> int:
        root = category.split(".", 1)[0]
        mult = self.category_multiplier.get(category, self.category_multiplier.get(root, 1))
        return self.severity_strikes[severity] * mult

    def strike_expiry(self, at: datetime) -> datetime:
        return at + timedelta(days=self.strike_expiry_days)

    def appeal_deadline(self, decided_at: datetime) -> datetime:
        return decided_at + timedelta(days=self.appeal_window_days)


@dataclass(frozen=True)
class Proposal:
    """The sanction a decision brings (``why``: which rule chose it, for the audit log)."""

    sanction: str
    days: int | None
    strikes: int
    total: int
    why: str
    features: tuple[str, ...] = field(default=())


def _steps(raw: list[dict[str, Any]], allowed: tuple[str, ...]) -> tuple[Step, ...]:
    steps = []
    for item in raw:
        if item["sanction"] not in allowed:
            raise ValueError(f"ladder: {item['sanction']!r} is not one of {allowed}")
        steps.append(
            Step(int(item["strikes"]), item["sanction"], item.get("days"), tuple(item.get("features", ())))
        )
    return tuple(sorted(steps, key=lambda s: s.strikes))


def parse(data: dict[str, Any]) -> Ladder:
    sev = data["severities"]
    if set(sev) != set(SEVERITIES):
        raise ValueError(f"ladder: severities must be exactly {SEVERITIES}")
    targets = {}
    for kind, allowed in (("account", ACCOUNT_SANCTIONS), ("group", GROUP_SANCTIONS)):
        t = data[kind]
        targets[kind] = TargetRules(
            permanent_at=int(t["permanent_at"]),
            steps=_steps(t.get("ladder", []), allowed),
            remove_content=bool(t.get("remove_content", False)),
            evasion=t.get("evasion"),
        )
    return Ladder(
        strike_expiry_days=int(data["strike_expiry_days"]),
        appeal_window_days=int(data["appeal_window_days"]),
        severity_strikes={k: int(v["strikes"]) for k, v in sev.items()},
        severity_first={k: v["first_offence"] for k, v in sev.items() if v.get("first_offence")},
        severity_first_days={k: int(v["days"]) for k, v in sev.items() if v.get("days")},
        first_offence=data.get("first_offence", "warning"),
        category_multiplier={str(k): int(v) for k, v in (data.get("category_multiplier") or {}).items()},
        targets=targets,
    )


def load_ladder(path: Path | None = None) -> Ladder:
    return parse(yaml.safe_load((path or LADDER_FILE).read_text(encoding="utf-8")))


@functools.cache
def default_ladder() -> Ladder:
    return load_ladder()


def _fit(sanction: str, target_type: str) -> str:
    """A sanction named for accounts, asked of a group (or back): the nearest one that exists."""
    if target_type == "group" and sanction not in GROUP_SANCTIONS:
        return {"permanent_ban": "disband", "temp_ban": "restriction", "content_removal": "warning"}[sanction]
    if target_type == "account" and sanction == "disband":
        return "permanent_ban"
    return sanction


def propose(
    ladder: Ladder,
    *,
    target_type: str,
    severity: str,
    category: str,
    active_strikes: int,
    evasion: bool = False,
) -> Proposal:
    """The sanction of a verified violation on a target with ``active_strikes`` already."""
    if severity not in SEVERITIES:
        raise InvalidInputError(f"severity must be one of {', '.join(SEVERITIES)}")
    rules = ladder.targets[target_type]
    strikes = ladder.strikes_for(severity, category)
    total = active_strikes + strikes
    if evasion:
        if target_type != "account" or not rules.evasion:
            raise InvalidInputError("evasion applies to accounts only")
        return Proposal(rules.evasion, None, strikes, total, "evasion of an earlier sanction")
    if total >= rules.permanent_at:
        return Proposal(
            TERMINAL[target_type], None, strikes, total, f"{total} active strikes >= {rules.permanent_at}"
        )
    if active_strikes == 0:
        first = _fit(ladder.severity_first.get(severity, ladder.first_offence), target_type)
        step = next((s for s in rules.steps if s.sanction == first), None)
        days = ladder.severity_first_days.get(severity) or (step.days if step else None)
        if first in ("restriction", "temp_ban") and not days:
            raise ValueError(f"ladder: first offence {first} of {severity} needs days")
        features = step.features if step else ()
        return Proposal(first, days, strikes, total, f"first offence ({severity})", features)
    step = next((s for s in reversed(rules.steps) if s.strikes <= total), None)
    if step is None:
        return Proposal("warning", None, strikes, total, "below the first ladder step")
    return Proposal(
        step.sanction, step.days, strikes, total, f"ladder step at {step.strikes} strikes", step.features
    )
