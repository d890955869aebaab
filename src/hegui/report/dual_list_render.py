"""The 双清单 formatters: ``dual-list-md``, ``dual-list-html`` and ``dual-list-csv``.

They lay out the rows of :func:`hegui.report.dual_list.dual_list_rows` and the cell texts of
``collected_cells`` / ``shared_cells``, escaping each cell for its format (:func:`md_cell`,
:func:`csv_cell`; the HTML template is autoescaped).
"""

from __future__ import annotations

import csv
import io

from hegui.report.dual_list import (
    COLLECTED_COLUMNS,
    SHARED_COLUMNS,
    DualList,
    collected_cells,
    dual_list_rows,
    shared_cells,
)
from hegui.report.dual_list_labels import dl_label
from hegui.report.html import render_template
from hegui.report.model import Report

# -- Markdown -------------------------------------------------------------------------------------

_MD_ESCAPE = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "#": "\\#",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "\r": " ",
        "\n": " ",
    }
)


def md_cell(text: str) -> str:
    """Text safe in a Markdown table cell: no table breaks, no inline HTML, no links or emphasis."""
    return text.translate(_MD_ESCAPE)


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(md_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return out


def render_markdown(dl: DualList, lang: str = "zh") -> str:
    lines = [
        f"# {md_cell(dl_label('title', lang))}",
        "",
        f"> **{md_cell(dl_label('draft', lang))}**",
        "",
        md_cell(dl_label("app_line", lang, name=dl.app_name, package=dl.package, version=dl.version)),
        f"SHA-256 {dl.sha256} · {md_cell(dl.scanned_at)} · hegui {md_cell(dl.tool_version)}",
        "",
        f"## {md_cell(dl_label('collected', lang))}",
        "",
    ]
    if dl.collected:
        rows = [[collected_cells(r, lang)[c] for c in COLLECTED_COLUMNS] for r in dl.collected]
        lines += _md_table([dl_label(c, lang) for c in COLLECTED_COLUMNS], rows)
    else:
        lines.append(md_cell(dl_label("none_collected", lang)))
    lines += ["", f"## {md_cell(dl_label('shared', lang))}", ""]
    if dl.shared:
        rows = [[shared_cells(r, lang)[c] for c in SHARED_COLUMNS] for r in dl.shared]
        lines += _md_table([dl_label(c, lang) for c in SHARED_COLUMNS], rows)
    else:
        lines.append(md_cell(dl_label("none_shared", lang)))
    return "\n".join(lines) + "\n"


# -- CSV ------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "list",
    "pi_type",
    "purpose",
    "scenario",
    "owner",
    "evidence",
    "sdk",
    "vendor",
    "category",
    "pi",
    "method",
    "policy",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A cell a spreadsheet will not run: a leading = + - @ (or tab, CR) gets an apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(dl: DualList, lang: str = "zh") -> bytes:
    """One UTF-8 CSV with a BOM (so Excel opens Chinese correctly): a draft-notice line, the header,
    then the collected rows and the shared rows, told apart by the ``list`` column."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([csv_cell(dl_label("draft", lang))])
    w.writerow([csv_cell(dl_label(c, lang) if c != "list" else "list") for c in CSV_COLUMNS])
    for r in dl.collected:
        cells = {"list": "collected", **collected_cells(r, lang)}
        w.writerow([csv_cell(cells.get(c, "")) for c in CSV_COLUMNS])
    for s in dl.shared:
        cells = {"list": "shared", **shared_cells(s, lang)}
        w.writerow([csv_cell(cells.get(c, "")) for c in CSV_COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# -- formatters -----------------------------------------------------------------------------------


class DualListMarkdown:
    name = "dual-list-md"
    description = "Draft 双清单 (PI collected / shared with third parties) as Markdown"
    media_type = "text/markdown; charset=utf-8"
    suffix = ".md"

    def render(self, report: Report, *, lang: str = "zh") -> str:
        return render_markdown(dual_list_rows(report), lang)


class DualListHtml:
    name = "dual-list-html"
    description = "Draft 双清单 as a self-contained HTML page"
    media_type = "text/html; charset=utf-8"
    suffix = ".html"

    def render(self, report: Report, *, lang: str = "zh") -> str:
        return render_template("dual_list.html.j2", lang=lang, dlist=dual_list_rows(report))


class DualListCsv:
    name = "dual-list-csv"
    description = "Draft 双清单 as one CSV (UTF-8 with BOM, for Excel), a 'list' column per row"
    media_type = "text/csv; charset=utf-8"
    suffix = ".csv"

    def render(self, report: Report, *, lang: str = "zh") -> bytes:
        return render_csv(dual_list_rows(report), lang)


dual_list_md_formatter = DualListMarkdown()
dual_list_html_formatter = DualListHtml()
dual_list_csv_formatter = DualListCsv()
