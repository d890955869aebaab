"""The ``text`` format: a readable terminal report, Chinese by default, English with ``lang="en"``.

:func:`renderables` builds rich renderables (the CLI prints them straight to a terminal, in colour);
:meth:`TextFormatter.render` captures the same renderables as plain text. Large reports stay
readable: call sites are grouped by PI type, identical (api, caller) pairs are counted once, and
only the first ``max_sites`` rows of a group are shown (the JSON output has every call site).
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from hegui import knowledge
from hegui.checks.model import Evidence, Finding, Severity
from hegui.errors import KnowledgeError
from hegui.facts.model import CallSite, Facts
from hegui.report.descriptors import pretty_member, split_member
from hegui.report.labels import label
from hegui.report.model import Report
from hegui.report.policy_section import policy_section
from hegui.report.sdk_section import sdk_section, startup_section

DEFAULT_WIDTH = 120
MAX_SITES_PER_PI = 10
MAX_EVIDENCE = 3

SEVERITY_STYLE = {
    Severity.critical: "bold white on red",
    Severity.high: "bold red",
    Severity.medium: "yellow",
    Severity.low: "cyan",
    Severity.info: "dim",
}
VERDICT_STYLE = {"pass": "bold green", "fail": "bold red", "needs-review": "bold yellow"}


def severity_text(sev: Severity, lang: str) -> Text:
    return Text(label(sev.value, lang), style=SEVERITY_STYLE[sev])


def verdict_text(status: str, lang: str) -> Text:
    return Text(label(status, lang), style=VERDICT_STYLE.get(status, "bold"))


def version_text(name: object, code: object) -> str:
    """``1.2.3 (123)``; ``-`` for a missing name, no parentheses for a missing code."""
    return f"{name or '-'}" + (f" ({code})" if code is not None else "")


def _pi_types() -> dict[str, Any]:
    try:
        return knowledge.pi_types()
    except KnowledgeError:  # a broken install must not stop the report; ids are shown instead
        return {}


def _permissions() -> dict[str, Any]:
    try:
        return knowledge.permissions()
    except KnowledgeError:
        return {}


def _heading(key: str, lang: str, count: int | None = None) -> Rule:
    title = label(key, lang) + (f" ({count})" if count is not None else "")
    return Rule(Text(title, style="bold"), align="left", style="dim")


# -- header ---------------------------------------------------------------------------------------


def _signer_lines(facts: Facts, lang: str) -> Text:
    if not facts.certificates:
        return Text(label("unsigned", lang), style="red")
    out = Text()
    for i, cert in enumerate(facts.certificates):
        if i:
            out.append("\n")
        out.append(cert.subject)
        out.append(f"  sha256 {cert.sha256[:16]}…", style="dim")
        schemes = cert.schemes or facts.signing_schemes
        if schemes:
            out.append(f"  {'+'.join(schemes)}")
        if cert.debug:
            out.append(f"  [{label('debug_cert', lang)}]", style="bold red")
    return out


def _header(report: Report, lang: str) -> RenderableType:
    f = report.facts
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    version = version_text(f.version_name, f.version_code)
    dash = "-"
    rows: list[tuple[str, Text]] = [
        ("file", Text(f.file_name)),
        ("package", Text(f.package)),
        ("version", Text(version)),
        ("sdk", Text(label("sdk_value", lang, min=f.min_sdk or dash, target=f.target_sdk or dash))),
        ("signer", _signer_lines(f, lang)),
        ("sha256", Text(f.sha256)),
        ("size", Text(f"{f.file_size:,} B")),
        ("scanned", Text(f"{report.scanned_at}  ({report.duration_ms / 1000:.1f} s)")),
        ("tool", Text(f"{report.tool.name} {report.tool.version}")),
    ]
    for key, value in rows:
        grid.add_row(label(key, lang), value)
    return Group(Rule(Text(label("title", lang), style="bold")), grid)


def _verdict(report: Report, lang: str) -> RenderableType:
    line = Text(f"{label('verdict', lang)}: ", style="bold")
    line.append_text(verdict_text(report.verdict.status, lang))
    reasons = Text()
    counts = Counter(r.get(lang) for r in report.verdict.reasons)  # one line per distinct reason
    for i, (reason, n) in enumerate(counts.items()):
        if i:
            reasons.append("\n")
        reasons.append(f"• {reason}" + (f" (×{n})" if n > 1 else ""))
    return Group(Text(""), line, Padding(reasons, (0, 0, 0, 2)))


# -- permissions ----------------------------------------------------------------------------------


def _permissions_table(facts: Facts, lang: str) -> RenderableType:
    if not facts.permissions:
        return Group(_heading("permissions", lang, 0), Text(label("no_permissions", lang)))
    info = _permissions()
    used = {p for site in facts.call_sites for p in site.permissions}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for key in ("perm_name", "perm_label", "dangerous", "used"):
        table.add_column(label(key, lang))

    def sort_key(name: str) -> tuple[int, str]:
        p = info.get(name)
        return (0 if p is not None and p.dangerous else 1, name)

    for name in sorted(facts.permissions, key=sort_key):
        p = info.get(name)
        if p is None:
            desc, dangerous = Text("-", style="dim"), Text(label("unknown", lang), style="dim")
        else:
            desc = Text(p.description.en if lang == "en" else (p.name_zh or p.description.zh))
            dangerous = Text(label("yes", lang), style="bold red") if p.dangerous else Text(label("no", lang))
        is_used = Text(label("yes", lang), style="bold") if name in used else Text(label("no", lang))
        table.add_row(Text(name), desc, dangerous, is_used)
    return Group(_heading("permissions", lang, len(facts.permissions)), table)


# -- personal information -------------------------------------------------------------------------


def _site_rows(sites: Iterable[CallSite]) -> list[tuple[str, str, str, int]]:
    """(api, caller, owner, count), identical triples merged, the app's own code first."""
    counts = Counter((s.api, s.caller, s.owner) for s in sites)
    rows = [(api, caller, owner, n) for (api, caller, owner), n in counts.items()]
    rows.sort(key=lambda r: (r[2] != "app", r[2], r[0], r[1]))
    return rows


