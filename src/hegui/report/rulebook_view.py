"""Terminal views of the rules and the legal rulebook: ``hegui rules --explain/--stats/--items/--app-types``."""

from __future__ import annotations

from collections import Counter

from rich import box
from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from hegui.checks.legal import INSTRUMENTS
from hegui.checks.registry import get_check
from hegui.knowledge.rulebook import app_types, rulebook
from hegui.report.labels import label
from hegui.report.text import severity_text

JUDGEMENTS = ("auto", "assisted", "manual")
_JUDGEMENT_ZH = {"auto": "自动", "assisted": "辅助（人工确认）", "manual": "人工"}


def _judgement(j: str, lang: str) -> str:
    return j if lang == "en" else _JUDGEMENT_ZH.get(j, j)


def explain(rule_id: str, *, lang: str = "zh") -> list[RenderableType]:
    """One rule's reference page: metadata, legal basis with the rulebook items it implements, the doc."""
    check = get_check(rule_id)
    r = check.rule
    head = Text()
    head.append(f"{r.id}  {r.title.get(lang)}\n", style="bold")
    head.append(f"{label('severity', lang)}: ").append_text(severity_text(r.severity, lang))
    head.append(f"   {'判定方式' if lang != 'en' else 'Judgement'}: {_judgement(r.judgement, lang)}")
    head.append(f"   {'置信度' if lang != 'en' else 'Confidence'}: {r.confidence}")
    if r.status != "stable":
        head.append(f"   [{r.status}]", style="yellow")
    parts: list[RenderableType] = [head, Text(r.description.get(lang))]
    basis = Table(box=box.SIMPLE, show_header=True, title="法律依据" if lang != "en" else "Legal basis", title_justify="left")
    for col in ("依据" if lang != "en" else "Instrument", "条款" if lang != "en" else "Article", ""):
        basis.add_column(col)
    for b in r.legal_basis:
        basis.add_row(b.law, b.article, b.note or "")
    parts.append(basis)
    laws = sorted({b.law for b in r.legal_basis})
    parts.append(Text("\n".join(f"{law}: {INSTRUMENTS.get(law, law)}" for law in laws), style="dim"))
    items = rulebook().items_for_rule(r.id)
    if items:
        t = Table(box=box.SIMPLE, title="实现的规则手册条目" if lang != "en" else "Rulebook items it serves", title_justify="left")
        for col in ("ID", "条款" if lang != "en" else "Article", "要求" if lang != "en" else "Requirement"):
            t.add_column(col)
        for it in items:
            t.add_row(it.id, f"{it.law} {it.article}", it.text.get(lang))
        parts.append(t)
    parts.append(Text(("建议：" if lang != "en" else "Advice: ") + r.advice.get(lang)))
    if check.doc:
        parts.append(Markdown(check.doc))
    return [Group(*parts)]


def stats_tables(*, lang: str = "zh") -> list[RenderableType]:
    """Rulebook items per source and per judgement class, then rules per family and judgement."""
    book = rulebook()
    t = Table(box=box.SIMPLE_HEAD, title="规则手册条目" if lang != "en" else "Rulebook items", title_justify="left")
    t.add_column("来源" if lang != "en" else "Source")
    for j in JUDGEMENTS:
        t.add_column(_judgement(j, lang), justify="right")
    t.add_column("合计" if lang != "en" else "Total", justify="right")
    totals: Counter[str] = Counter()
    for source in book.sources:
        counts = Counter(it.judgement for it in book.items if it.source == source.id)
        totals.update(counts)
        t.add_row(source.law, *(str(counts[j]) for j in JUDGEMENTS), str(sum(counts.values())))
    t.add_row(Text("合计" if lang != "en" else "Total", style="bold"), *(str(totals[j]) for j in JUDGEMENTS), str(sum(totals.values())))
    from hegui.checks.registry import all_rules

    rules = [r for r in all_rules() if r.status != "removed"]
    r_table = Table(box=box.SIMPLE_HEAD, title="检测规则" if lang != "en" else "Rules", title_justify="left")
    r_table.add_column("类别" if lang != "en" else "Family")
    for j in JUDGEMENTS:
        r_table.add_column(_judgement(j, lang), justify="right")
    for fam in sorted({r.family for r in rules}):
        c = Counter(r.judgement for r in rules if r.family == fam)
        r_table.add_row(fam, *(str(c[j]) for j in JUDGEMENTS))
    types = Text(f"{'App 类型' if lang != 'en' else 'App types'}: {len(app_types())}")
    return [t, r_table, types]


def items_table(*, lang: str = "zh") -> RenderableType:
    t = Table(box=box.SIMPLE_HEAD, title="规则手册" if lang != "en" else "Rulebook", title_justify="left")
    for col in ("ID", "条款" if lang != "en" else "Article", "要求" if lang != "en" else "Requirement", "判定" if lang != "en" else "Judged", "规则" if lang != "en" else "Rules"):
        t.add_column(col)
    for it in rulebook().items:
        t.add_row(it.id, f"{it.law} {it.article}", it.text.get(lang), _judgement(it.judgement, lang), ", ".join(it.rules))
    return t


def app_types_table(*, lang: str = "zh") -> RenderableType:
    t = Table(box=box.SIMPLE_HEAD, title="App 类型及必要个人信息" if lang != "en" else "App types and their necessary PI", title_justify="left")
    for col in ("--app-type", "类型" if lang != "en" else "Type", "必要个人信息" if lang != "en" else "Necessary PI", "PI types"):
        t.add_column(col)
    for a in app_types():
        necessary = "、".join(a.necessary_pi) if a.necessary_pi else ("无须个人信息" if lang != "en" else "none")
        t.add_row(a.id, a.name.get(lang), necessary, ", ".join(a.pi_types) or "-")
    return t
