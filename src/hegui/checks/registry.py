"""One registry of rules, two ways to write one.

* **Logic:** a plain function ``def check(facts: Facts) -> Iterable[Finding]`` decorated with
  :func:`rule`, which carries the metadata. Inside, ``yield check.finding(message=..., evidence=...)``
  builds the finding from the rule's metadata.
* **Data:** an entry in ``checks/data/rules.yaml`` for a plain "fact X matches Y" rule
  (see :mod:`hegui.checks.declarative`).

Both end in :meth:`Registry.add`, which rejects malformed and duplicate IDs at import. Rule IDs
(``HG-<FAMILY>-<NNN>``) are never reused: a retired rule stays registered with ``status="removed"``,
never runs, and keeps its ID taken. A check that raises does not end the scan: it becomes a
finding of :data:`CHECK_FAILED` (``HG-INT-001``).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from hegui.checks.model import Confidence, Evidence, Finding, Judgement, LegalBasis, Rule, Severity, Text
from hegui.errors import HeguiError
from hegui.facts.model import Facts

RULE_ID = re.compile(r"^HG-[A-Z]+-\d{3}$")

CheckFunc = Callable[[Facts], Iterable[Finding]]
Status = Literal["stable", "preview", "deprecated", "removed"]


class RuleDefinitionError(HeguiError):
    """A rule is malformed or its ID is taken (a bug in hegui or in a plug-in, raised at import)."""


class UnknownRuleError(HeguiError, KeyError):
    """No rule has this ID (or no rule matches this selector)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Check:
    """A rule and the function that looks for it (``func`` is None for rules raised by the engine)."""

    rule: Rule
    func: CheckFunc | None = None
    doc: str = ""  # "What it does / Why is this bad? / Example / References", Markdown

    def __call__(self, facts: Facts) -> Iterable[Finding]:
        return self.func(facts) if self.func is not None else ()

    def finding(self, *, message: Text, evidence: Iterable[Evidence] = (), **overrides: Any) -> Finding:
        return finding(self.rule, message=message, evidence=evidence, **overrides)


def finding(rule: Rule, *, message: Text, evidence: Iterable[Evidence] = (), **overrides: Any) -> Finding:
    """A finding of ``rule``: title, severity, confidence, judgement, legal basis and advice come
    from the rule; ``overrides`` (e.g. ``severity=``, ``confidence=``, ``owner=``) replace them."""
    fields: dict[str, Any] = {
        "rule_id": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "confidence": rule.confidence,
        "judgement": rule.judgement,
        "legal_basis": rule.legal_basis,
        "advice": rule.advice,
    }
    fields.update(overrides)
    return Finding(message=message, evidence=list(evidence), **fields)


class Registry:
    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def add(self, check: Check) -> Check:
        rid = check.rule.id
        if not RULE_ID.match(rid):
            raise RuleDefinitionError(f"rule ID {rid!r} is malformed: use HG-<FAMILY>-<NNN>, e.g. HG-PI-001")
        family = rid.split("-")[1]
        if check.rule.family != family:
            raise RuleDefinitionError(f"rule {rid}: family {check.rule.family!r} does not match its ID")
        if rid in self._checks:
            old = self._checks[rid].rule
            why = " (a removed rule: IDs are never reused)" if old.status == "removed" else ""
            raise RuleDefinitionError(f"rule ID {rid} is already registered{why}; take the next free ID")
        self._checks[rid] = check
        return check

    def checks(self) -> list[Check]:
        return [self._checks[k] for k in sorted(self._checks)]

    def rules(self) -> list[Rule]:
        return [c.rule for c in self.checks()]

    def get(self, rule_id: str) -> Check:
        try:
            return self._checks[rule_id]
        except KeyError:
            near = [k for k in sorted(self._checks) if k.rsplit("-", 1)[0] == rule_id.rsplit("-", 1)[0]]
            hint = f"; rules of that family: {', '.join(near)}" if near else "; list them with all_rules()"
            raise UnknownRuleError(f"no rule {rule_id!r}{hint}") from None

    def selected(self, select: Iterable[str] | None, ignore: Iterable[str] | None) -> list[Check]:
        """Rules an exact ID or a prefix (``HG-PI``, ``HG-PI-00``) in ``select`` names (all when None),
        minus those ``ignore`` names. A selector that names no rule is an error, not a silent no-op."""
        ids = sorted(self._checks)
        chosen = set(ids) if select is None else self._expand(select, ids)
        chosen -= self._expand(ignore or (), ids)
        return [self._checks[k] for k in ids if k in chosen]

    @staticmethod
    def _expand(selectors: Iterable[str], ids: list[str]) -> set[str]:
        out: set[str] = set()
        for s in selectors:
            hit = {k for k in ids if k.startswith(s)}
            if not hit:
                raise UnknownRuleError(f"{s!r} names no rule: give an ID (HG-PI-001) or a prefix (HG-PI)")
            out |= hit
        return out

    def run(
        self, facts: Facts, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
    ) -> list[Finding]:
        ignore = list(ignore or ())
        report_crashes = not any(CHECK_FAILED.rule.id.startswith(s) for s in ignore)
        findings: list[Finding] = []
        for check in self.selected(select, ignore):
            if check.rule.status == "removed" or check.func is None:
                continue
            try:
                found = list(check(facts))
            except Exception as exc:  # one broken check must not end the scan
                if report_crashes:
                    findings.append(_crashed(check.rule, exc))
                continue
            findings.extend(found)
        return sorted(findings, key=lambda f: (-f.severity.rank, f.rule_id))


