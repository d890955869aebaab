"""The committed rule reference equals what the registry renders (run scripts/gen_rule_docs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hegui.checks.docs import render_all

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = render_all()


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_committed_docs_are_current(rel):
    path = DOCS / rel
    assert path.is_file(), f"{path} missing: run python scripts/gen_rule_docs.py"
    assert path.read_text(encoding="utf-8") == PAGES[rel], (
        f"{path} is stale: run python scripts/gen_rule_docs.py"
    )


def test_no_page_without_a_rule():
    pages = {p.name for p in (DOCS / "rules").glob("*.md")}
    assert pages == {rel.removeprefix("rules/") for rel in PAGES if rel.startswith("rules/")}


def test_index_lists_every_rule():
    index = PAGES["rules.md"]
    for rel in PAGES:
        if rel.startswith("rules/"):
            assert f"]({rel})" in index
