"""Privacy-policy analysis: what a policy says (PI collected, third parties, required elements,
permission purposes), each point with its evidence. See docs/policy.md.

Public API (stable):

- ``load(source, *, text=None, fmt=None) -> PolicyDocument``: read and clean a policy file
  (HTML, text, Markdown) keeping section structure and tables.
- ``analyse(source_or_doc, *, analyser=None) -> PolicyAnalysis``: the default analyser is
  deterministic and offline (``lexicon``); others plug in through the ``hegui.policy_analysers``
  entry point.
"""

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
    "POLICY_ONLY_PI_TYPES",
    "CollectedPI",
    "ElementResult",
    "Evidence",
    "NotCollected",
    "PermissionPurpose",
    "PolicyAnalysis",
    "ThirdParty",
]
