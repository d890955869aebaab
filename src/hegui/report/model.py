"""The report of one scan: one JSON document (see docs/schema/report.schema.json)."""

from __future__ import annotations

from pydantic import Field

from hegui.checks.model import Finding, Frozen, Text
from hegui.facts.model import Facts
from hegui.verdict import Verdict

REPORT_SCHEMA_VERSION = "1.2"  # 1.1: findings[].suppression, warnings, facts.app_type; 1.2: facts.policy, facts.policy_source


class ToolInfo(Frozen):
    name: str = "hegui"
    version: str


class Report(Frozen):
    schema_version: str = REPORT_SCHEMA_VERSION
    tool: ToolInfo
    scanned_at: str  # ISO 8601, UTC
    duration_ms: int
    facts: Facts
    findings: list[Finding] = Field(default_factory=list)
    verdict: Verdict
    warnings: list[Text] = Field(default_factory=list)  # e.g. an expired suppression in hegui.toml
