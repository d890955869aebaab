"""Output formats. A formatter has a ``name`` and ``render(report, *, lang="zh") -> str | bytes``; it
never prints.

``render`` returns ``str`` for text formats (text, json, sarif, html, dual-list-md, dual-list-html)
and ``bytes`` where the encoding is part of the format: ``pdf`` and ``dual-list-csv`` (UTF-8 with a
BOM, for Excel). Callers write ``bytes`` as they are and encode ``str`` as UTF-8. Built-in
formatters also carry ``description``, ``media_type`` and ``suffix`` (e.g. ``".sarif"``); these
are optional for plug-ins, so read them with ``getattr``.

Built-in formatters are listed in :data:`FORMATTERS`. Third-party formatters register an object (or
a class with a no-argument constructor) under the ``hegui.formatters`` entry-point group, keyed by
the format name::

    [project.entry-points."hegui.formatters"]
    csv = "hegui_csv:formatter"

They are loaded on first use by :func:`available_formatters`; one that fails to import or lacks
``render`` is skipped and listed by :func:`plugin_problems`, never breaking the built-in ones.
"""

from __future__ import annotations

import functools
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from hegui.errors import FormatterError
from hegui.report.dual_list_render import (
    dual_list_csv_formatter,
    dual_list_html_formatter,
    dual_list_md_formatter,
)
from hegui.report.html import html_formatter
from hegui.report.json import json_formatter
from hegui.report.model import Report
from hegui.report.pdf import pdf_formatter
from hegui.report.sarif import sarif_formatter
from hegui.report.text import text_formatter

ENTRY_POINT_GROUP = "hegui.formatters"


@runtime_checkable
class Formatter(Protocol):
    name: str

    def render(self, report: Report, *, lang: str = "zh") -> str | bytes: ...


FORMATTERS: dict[str, Formatter] = {
    f.name: f
    for f in (
        text_formatter,
        json_formatter,
        sarif_formatter,
        html_formatter,
        pdf_formatter,
        dual_list_md_formatter,
        dual_list_html_formatter,
        dual_list_csv_formatter,
    )
}


@functools.cache
def _plugins() -> tuple[dict[str, Formatter], tuple[str, ...]]:
    found: dict[str, Formatter] = {}
    problems: list[str] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        where = f"formatter plugin {ep.name!r} ({ep.value})"
        if ep.name in FORMATTERS or ep.name in found:
            problems.append(f"{where}: the name is already taken; skipped")
            continue
        try:
            obj = ep.load()
            if isinstance(obj, type):
                obj = obj()
        except Exception as exc:  # a broken plugin must not break hegui
            problems.append(f"{where}: cannot be loaded: {type(exc).__name__}: {exc}")
            continue
        if not callable(getattr(obj, "render", None)):
            problems.append(f"{where}: has no render(report, *, lang) method; skipped")
            continue
        found[ep.name] = obj
    return found, tuple(problems)


def available_formatters() -> dict[str, Formatter]:
    """Built-in formatters, then third-party ones (loaded once, lazily)."""
    return {**FORMATTERS, **_plugins()[0]}


def plugin_problems() -> tuple[str, ...]:
    """Why any third-party formatter was skipped (empty when all loaded)."""
    return _plugins()[1]


def get_formatter(name: str) -> Formatter:
    """The formatter called ``name``; :class:`FormatterError` naming the choices if there is none."""
    if name in FORMATTERS:
        return FORMATTERS[name]
    formatters = available_formatters()
    if name not in formatters:
        choices = ", ".join(formatters)
        raise FormatterError(f"unknown output format {name!r}; choose one of: {choices}")
    return formatters[name]


__all__ = [
    "ENTRY_POINT_GROUP",
    "FORMATTERS",
    "Formatter",
    "Report",
    "available_formatters",
    "get_formatter",
    "plugin_problems",
]
