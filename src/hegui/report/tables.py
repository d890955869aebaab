"""Tables the CLI shows besides a report: the batch summary and the rule list."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hegui.checks.model import Rule, Severity
from hegui.report.labels import label
from hegui.report.text import SEVERITY_STYLE, severity_text, verdict_text, version_text

if TYPE_CHECKING:
    from hegui.batch import BatchItem

SEVERITIES_DESC = sorted(Severity, key=lambda s: -s.rank)
MAX_ERROR_CHARS = 80


def _display_paths(paths: list[str]) -> tuple[list[str], str | None]:
    """Paths relative to the working folder when all lie inside it; else relative to their common
    folder, which is returned too (for the title)."""
    if not paths:
        return [], None
    resolved = [Path(p).resolve() for p in paths]
    cwd = Path.cwd().resolve()
    if all(r.is_relative_to(cwd) for r in resolved):
        return [r.relative_to(cwd).as_posix() for r in resolved], None
    base = Path(os.path.commonpath([r.parent for r in resolved]))
    return [r.relative_to(base).as_posix() for r in resolved], str(base)


def report_severities(report: dict[str, Any]) -> list[Severity]:
    """Severities of the findings in a report's JSON dict (unknown values are skipped)."""
    out = []
    for f in report.get("findings", []):
        try:
            out.append(Severity(f.get("severity")))
        except ValueError:
            continue
    return out


def _counts_cell(counts: Counter[Severity], lang: str) -> Text:
    """Findings by severity, most severe first, zeros left out: ``高 1 · 中 3``."""
    cell = Text()
    for sev in SEVERITIES_DESC:
        if counts[sev]:
            if cell:
                cell.append(" · ")
            cell.append(f"{label(sev.value + '_short', lang)} {counts[sev]}", style=SEVERITY_STYLE[sev])
    return cell or Text("0", style="dim")


def batch_summary(items: Iterable[BatchItem], *, lang: str = "zh") -> RenderableType:
    """One row per input: file, package, version, verdict, findings by severity, time or error."""
    items = list(items)
    names, base = _display_paths([i.path for i in items])
    title = label("summary", lang) + (f" ({base})" if base else "")
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", expand=True)
    table.add_column(label("file", lang), overflow="fold", ratio=2)
    table.add_column(label("package", lang) + " / " + label("error", lang), overflow="fold", ratio=1)
    table.add_column(label("version", lang), no_wrap=True)
    table.add_column(label("verdict", lang), no_wrap=True)
    table.add_column(label("findings", lang), ratio=1)
    table.add_column(label("time", lang), justify="right", no_wrap=True)
    failed = 0
    for item, name in zip(items, names, strict=True):
        time_cell = f"{item.seconds:.1f}s"
        if item.report is None:
            failed += 1
            err = item.error
            message = f"{err.kind}: {err.message}" if err else ""
            if len(message) > MAX_ERROR_CHARS:  # in full on stderr and in the JSONL
                message = message[: MAX_ERROR_CHARS - 1] + "…"
            error = Text(label("error", lang), style="bold red")
            table.add_row(Text(name), Text(message, style="red"), "-", error, "-", time_cell)
            continue
        facts = item.report.get("facts", {})
        version = version_text(facts.get("version_name"), facts.get("version_code"))
        counts = Counter(report_severities(item.report))
        status = item.report.get("verdict", {}).get("status", "-")
        table.add_row(
            Text(name),
            Text(str(facts.get("package", "-"))),
            Text(version),
            verdict_text(status, lang),
            _counts_cell(counts, lang),
            time_cell,
        )
    total = Text(label("scanned_count", lang, total=len(items), ok=len(items) - failed, failed=failed))
    return Group(table, total)


def rules_table(rules: Iterable[Rule], *, lang: str = "zh") -> RenderableType:
    """Every rule: ID, severity, title, legal basis (and status when not stable)."""
    table = Table(title=label("rules", lang), box=box.SIMPLE_HEAD, title_justify="left", show_lines=False)
    table.add_column(label("rule_id", lang), no_wrap=True)
    table.add_column(label("severity", lang), no_wrap=True)
    table.add_column(label("title_col", lang), ratio=3)
    table.add_column(label("legal_basis", lang), ratio=2)
    for rule in sorted(rules, key=lambda r: r.id):
        title = Text(rule.title.get(lang))
        if rule.status != "stable":
            title.append(f" [{rule.status}]", style="dim")
        basis = "; ".join(f"{b.law} {b.article}" for b in rule.legal_basis) or "-"
        table.add_row(Text(rule.id), severity_text(rule.severity, lang), title, Text(basis))
    return table
