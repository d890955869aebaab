"""``hegui sdks``: the SDK catalogue, filtered, or its statistics."""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from hegui.knowledge import sdks as catalogue


def sdks(
    category: Annotated[
        str | None, typer.Option("--category", help="Only this category, e.g. push, ads.")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only this vendor country, e.g. CN.")
    ] = None,
    stats: Annotated[
        bool, typer.Option("--stats", help="Counts by category and country instead of the list.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON instead of a table.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "zh",
) -> None:
    """List the third-party SDK catalogue (names, vendors, categories, what each collects)."""
    entries = [
        s
        for s in catalogue().values()
        if (category is None or s.category == category) and (country is None or s.country == country.upper())
    ]
    console = Console(soft_wrap=False)
    if stats:
        total = len(entries)
        cn = sum(1 for s in entries if s.chinese)
        by_cat = Counter(s.category for s in entries)
        by_country = Counter(s.country for s in entries)
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "total": total,
                        "chinese": cn,
                        "by_category": dict(by_cat.most_common()),
                        "by_country": dict(by_country.most_common()),
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        zh = lang != "en"
        console.print(
            f"{'SDK 总数' if zh else 'SDKs'}: {total}    "
            f"{'中国厂商' if zh else 'Chinese vendors'}: {cn} ({cn / total:.0%})"
            if total
            else "0"
        )
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column("类别" if zh else "Category")
        table.add_column("数量" if zh else "SDKs", justify="right")
        for cat, n in by_cat.most_common():
            table.add_row(cat, str(n))
        console.print(table)
        console.print(", ".join(f"{c} {n}" for c, n in by_country.most_common()))
        return
    if as_json:
        typer.echo(json.dumps([s.model_dump(mode="json") for s in entries], ensure_ascii=False, indent=2))
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for col in ("id", "name", "vendor", "category", "country", "code", "collects"):
        table.add_column(col)
    for s in sorted(entries, key=lambda s: (s.category, s.id)):
        name = s.name.en if lang == "en" else s.name.zh
        vendor = s.vendor.en if lang == "en" else s.vendor.zh
        table.add_row(
            s.id, name, vendor, s.category, s.country, ", ".join(s.code[:2]), ", ".join(s.collects[:4])
        )
    console.print(table)
