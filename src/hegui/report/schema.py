"""JSON Schemas (Draft 2020-12) of what hegui writes, generated from the pydantic models.

``scripts/gen_schema.py`` writes them to ``docs/schema/``; a test checks the committed files equal
what this module generates, so the schema can never drift from the models.

The JSON is written with ``exclude_none=True``: a field that is ``None`` is absent, never
``null``, and a field with any other default is always written. The generated schema says exactly
that (see :func:`_absent_not_null` and :class:`_WrittenFields`).
"""

from __future__ import annotations

import copy
import re
from typing import Any, Literal

from pydantic.json_schema import GenerateJsonSchema

from hegui.checks.model import Frozen
from hegui.report.model import REPORT_SCHEMA_VERSION, Report

DRAFT = "https://json-schema.org/draft/2020-12/schema"
REPORT_SCHEMA_ID = "urn:hegui:schema:report:{major}"
BATCH_LINE_SCHEMA_ID = "urn:hegui:schema:batch-line:{major}"
SCHEMA_FILES = {"report": "report.schema.json", "batch-line": "batch-line.schema.json"}


class BatchError(Frozen):
    """Why one input of a batch could not be analysed."""

    kind: str  # ApkError kinds (corrupt, not_apk, zip_bomb, ...), or timeout, crash, internal
    message: str


class BatchLine(Frozen):
    """One line of a batch JSON Lines file: the report of one APK, or why there is none."""

    path: str
    status: Literal["ok", "error"]
    sha256: str | None = None
    seconds: float
    report: Report | None = None
    error: BatchError | None = None


def _major() -> str:
    return REPORT_SCHEMA_VERSION.split(".", 1)[0]


def _is_null(s: Any) -> bool:
    return isinstance(s, dict) and s.get("type") == "null"


def _absent_not_null(node: Any) -> None:
    """In place: a property that may be ``None`` becomes optional and non-null (exclude_none)."""
    if isinstance(node, list):
        for item in node:
            _absent_not_null(item)
        return
    if not isinstance(node, dict):
        return
    props = node.get("properties")
    if isinstance(props, dict):
        required = node.get("required", [])
        for name, prop in props.items():
            variants = prop.get("anyOf") if isinstance(prop, dict) else None
            if not variants or not any(_is_null(v) for v in variants):
                continue
            rest = [v for v in variants if not _is_null(v)]
            del prop["anyOf"]
            if prop.get("default", ...) is None:
                del prop["default"]
            if len(rest) == 1:
                prop.update(rest[0])
            else:
                prop["anyOf"] = rest
            if name in required:
                required.remove(name)
        if "required" in node and not required:
            del node["required"]
    for value in node.values():
        _absent_not_null(value)


class _WrittenFields(GenerateJsonSchema):
    """Serialization schema where a field is required exactly when hegui always writes it:
    it has no default, or a default other than ``None`` (``[]``, ``"app"``, ``False``...)."""

    def field_is_required(self, field: Any, total: bool) -> bool:
        inner = field.get("schema", {})
        if (
            self.mode == "serialization"
            and field.get("type") != "typed-dict-field"
            and inner.get("type") == "default"
        ):
            return "default_factory" in inner or inner.get("default") is not None
        return super().field_is_required(field, total)


def _finish(raw: dict[str, Any], *, schema_id: str, title: str, description: str) -> dict[str, Any]:
    body = copy.deepcopy(raw)
    _absent_not_null(body)
    body.pop("title", None)
    body.pop("description", None)
    return {
        "$schema": DRAFT,
        "$id": schema_id,
        "title": title,
        "description": description,
        "schema_version": REPORT_SCHEMA_VERSION,
        **body,
    }


def _pin_version(props: dict[str, Any]) -> None:
    props["schema_version"]["pattern"] = f"^{re.escape(_major())}\\.[0-9]+$"


def report_schema() -> dict[str, Any]:
    """The schema of one report (``hegui scan --format json`` on one APK)."""
    schema = _finish(
        Report.model_json_schema(mode="serialization", schema_generator=_WrittenFields),
        schema_id=REPORT_SCHEMA_ID.format(major=_major()),
        title="hegui report",
        description=(
            "The report of one APK scanned by hegui: facts, findings and verdict. "
            "schema_version follows semantic versioning (MAJOR.MINOR): additive changes bump MINOR; "
            "readers must ignore fields they do not know. See docs/json-output.md."
        ),
    )
    _pin_version(schema["properties"])
    return schema


def batch_line_schema() -> dict[str, Any]:
    """The schema of one line of a batch JSON Lines file."""
    schema = _finish(
        BatchLine.model_json_schema(mode="serialization", schema_generator=_WrittenFields),
        schema_id=BATCH_LINE_SCHEMA_ID.format(major=_major()),
        title="hegui batch line",
        description=(
            "One line of the JSON Lines written by a batch scan: status ok with the report, "
            "or status error with the reason. See docs/json-output.md."
        ),
    )
    _pin_version(schema["$defs"]["Report"]["properties"])
    schema["if"] = {"properties": {"status": {"const": "ok"}}}
    schema["then"] = {"required": ["report"], "not": {"required": ["error"]}}
    schema["else"] = {"required": ["error"], "not": {"required": ["report"]}}
    return schema


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for everything published in docs/schema/."""
    return {SCHEMA_FILES["report"]: report_schema(), SCHEMA_FILES["batch-line"]: batch_line_schema()}
