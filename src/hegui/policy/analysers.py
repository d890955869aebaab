"""Analyser registry. The default ``lexicon`` analyser is deterministic, offline and fast; others
plug in through the ``hegui.policy_analysers`` entry-point group: an entry point names a callable
``(PolicyDocument) -> PolicyAnalysis`` (see docs/policy.md)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.metadata import entry_points

from hegui.errors import HeguiError
from hegui.policy.elements import extract_elements
from hegui.policy.extract import extract_pi
from hegui.policy.load import PolicyDocument
from hegui.policy.model import PolicyAnalysis
from hegui.policy.permissions import extract_permissions
from hegui.policy.segment import units
from hegui.policy.third_parties import extract_third_parties

Analyser = Callable[[PolicyDocument], PolicyAnalysis]
ENTRY_POINT_GROUP = "hegui.policy_analysers"
DEFAULT = "lexicon"


def lexicon_analyser(doc: PolicyDocument) -> PolicyAnalysis:
    us = units(doc)
    collected, not_collected = extract_pi(doc, us)
    third_parties = extract_third_parties(doc, us, collected)  # may add a warning
    return PolicyAnalysis(
        source=doc.source,
        format=doc.format,
        text_chars=len(doc.text),
        analyser=DEFAULT,
        collected=collected,
        not_collected=not_collected,
        third_parties=third_parties,
        elements=extract_elements(doc, us),
        permissions=extract_permissions(doc, us),
        warnings=list(doc.warnings),
    )


@functools.cache
def available() -> dict[str, Analyser]:
    """Built-in analysers plus those installed through entry points (a broken plug-in is skipped)."""
    out: dict[str, Analyser] = {DEFAULT: lexicon_analyser}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in out:
            continue
        try:
            fn = ep.load()
        except Exception:  # noqa: BLE001 - a broken plug-in must not break hegui
            continue
        if callable(fn):
            out[ep.name] = fn
    return out


def get(name: str | None) -> Analyser:
    name = name or DEFAULT
    found = available().get(name)
    if found is None:
        raise HeguiError(f"unknown policy analyser {name!r}: one of {', '.join(sorted(available()))}")
    return found
