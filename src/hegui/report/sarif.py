"""The ``sarif`` format: SARIF 2.1.0 for GitHub code scanning (and other SARIF consumers).

One run; ``tool.driver.rules`` lists every registered rule that is not removed, plus any rule a
finding names (even a removed or unknown one), so ``ruleIndex`` is stable for a given hegui version
and a consumer can tell "ran and found nothing" from "did not run". Each result points at the
scanned APK (``artifactLocation.uri`` = its file name; line 1, since an APK has no lines and GitHub
needs one), with the caller method or manifest element as logical locations. ``partialFingerprints``
hash the rule ID, owner and evidence, never the message or the language, so a result keeps its
fingerprint across runs and ``--lang``. Suppressed findings carry an ``external`` suppression.
No URL is made up: ``informationUri`` and ``helpUri`` are left out (hegui has no public site yet).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import hegui.checks  # noqa: F401 - importing the package registers every built-in rule
from hegui.checks.model import Evidence, Finding, LegalBasis, Rule, Severity
from hegui.checks.registry import UnknownRuleError, all_checks, get_check
from hegui.report.descriptors import pretty_member, split_member
from hegui.report.json import dumps
from hegui.report.labels import label
from hegui.report.model import Report

SARIF_VERSION = "2.1.0"
# the "id" of the OASIS schema (errata 01), as the schema file itself gives it
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "heguiFindingHash/v1"
MAX_TAGS = 20  # GitHub keeps at most 20 tags per rule
MAX_LOGICAL_LOCATIONS = 10

LEVEL = {
    Severity.critical: "error",
    Severity.high: "error",
    Severity.medium: "warning",
    Severity.low: "note",
    Severity.info: "note",
}
# GitHub's numeric security severity (it shows >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, else low)
SECURITY_SEVERITY = {
    Severity.critical: "9.5",
    Severity.high: "8.0",
    Severity.medium: "5.5",
    Severity.low: "3.0",
    Severity.info: "1.0",
}
PRECISION = {"high": "high", "medium": "medium", "low": "low"}


def rule_name(rule: Rule) -> str:
    """A PascalCase identifier from the English title: ``ThirdPartySdkInitialisedBeforeConsent``."""
    words = re.findall(r"[A-Za-z0-9]+", rule.title.en)
    return "".join(w[:1].upper() + w[1:].lower() if not w.isupper() else w for w in words) or rule.id


def _basis_lines(basis: list[LegalBasis]) -> list[str]:
    return [f"{b.law} {b.article}" + (f" — {b.note}" if b.note else "") for b in basis]


def _help(rule: Rule, doc: str, lang: str) -> dict[str, str]:
    """The rule's reference page (``Check.doc``, Markdown), under a header in ``lang``."""
    basis = _basis_lines(rule.legal_basis)
    md = [f"**{rule.title.get(lang)}**", "", rule.description.get(lang), ""]
    md += [f"**{label('advice', lang)}:** {rule.advice.get(lang)}", ""]
    if basis:
        md += [f"**{label('legal_basis', lang)}:**", *(f"- {b}" for b in basis), ""]
    if doc:
        md += ["---", "", doc.strip()]
    text = [
        rule.title.get(lang),
        "",
        rule.description.get(lang),
        "",
        f"{label('advice', lang)}: {rule.advice.get(lang)}",
    ]
    if basis:
        text += ["", f"{label('legal_basis', lang)}:", *(f"- {b}" for b in basis)]
    if doc:
        text += ["", doc.strip()]
    return {"text": "\n".join(text).strip(), "markdown": "\n".join(md).strip()}


def _tags(rule: Rule) -> list[str]:
    tags = ["security", "privacy", f"family/{rule.family}", f"judgement/{rule.judgement}"]
    for b in rule.legal_basis:
        tag = f"law/{b.law}"
        if tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]


def rule_descriptor(rule: Rule, doc: str, lang: str) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule_name(rule),
        "shortDescription": {"text": rule.title.get(lang)},
        "fullDescription": {"text": rule.description.get(lang)},
        "help": _help(rule, doc, lang),
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": _tags(rule),
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": PRECISION[rule.confidence],
            "severity": rule.severity.value,
            "judgement": rule.judgement,
            "status": rule.status,
            "legalBasis": [b.model_dump(exclude_none=True) for b in rule.legal_basis],
        },
    }


def _rule_from_finding(f: Finding) -> Rule:
    """A stand-in rule for a finding whose rule is not registered here (e.g. a newer hegui's)."""
    return Rule(
        id=f.rule_id,
        family=f.rule_id.split("-")[1] if f.rule_id.count("-") >= 2 else "UNKNOWN",
        title=f.title,
        description=f.title,
        advice=f.advice,
        severity=f.severity,
        confidence=f.confidence,
        judgement=f.judgement,
        legal_basis=f.legal_basis,
    )


