"""``hegui rules``: the rule list, one rule's reference page, and the legal rulebook behind them."""

from __future__ import annotations

from typing import Annotated

import typer

from hegui.cli.options import Lang


def rules(
    lang: Annotated[Lang, typer.Option("--lang", help="Language of titles.")] = Lang.zh,
    explain: Annotated[
        str | None, typer.Option("--explain", metavar="ID", help="Show one rule's reference page.")
    ] = None,
    stats: Annotated[
        bool, typer.Option("--stats", help="Count rulebook items per source and per judgement (auto/assisted/manual).")
    ] = False,
    items: Annotated[
        bool, typer.Option("--items", help="List every rulebook item: source, article, judgement, rules.")
    ] = False,
    app_types: Annotated[
        bool, typer.Option("--app-types", help="List the 39 app types and the PI each one needs.")
    ] = False,
) -> None:
    """List every rule: ID, severity, title and legal basis (or --explain ID, --stats, --items, --app-types)."""
    from hegui.cli import main as cli

    with cli._errors_as_lines(explain or "rules"):
        if explain or stats or items or app_types:
            from hegui.report import rulebook_view as view
        if explain:
            parts = view.explain(explain, lang=lang.value)
        elif stats:
            parts = view.stats_tables(lang=lang.value)
        elif items:
            parts = [view.items_table(lang=lang.value)]
        elif app_types:
            parts = [view.app_types_table(lang=lang.value)]
        else:
            from hegui.report.tables import rules_table

            parts = [rules_table(cli.load_rules(), lang=lang.value)]
        cli._show(parts)
