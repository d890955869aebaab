"""HG-SEC-0xx (signing, hidden code) and HG-INT-002 (analysis notes)."""

from __future__ import annotations

import pytest

from hegui.checks.registry import run_checks
from hegui.facts.model import AnalysisNote

from .conftest import cert, make_facts


def run(facts, rule_id):
    return run_checks(facts, select=[rule_id])


def test_hidden_dex_from_facts_and_notes_listed_once():
    facts = make_facts(
        hidden_dex=["assets/payload.dex"],
        notes=[
            AnalysisNote(code="hidden-dex", message="packed", file="assets/payload.dex"),
            AnalysisNote(code="hidden-dex", message="packed", file="assets/other.dex"),
        ],
    )
    (f,) = run(facts, "HG-SEC-001")
    assert [e.file for e in f.evidence] == ["assets/payload.dex", "assets/other.dex"]
    assert f.judgement == "manual"


def test_debug_certificate_one_finding_per_debug_cert():
    (f,) = run(make_facts(certificates=[cert(), cert(debug=True)]), "HG-SEC-002")
    assert "Android Debug" in f.message.en and f.evidence[0].kind == "certificate"


@pytest.mark.parametrize(
    "schemes, target, notes, expected",
    [
        (["v1"], 30, [], 1),
        ([], 33, [], 1),  # unsigned
        (["v1", "v3"], 33, [], 0),
        (["v1"], 29, [], 0),
        (["v1"], None, [], 0),
        ([], 33, [AnalysisNote(code="signing-unreadable", message="bad block")], 0),
    ],
)
def test_modern_signature(schemes, target, notes, expected):
    facts = make_facts(signing_schemes=schemes, target_sdk=target, notes=notes)
    assert len(run(facts, "HG-SEC-003")) == expected


def test_every_note_but_hidden_dex_is_not_analysed_finding():
    notes = [
        AnalysisNote(code="dex-malformed", message="bad header", file="classes2.dex"),
        AnalysisNote(code="no-dex", message="no code"),
        AnalysisNote(code="hidden-dex", message="packed", file="assets/a.dex"),
    ]
    found = run(make_facts(notes=notes), "HG-INT-002")
    assert [(f.evidence[0].element, f.evidence[0].file) for f in found] == [
        ("dex-malformed", "classes2.dex"),
        ("no-dex", None),
    ]
    assert found[0].message.en == "[dex-malformed] (classes2.dex) bad header"
    assert all(f.severity.value == "info" for f in found)
