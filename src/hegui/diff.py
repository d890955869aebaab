"""What a version update changes: the review an update needs (``hegui diff old.apk new.apk``).

Compares two reports: permissions, PI types reached (overall and per owner), SDKs, signing
certificates, target SDK, and findings. A finding is identified across versions by its rule, its
owner and *what* its evidence names (API, manifest element, permission, value) — not by caller
method names, which obfuscation renames between builds — so a finding that only moved is
neither added nor removed.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from hegui.checks.model import Finding, Frozen, Severity, Text
from hegui.report.model import Report
from hegui.verdict import VerdictStatus

DIFF_SCHEMA_VERSION = "1.0"


class Change(Frozen):
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed


class OwnerPiChange(Frozen):
    owner: str  # app / sdk:<id> / third-party:<pkg>
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)


class Side(Frozen):
    file_name: str
    sha256: str
    package: str
    version_code: int | None = None
    version_name: str | None = None
    target_sdk: int | None = None
    verdict: VerdictStatus
    findings: int


class FindingRef(Frozen):
    rule_id: str
    title: Text
    severity: Severity
    owner: str | None = None
    message: Text


class ScanDiff(Frozen):
    schema_version: str = DIFF_SCHEMA_VERSION
    old: Side
    new: Side
    same_package: bool
    same_signer: bool  # the certificate sets are equal (an update signed by another key cannot install)
    permissions: Change
    pi_types: Change
    pi_by_owner: list[OwnerPiChange] = Field(default_factory=list)
    sdks: Change
    findings_added: list[FindingRef] = Field(default_factory=list)
    findings_removed: list[FindingRef] = Field(default_factory=list)

    def worst_added(self) -> Severity | None:
        ranks = [f.severity for f in self.findings_added]
        return max(ranks, key=lambda s: s.rank) if ranks else None


def _change(old: Iterable[str], new: Iterable[str]) -> Change:
    a, b = set(old), set(new)
    return Change(added=sorted(b - a), removed=sorted(a - b))


def _side(r: Report) -> Side:
    f = r.facts
    active = [x for x in r.findings if x.suppression is None]
    return Side(
        file_name=f.file_name,
        sha256=f.sha256,
        package=f.package,
        version_code=f.version_code,
        version_name=f.version_name,
        target_sdk=f.target_sdk,
        verdict=r.verdict.status,
        findings=len(active),
    )


def _pi_by_owner(r: Report) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for cs in r.facts.call_sites:
        out.setdefault(cs.owner, set()).add(cs.pi_type)
    return out


def finding_key(f: Finding) -> tuple[str, str, tuple[str, ...]]:
    """Identity of a finding across versions: rule, owner, and what the evidence names."""
    what = sorted({"|".join(v or "" for v in (e.kind, e.api, e.element, e.value, e.owner)) for e in f.evidence})
    return (f.rule_id, f.owner or "", tuple(what))


def _ref(f: Finding) -> FindingRef:
    return FindingRef(rule_id=f.rule_id, title=f.title, severity=f.severity, owner=f.owner, message=f.message)


def diff_reports(old: Report, new: Report) -> ScanDiff:
    """The changes from ``old`` to ``new`` (suppressed findings are left out of both sides)."""
    old_pi, new_pi = _pi_by_owner(old), _pi_by_owner(new)
    owners = sorted(set(old_pi) | set(new_pi))
    by_owner = []
    for owner in owners:
        c = _change(old_pi.get(owner, ()), new_pi.get(owner, ()))
        if not c.empty:
            by_owner.append(OwnerPiChange(owner=owner, added=c.added, removed=c.removed))
    old_f = {finding_key(f): f for f in old.findings if f.suppression is None}
    new_f = {finding_key(f): f for f in new.findings if f.suppression is None}

    def order(fs: Iterable[Finding]) -> list[FindingRef]:
        return [_ref(f) for f in sorted(fs, key=lambda f: (-f.severity.rank, f.rule_id, f.owner or ""))]

    return ScanDiff(
        old=_side(old),
        new=_side(new),
        same_package=old.facts.package == new.facts.package,
        same_signer={c.sha256 for c in old.facts.certificates} == {c.sha256 for c in new.facts.certificates},
        permissions=_change(old.facts.permissions, new.facts.permissions),
        pi_types=_change(
            {cs.pi_type for cs in old.facts.call_sites}, {cs.pi_type for cs in new.facts.call_sites}
        ),
        pi_by_owner=by_owner,
        sdks=_change((s.id for s in old.facts.sdks), (s.id for s in new.facts.sdks)),
        findings_added=order(f for k, f in new_f.items() if k not in old_f),
        findings_removed=order(f for k, f in old_f.items() if k not in new_f),
    )