REGISTRY = Registry()


def rule(
    *,
    id: str,
    family: str,
    title: Text,
    description: Text,
    advice: Text,
    severity: Severity,
    confidence: Confidence = "high",
    judgement: Judgement = "auto",
    legal_basis: Iterable[LegalBasis] = (),
    references: Iterable[str] = (),
    status: Status = "stable",
    registry: Registry | None = None,
) -> Callable[[CheckFunc], Check]:
    """Register the decorated ``check(facts)`` under a rule; its docstring is the rule's reference page."""
    try:
        meta = Rule.model_validate(
            {
                "id": id,
                "family": family,
                "title": title,
                "description": description,
                "advice": advice,
                "severity": severity,
                "confidence": confidence,
                "judgement": judgement,
                "legal_basis": list(legal_basis),
                "references": list(references),
                "status": status,
            }
        )
    except ValidationError as exc:
        raise RuleDefinitionError(f"rule {id}: {exc}") from exc

    def decorate(func: CheckFunc) -> Check:
        return (registry or REGISTRY).add(Check(rule=meta, func=func, doc=inspect.getdoc(func) or ""))

    return decorate


CHECK_FAILED = REGISTRY.add(
    Check(
        rule=Rule(
            id="HG-INT-001",
            family="INT",
            title=Text(zh="检测规则执行失败", en="Check failed"),
            description=Text(
                zh="某条检测规则在分析本应用时发生内部错误，该规则的结论缺失，本报告对相应问题的覆盖不完整。",
                en="A check raised an internal error on this app, so its result is missing and the report "
                "does not cover what that rule looks for.",
            ),
            advice=Text(
                zh="请将证据中的异常信息与应用样本一并反馈给 hegui 维护者；在修复前，应对该规则所覆盖的问题进行人工核查。",
                en="Report the exception in the evidence, with the APK if you can, to the hegui maintainers; "
                "until it is fixed, check what that rule covers by hand.",
            ),
            severity=Severity.info,
            confidence="high",
        ),
        doc="""## What it does
Reports a check that raised an exception while analysing this APK. It is raised by the registry
itself, never by a rule.

## Why is this bad?
The failed rule produced no result, so a clean report may only mean that the rule did not run.

## Example
A rule reading a knowledge file that is missing from the installation raises `KnowledgeError`;
the report then carries `HG-INT-001` with evidence `KnowledgeError: ...`.

## References
- hegui design: a check that raises must not end the scan.
""",
    )
)


def _crashed(failed: Rule, exc: BaseException) -> Finding:
    text = f"{type(exc).__name__}: {exc}"
    return CHECK_FAILED.finding(
        message=Text(
            zh=f"规则 {failed.id}（{failed.title.zh}）执行失败：{text}",
            en=f"Rule {failed.id} ({failed.title.en}) failed: {text}",
        ),
        evidence=[Evidence(kind="note", element=failed.id, value=text)],
    )


def all_rules() -> list[Rule]:
    """Every registered rule, removed ones included, sorted by ID."""
    return REGISTRY.rules()


def all_checks() -> list[Check]:
    return REGISTRY.checks()


def get_rule(rule_id: str) -> Rule:
    """The rule with this ID; :class:`UnknownRuleError` (a KeyError) names the near ones if none."""
    return REGISTRY.get(rule_id).rule


def get_check(rule_id: str) -> Check:
    return REGISTRY.get(rule_id)


def run_checks(
    facts: Facts, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[Finding]:
    """Run the selected rules (all when ``select`` is None) except ``ignore``d ones; findings are sorted
    by severity (highest first), then rule ID. A check that raises yields an ``HG-INT-001`` finding."""
    return REGISTRY.run(facts, select=select, ignore=ignore)