def rules_for(report: Report) -> list[tuple[Rule, str]]:
    """(rule, reference doc) for every registered rule not removed, and every rule a finding names."""
    out: dict[str, tuple[Rule, str]] = {
        c.rule.id: (c.rule, c.doc) for c in all_checks() if c.rule.status != "removed"
    }
    for f in report.findings:
        if f.rule_id in out:
            continue
        try:
            check = get_check(f.rule_id)
            out[f.rule_id] = (check.rule, check.doc)
        except UnknownRuleError:
            out[f.rule_id] = (_rule_from_finding(f), "")
    return [out[k] for k in sorted(out)]


def fingerprint(f: Finding) -> str:
    """Stable across runs and languages: rule ID, owner and evidence (sorted), hashed."""
    evidence = sorted(json.dumps(e.model_dump(exclude_none=True), sort_keys=True) for e in f.evidence)
    blob = json.dumps([f.rule_id, f.owner or "", evidence], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _logical(ev: Evidence) -> dict[str, Any] | None:
    """The caller method, manifest element or APK entry an evidence names, as a logical location."""
    if ev.caller:
        _klass, member = split_member(ev.caller)
        return {
            "name": member.split("(", 1)[0],
            "fullyQualifiedName": pretty_member(ev.caller),
            "decoratedName": ev.caller,
            "kind": "function",
        }
    if ev.element:
        where = ev.file or "AndroidManifest.xml"
        return {"name": ev.element, "fullyQualifiedName": f"{where}/{ev.element}", "kind": "element"}
    if ev.kind == "file" and ev.file:
        return {"name": ev.file, "fullyQualifiedName": ev.file, "kind": "module"}
    return None


def _location(report: Report, f: Finding) -> dict[str, Any]:
    logical: list[dict[str, Any]] = []
    for ev in f.evidence:
        loc = _logical(ev)
        if loc is not None and loc not in logical:
            logical.append(loc)
        if len(logical) == MAX_LOGICAL_LOCATIONS:
            break
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": report.facts.file_name, "index": 0},
            "region": {"startLine": 1},
        }
    }
    if logical:
        location["logicalLocations"] = logical
    return location


def result(report: Report, f: Finding, rule_index: int, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": f.message.get(lang) or f.title.get(lang)},
        "locations": [_location(report, f)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f)},
        "properties": {
            "severity": f.severity.value,
            "security-severity": SECURITY_SEVERITY[f.severity],
            "confidence": f.confidence,
            "judgement": f.judgement,
            **({"owner": f.owner} if f.owner else {}),
            "evidence": [e.model_dump(exclude_none=True) for e in f.evidence],
        },
    }
    if f.suppression is not None:
        s = f.suppression
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": s.justification,
                "properties": {"expires": s.expires, "source": s.source},
            }
        ]
    return out


def _utc(iso: str) -> str:
    return iso[:-6] + "Z" if iso.endswith("+00:00") else iso


def sarif_log(report: Report, *, lang: str = "zh") -> dict[str, Any]:
    rules = rules_for(report)
    index = {r.id: i for i, (r, _) in enumerate(rules)}
    facts = report.facts
    notifications = [
        {"level": "note", "message": {"text": f"{n.code}: {n.message}"}, "descriptor": {"id": n.code}}
        for n in facts.notes
    ] + [{"level": "warning", "message": {"text": w.get(lang)}} for w in report.warnings]
    invocation: dict[str, Any] = {"executionSuccessful": True, "startTimeUtc": _utc(report.scanned_at)}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": [rule_descriptor(r, doc, lang) for r, doc in rules],
            }
        },
        "automationDetails": {"id": f"hegui/{facts.package}/"},
        "invocations": [invocation],
        "language": "en-US" if lang == "en" else "zh-CN",
        "artifacts": [
            {
                "location": {"uri": facts.file_name},
                "length": facts.file_size,
                "mimeType": "application/vnd.android.package-archive",
                "hashes": {"sha-256": facts.sha256},
                "properties": {
                    "package": facts.package,
                    **({"versionName": facts.version_name} if facts.version_name else {}),
                    **({"versionCode": facts.version_code} if facts.version_code is not None else {}),
                },
            }
        ],
        "results": [result(report, f, index[f.rule_id], lang) for f in report.findings],
        "properties": {
            "verdict": report.verdict.status,
            "verdictReasons": [r.get(lang) for r in report.verdict.reasons],
            "suppressed": report.verdict.suppressed,
            "reportSchemaVersion": report.schema_version,
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


class SarifFormatter:
    name = "sarif"
    description = "SARIF 2.1.0 for GitHub code scanning and other SARIF tools"
    media_type = "application/sarif+json"
    suffix = ".sarif"

    def render(self, report: Report, *, lang: str = "zh") -> str:
        return dumps(sarif_log(report, lang=lang)) + "\n"


sarif_formatter = SarifFormatter()
