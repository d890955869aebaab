"""The verdict: would this APK pass technical testing as it stands (检测合格后方可上架)?"""

from __future__ import annotations

from typing import Literal

from hegui.checks.model import Finding, Frozen, Severity, Text

VerdictStatus = Literal["pass", "fail", "needs-review"]


class Verdict(Frozen):
    status: VerdictStatus
    reasons: list[Text]
    suppressed: int = 0  # findings accepted in hegui.toml, left out of the decision


def decide(findings: list[Finding]) -> Verdict:
    """``fail`` on any high/critical auto finding of medium or high confidence;
    ``needs-review`` when anything else at medium or above, or any assisted finding, remains;
    ``pass`` otherwise. Suppressed findings (accepted with a justification) are left out."""
    suppressed = sum(1 for f in findings if f.suppression is not None)
    verdict = _decide([f for f in findings if f.suppression is None])
    return verdict.model_copy(update={"suppressed": suppressed}) if suppressed else verdict


def _decide(findings: list[Finding]) -> Verdict:
    failing = [
        f
        for f in findings
        if f.judgement == "auto" and f.severity.at_least(Severity.high) and f.confidence != "low"
    ]
    if failing:
        return Verdict(status="fail", reasons=_reasons(failing))
    review = [f for f in findings if f.severity.at_least(Severity.medium) or f.judgement != "auto"]
    if review:
        return Verdict(status="needs-review", reasons=_reasons(review))
    return Verdict(
        status="pass",
        reasons=[Text(zh="未发现中等及以上风险的问题。", en="No finding of medium severity or above.")],
    )


def _reasons(findings: list[Finding]) -> list[Text]:
    """One reason per rule, in order of first appearance, with the number of findings behind it."""
    counts: dict[str, int] = {}
    first: dict[str, Finding] = {}
    for f in findings:
        counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
        first.setdefault(f.rule_id, f)
    out = []
    for rule_id, f in first.items():
        n = counts[rule_id]
        zh = f"{rule_id} {f.title.zh}" + (f"（{n} 项）" if n > 1 else "")
        en = f"{rule_id} {f.title.en}" + (f" ({n} findings)" if n > 1 else "")
        out.append(Text(zh=zh, en=en))
    return out
