"""Rules and findings.

A rule has a stable ID (``HG-<FAMILY>-<NNN>``, never reused), bilingual title and advice, a
severity, a confidence and its legal basis. A finding is one occurrence of a rule with evidence.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(str, Enum):  # noqa: UP042 - public type; StrEnum would change str() of its members
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.info: 0, Severity.low: 1, Severity.medium: 2, Severity.high: 3, Severity.critical: 4}

Confidence = Literal["low", "medium", "high"]
Judgement = Literal["auto", "assisted", "manual"]


class Text(Frozen):
    """User-facing text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class LegalBasis(Frozen):
    law: str  # short name of the instrument, e.g. "PIPL", "认定方法", "164号文", "GB/T 41391-2022"
    article: str  # article / item / clause, e.g. "第十三条", "一(2)", "5.2.1"
    note: str | None = None


class Rule(Frozen):
    id: str
    family: str  # PI, SDK, PERM, NET, MAN, SEC, POL ...
    title: Text
    description: Text
    advice: Text
    severity: Severity
    confidence: Confidence = "high"
    judgement: Judgement = "auto"
    legal_basis: list[LegalBasis] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    status: Literal["stable", "preview", "deprecated", "removed"] = "stable"


class Evidence(Frozen):
    """Where a finding was seen. Fields that do not apply are left out of the JSON."""

    kind: Literal["call_site", "manifest", "permission", "file", "certificate", "network", "note"]
    file: str | None = None  # entry in the APK, e.g. AndroidManifest.xml, classes2.dex
    element: str | None = None  # manifest element, e.g. application/@android:debuggable
    api: str | None = None
    caller: str | None = None
    value: str | None = None
    owner: str | None = None


class Suppression(Frozen):
    """Why a finding is accepted (from ``hegui.toml``); the finding stays in reports, marked."""

    justification: str
    expires: str  # ISO date; the suppression no longer applies after it
    source: str  # where it was declared, e.g. hegui.toml:[[suppress]] #2


class Finding(Frozen):
    rule_id: str
    title: Text
    severity: Severity
    confidence: Confidence
    judgement: Judgement = "auto"
    message: Text  # what was found in this APK
    legal_basis: list[LegalBasis] = Field(default_factory=list)
    advice: Text
    evidence: list[Evidence] = Field(default_factory=list)
    owner: str | None = None  # app / sdk:<id> / third-party:<pkg>, when one party is responsible
    suppression: Suppression | None = None  # accepted with a justification: not counted in the verdict
