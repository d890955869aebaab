"""Checks: rules over :class:`hegui.facts.Facts` that produce findings.

Importing the package registers every built-in rule (one module per family, plus the data rules
in ``data/rules.yaml``); see :mod:`hegui.checks.registry` for how to write one.
"""

from hegui.checks import (
    cleartext,
    declarative,
    integrity,
    internal,
    manifest,
    network,
    permissions,
    pi,
    policy,
    policy_doc,
    sdk,
    transport,
)
from hegui.checks.registry import all_rules, get_rule, run_checks

__all__ = [
    "all_rules",
    "cleartext",
    "get_rule",
    "integrity",
    "internal",
    "manifest",
    "network",
    "permissions",
    "pi",
    "policy",
    "policy_doc",
    "declarative",
    "run_checks",
    "sdk",
    "transport",
]