def _api_text(site_api: str, kinds: dict[str, str]) -> Text:
    if kinds.get(site_api) == "string":
        return Text(repr(site_api))
    return Text(pretty_member(site_api, short=True))


def _pi_section(facts: Facts, lang: str, max_sites: int) -> RenderableType:
    if not facts.call_sites:
        return Group(_heading("pi", lang, 0), Text(label("no_pi", lang)))
    names = _pi_types()
    groups: dict[str, list[CallSite]] = defaultdict(list)
    for site in facts.call_sites:
        groups[site.pi_type].append(site)
    kinds = {s.api: s.kind for s in facts.call_sites}

    def group_key(pi: str) -> tuple[int, int, str]:
        t = names.get(pi)
        return (0 if t is not None and t.sensitive else 1, -len(groups[pi]), pi)

    parts: list[RenderableType] = [_heading("pi", lang, len(facts.call_sites))]
    for pi in sorted(groups, key=group_key):
        sites = groups[pi]
        t = names.get(pi)
        name = (
            pi if t is None else label("pi_name", lang, name=t.name.en if lang == "en" else t.name.zh, id=pi)
        )
        callers = len({s.caller for s in sites})
        title = Text(label("pi_group", lang, name=name, sites=len(sites), callers=callers), style="bold")
        if t is not None and t.sensitive:
            title.append(f"  [{label('sensitive_pi', lang)}]", style="bold magenta")
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column(label("api", lang), ratio=3, overflow="fold")
        table.add_column(label("caller_class", lang), ratio=3, overflow="fold")
        table.add_column(label("caller_method", lang), ratio=2, overflow="fold")
        table.add_column(label("owner", lang), ratio=1, overflow="fold")
        table.add_column(label("count", lang), justify="right", no_wrap=True)
        rows = _site_rows(sites)
        for api, caller, owner, n in rows[:max_sites]:
            klass, method = split_member(caller)
            table.add_row(_api_text(api, kinds), Text(klass), Text(method), Text(owner), str(n))
        parts += [Text(""), title, table]
        rest = sum(r[3] for r in rows[max_sites:])
        if rest:
            parts.append(Text(label("more", lang, n=rest), style="italic dim"))
    return Group(*parts)


# -- findings -------------------------------------------------------------------------------------


def evidence_summary(ev: Evidence) -> str:
    """One line saying where a finding was seen."""
    parts: list[str] = []
    if ev.file and not (ev.api or ev.caller):
        parts.append(ev.file)
    if ev.element:
        parts.append(ev.element)
    if ev.api:
        parts.append(pretty_member(ev.api, short=True) if ev.kind != "network" else ev.api)
    if ev.caller:
        parts.append("← " + pretty_member(ev.caller))
    if ev.value:
        parts.append(f"= {ev.value}" if ev.element else ev.value)
    if ev.owner:
        parts.append(f"({ev.owner})")
    return " ".join(parts) or ev.kind


