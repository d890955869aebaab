"""Internal rules (HG-INT-0xx): what the scan itself could not do. HG-INT-001 (a check failed) lives
in the registry, which raises it."""

from __future__ import annotations

from collections.abc import Iterator

from hegui.checks.model import Evidence, Finding, Severity, Text
from hegui.checks.registry import rule
from hegui.facts.model import Facts

# Notes another rule already reports as a finding of its own.
REPORTED_ELSEWHERE = frozenset({"hidden-dex"})  # HG-SEC-001


@rule(
    id="HG-INT-002",
    family="INT",
    title=Text(zh="部分内容未能分析", en="Part of the APK was not analysed"),
    description=Text(
        zh="提取事实时有部分内容无法分析（如损坏的 DEX、无法解析的签名块、可疑的压缩包条目），相应部分不在本报告的覆盖范围内。",
        en="Part of the APK could not be analysed while extracting facts (a malformed DEX, an unreadable "
        "signature block, suspicious archive entries); this report does not cover that part.",
    ),
    advice=Text(
        zh="根据证据中的说明核对未分析的部分：必要时提供未加固、未混淆的原始 APK 重新检测，或对该部分进行人工/动态检测。",
        en="Look at what the evidence says was skipped; rescan an unpacked build if you can, or test that part "
        "by hand or dynamically.",
    ),
    severity=Severity.info,
)
def not_analysed(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Turns every analysis note from fact extraction into a finding, one per note, so that reports
    say what was not analysed. Notes another rule reports (`hidden-dex`, see HG-SEC-001) are left
    out.

    ## Why is this bad?
    It is not a compliance problem; it marks the limits of this report.

    ## Example
    A note `dex-malformed` on `classes3.dex`: the classes in that file were not searched for
    sensitive calls.

    ## References
    - hegui: analysis notes (`Facts.notes`)
    """
    for note in facts.notes:
        if note.code in REPORTED_ELSEWHERE:
            continue
        where = f" ({note.file})" if note.file else ""
        yield not_analysed.finding(
            message=Text(
                zh=f"[{note.code}]{where} {note.message}", en=f"[{note.code}]{where} {note.message}"
            ),
            evidence=[Evidence(kind="note", file=note.file, element=note.code, value=note.message)],
        )
