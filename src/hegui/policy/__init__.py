"""Privacy-policy analysis: what a policy says (PI collected, third parties, required elements,
permission purposes), each point with its evidence. See docs/policy.md.

Public API (stable):

- ``load(source, *, text=None, fmt=None) -> PolicyDocument``: read and clean a policy file
  (HTML, text, Markdown) keeping section structure and tables.
- ``analyse(source_or_doc, *, analyser=None) -> PolicyAnalysis``: the default analyser is
  deterministic and offline (``lexicon``); others plug in through the ``hegui.policy_analysers``
  entry point.
"""

from __future__ import annotations

from pathlib import Path

from hegui.policy.load import PolicyDocument, PolicyError
from hegui.policy.load import load as load
from hegui.policy.model import (
    ELEMENTS,
    POLICY_ONLY_PI_TYPES,
    CollectedPI,
    ElementResult,
    Evidence,
    NotCollected,
    PermissionPurpose,
    PolicyAnalysis,
    ThirdParty,
)

__all__ = [
    "ELEMENTS",
    "PolicyDocument",
    "PolicyError",
    "analyse",
    "load",
    "POLICY_ONLY_PI_TYPES",
    "CollectedPI",
    "ElementResult",
    "Evidence",
    "NotCollected",
    "PermissionPurpose",
    "PolicyAnalysis",
    "ThirdParty",
]


def analyse(source_or_doc: str | Path | PolicyDocument, *, analyser: str | None = None) -> PolicyAnalysis:
    """Analyse a policy (a path, URL or loaded document) with ``analyser`` (default ``lexicon``)."""
    from hegui.policy.analysers import get

    doc = source_or_doc if isinstance(source_or_doc, PolicyDocument) else load(source_or_doc)
    return get(analyser)(doc)
