"""The ``json`` format: the report as one JSON document (docs/json-output.md, docs/schema/).

Keys come in the order the models declare them (stable across runs), fields that are ``None`` are
left out, non-ASCII text (Chinese) is written as is.
"""

from __future__ import annotations

import json
from typing import Any

from hegui.report.model import Report


def report_dict(report: Report) -> dict[str, Any]:
    """The JSON-ready dict of a report: what ``--format json`` writes and batch lines embed."""
    return report.model_dump(mode="json", exclude_none=True)


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """JSON text as hegui writes it: UTF-8 characters kept, ``indent=None`` for one line."""
    if indent is None:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(obj, ensure_ascii=False, indent=indent)


class JsonFormatter:
    name = "json"
    description = "The full report as JSON (schema: docs/schema/report.schema.json)"

    def render(self, report: Report, *, lang: str = "zh") -> str:  # lang: the JSON carries both
        return dumps(report_dict(report)) + "\n"


json_formatter = JsonFormatter()
