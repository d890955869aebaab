"""The library API: ``scan(path) -> Report``. The CLI and the service are thin layers over this."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from hegui import __version__
from hegui.apk.archive import Limits
from hegui.checks.registry import run_checks
from hegui.facts.app_type import with_app_type
from hegui.facts.extract import extract
from hegui.facts.model import Facts, PolicySource
from hegui.policy.model import PolicyAnalysis
from hegui.report.model import Report, ToolInfo
from hegui.suppress import SuppressRule, apply
from hegui.verdict import decide


@dataclass(frozen=True)
class ScanOptions:
    limits: Limits = field(default_factory=Limits)
    app_type: str | None = None  # one of the 39 app types (hegui.knowledge.rulebook.app_types); else inferred
    suppress: Sequence[SuppressRule] = ()  # accepted findings, e.g. from hegui.toml
    today: date | None = None  # for suppression expiry; None: the current date
    # the app's privacy policy: a file, an http(s) URL or an analysis; replaces any bundled policy
    policy: str | Path | PolicyAnalysis | None = None


def scan(path: str | Path, *, options: ScanOptions | None = None) -> Report:
    """Analyse one APK: extract facts, run every check, decide the verdict.

    Raises :class:`hegui.errors.ApkError` when the input cannot be analysed at all (and
    :class:`hegui.errors.KnowledgeError` for an unknown ``app_type``, and
    :class:`hegui.policy.PolicyError` for a given policy that cannot be read); problems with
    parts of it (one malformed DEX, an unreadable network config) become analysis notes instead.
    """
    options = options or ScanOptions()
    started = time.perf_counter()
    scanned_at = datetime.now(UTC).isoformat(timespec="seconds")
    given = _given_policy(options.policy)
    facts = extract(path, limits=options.limits, bundled_policy=given is None)
    facts = with_app_type(_with_policy(facts, given), options.app_type)
    findings, warnings = apply(run_checks(facts), options.suppress, today=options.today)
    return Report(
        tool=ToolInfo(version=__version__),
        scanned_at=scanned_at,
        duration_ms=int((time.perf_counter() - started) * 1000),
        facts=facts,
        findings=findings,
        verdict=decide(findings),
        warnings=warnings,
    )


def _given_policy(policy: str | Path | PolicyAnalysis | None) -> PolicyAnalysis | None:
    """Analyse a given policy before the APK is read, so a bad path fails fast."""
    if policy is None or isinstance(policy, PolicyAnalysis):
        return policy
    from hegui.policy import analyse

    return analyse(policy)


def _with_policy(facts: Facts, given: PolicyAnalysis | None) -> Facts:
    if given is None:
        return facts
    source = PolicySource(
        kind="given", path=given.source, chars=given.text_chars, reason="given with --policy"
    )
    return facts.model_copy(update={"policy": given, "policy_source": source})