def _issue_cell(f: Finding, lang: str) -> Text:
    """Title, what was found, and (dim) owner, confidence below high, and non-automatic judgement."""
    cell = Text(f.title.get(lang), style="bold")
    message = f.message.get(lang)
    if message and message != f.title.get(lang):
        cell.append("\n" + message, style="none")
    extra = []
    if f.owner:
        extra.append(f"{label('owner', lang)}: {f.owner}")
    if f.confidence != "high":
        extra.append(f"{label('confidence', lang)}: {label(f.confidence, lang)}")
    if f.judgement != "auto":
        extra.append(label("judgement_" + f.judgement, lang))
    if extra:
        cell.append("\n" + " · ".join(extra), style="dim")
    return cell


def _evidence_cell(f: Finding, lang: str) -> Text:
    lines = ("• " + evidence_summary(e).replace(" ← ", "\n  ← ") for e in f.evidence[:MAX_EVIDENCE])
    cell = Text("\n".join(lines))
    if len(f.evidence) > MAX_EVIDENCE:
        cell.append("\n" + label("evidence_more", lang, n=len(f.evidence) - MAX_EVIDENCE), style="dim")
    return cell


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = Counter(f.severity for f in findings)
    return {s: counts.get(s, 0) for s in sorted(Severity, key=lambda s: -s.rank)}


def _findings_table(report: Report, lang: str) -> RenderableType:
    if not report.findings:
        return Group(_heading("findings", lang, 0), Text(label("no_findings", lang)))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_lines=True, expand=True)
    table.add_column(label("severity", lang), no_wrap=True)
    table.add_column(label("rule_id", lang), no_wrap=True)
    table.add_column(label("finding_title", lang), ratio=2, overflow="fold")
    table.add_column(label("evidence", lang), ratio=4, overflow="fold")
    table.add_column(label("advice", lang), ratio=2, overflow="fold")
    previous: Finding | None = None
    for f in sorted(report.findings, key=lambda f: (-f.severity.rank, f.rule_id)):
        same = previous is not None and previous.rule_id == f.rule_id and previous.advice == f.advice
        advice = Text(label("same_advice", lang), style="dim") if same else Text(f.advice.get(lang))
        table.add_row(
            severity_text(f.severity, lang),
            Text(f.rule_id),
            _issue_cell(f, lang),
            _evidence_cell(f, lang),
            advice,
        )
        previous = f
    totals = Text(f"{label('totals', lang)}: ")
    for i, (sev, n) in enumerate(severity_counts(report.findings).items()):
        if i:
            totals.append(" · ")
        totals.append(f"{label(sev.value, lang)} {n}", style=SEVERITY_STYLE[sev] if n else "dim")
    return Group(_heading("findings", lang, len(report.findings)), table, totals)


def _notes_table(facts: Facts, lang: str) -> RenderableType | None:
    if not facts.notes:
        return None
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(label("note_code", lang), no_wrap=True)
    table.add_column(label("note_message", lang))
    table.add_column(label("file", lang))
    for n in facts.notes:
        table.add_row(Text(n.code), Text(n.message), Text(n.file or "-"))
    return Group(_heading("notes", lang, len(facts.notes)), table)


# -- public ---------------------------------------------------------------------------------------


def renderables(
    report: Report, *, lang: str = "zh", max_sites: int = MAX_SITES_PER_PI
) -> list[RenderableType]:
    """The report as rich renderables, in reading order."""
    parts: list[RenderableType | None] = [
        _header(report, lang),
        _verdict(report, lang),
        Text(""),
        _findings_table(report, lang),
        Text(""),
        _permissions_table(report.facts, lang),
        Text(""),
        _pi_section(report.facts, lang, max_sites),
        Text(""),
        sdk_section(report.facts, lang, _heading),
        Text(""),
        startup_section(report.facts, lang, _heading),
        Text(""),
        policy_section(report.facts, lang),
        Text(""),
        _notes_table(report.facts, lang),
    ]
    return [p for p in parts if p is not None]


def plain_console(width: int = DEFAULT_WIDTH) -> tuple[Console, io.StringIO]:
    """A console that renders into a string, without colour codes."""
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    return console, buf


def capture(parts: Iterable[RenderableType], *, width: int = DEFAULT_WIDTH) -> str:
    console, buf = plain_console(width)
    for part in parts:
        console.print(part)
    return "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())


class TextFormatter:
    name = "text"
    description = "Readable report for a terminal (Chinese by default, --lang en for English)"

    def render(self, report: Report, *, lang: str = "zh", width: int = DEFAULT_WIDTH) -> str:
        return capture(renderables(report, lang=lang), width=width)

    def renderables(self, report: Report, *, lang: str = "zh") -> list[RenderableType]:
        return renderables(report, lang=lang)


text_formatter = TextFormatter()
