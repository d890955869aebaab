"""Rules as data: ``checks/data/rules.yaml``.

Only plain "fact X matches Y" rules belong here. An entry carries the rule's metadata, its
reference page (``doc``), a message template, and one ``match``:

* ``pi_type: [patterns]`` - call sites whose PI type matches a pattern (``fnmatch``, e.g.
  ``device_id.*``); one finding per PI type, every call site as evidence. Placeholders:
  ``{count} {pi_type} {pi_name_zh} {pi_name_en} {owners}``.
* ``permission: [names]`` - requested permissions; one finding per permission. Placeholder:
  ``{permission}``.

``also_permissions`` (``pi_type`` rules only) names permissions to note when requested: they are
added as evidence, and ``also_message`` (placeholder ``{permissions}``) is appended to the message.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hegui.checks import evidence as ev
from hegui.checks.model import Finding, Rule, Text
from hegui.checks.registry import REGISTRY, Check, CheckFunc, Registry, RuleDefinitionError, finding
from hegui.facts.model import Facts

_SAMPLE = {
    "count": 1,
    "pi_type": "x",
    "pi_name_zh": "x",
    "pi_name_en": "x",
    "owners": "app",
    "permission": "x",
    "permissions": "x",
}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Match(_Strict):
    pi_type: list[str] = Field(default_factory=list)
    permission: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one(self) -> Match:
        if bool(self.pi_type) == bool(self.permission):
            raise ValueError("match needs exactly one of pi_type, permission")
        return self


class Entry(_Strict):
    rule: Rule
    doc: str
    match: Match
    message: Text
    also_permissions: list[str] = Field(default_factory=list)
    also_message: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _split(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        own = {"doc", "match", "message", "also_permissions", "also_message"}
        return {
            **{k: v for k, v in raw.items() if k in own},
            "rule": {k: v for k, v in raw.items() if k not in own},
        }

    @model_validator(mode="after")
    def _templates(self) -> Entry:
        if self.also_permissions and (self.match.permission or self.also_message is None):
            raise ValueError("also_permissions needs a pi_type match and an also_message")
        for t in (self.message, self.also_message):
            if t is not None:
                t.zh.format(**_SAMPLE), t.en.format(**_SAMPLE)  # unknown placeholder -> KeyError
        return self


def load(text: str, registry: Registry = REGISTRY) -> list[Check]:
    """Parse declarative rules and register its rules; malformed entries raise RuleDefinitionError."""
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise RuleDefinitionError("rules.yaml must be a mapping with 'meta' and 'entries'")
    checks = []
    for i, raw in enumerate(doc["entries"]):
        try:
            entry = Entry.model_validate(raw)
        except (ValidationError, KeyError, ValueError) as exc:
            rid = raw.get("id", "?") if isinstance(raw, dict) else "?"
            raise RuleDefinitionError(f"rules.yaml entry {i} ({rid}): {exc}") from exc
        checks.append(registry.add(Check(rule=entry.rule, func=_engine(entry), doc=entry.doc)))
    return checks


def _engine(entry: Entry) -> CheckFunc:
    def check(facts: Facts) -> Iterator[Finding]:
        if entry.match.pi_type:
            yield from _by_pi_type(entry, facts)
        else:
            yield from _by_permission(entry, facts)

    return check


def _by_pi_type(entry: Entry, facts: Facts) -> Iterator[Finding]:
    patterns = entry.match.pi_type
    hits = [cs for cs in facts.call_sites if any(fnmatch.fnmatchcase(cs.pi_type, p) for p in patterns)]
    requested = ev.requests(facts)
    noted = [requested[p] for p in entry.also_permissions if p in requested]
    for pi_type, sites in ev.by_pi_type(hits).items():
        name = ev.pi_name(pi_type)
        values = {
            "count": len(sites),
            "pi_type": pi_type,
            "pi_name_zh": name.zh,
            "pi_name_en": name.en,
            "owners": ev.owners(sites),
        }
        message = _fill(entry.message, values)
        if noted and entry.also_message is not None:
            extra = _fill(entry.also_message, {"permissions": ", ".join(r.name for r in noted)})
            message = Text(zh=message.zh + extra.zh, en=message.en + extra.en)
        yield finding(
            entry.rule,
            message=message,
            evidence=[*ev.call_sites(sites), *(ev.permission(r) for r in noted)],
            owner=ev.sole_owner(sites),
        )


def _by_permission(entry: Entry, facts: Facts) -> Iterator[Finding]:
    requested = ev.requests(facts)
    for name in entry.match.permission:
        if name in requested:
            yield finding(
                entry.rule,
                message=_fill(entry.message, {"permission": name}),
                evidence=[ev.permission(requested[name])],
            )


def _fill(t: Text, values: dict[str, Any]) -> Text:
    return Text(zh=t.zh.format(**values), en=t.en.format(**values))


DECLARATIVE = load(resources.files("hegui.checks").joinpath("data", "rules.yaml").read_text(encoding="utf-8"))
