"""Every real policy of ../shared/policies parses and is analysed quickly (skipped when absent).
The folder is evaluation material only: nothing from it is copied here."""

from __future__ import annotations

from pathlib import Path

import pytest

from hegui.policy import analyse

FOLDER = Path(__file__).resolve().parents[3] / "shared" / "policies"
FILES = (
    sorted(p for p in FOLDER.glob("*") if p.suffix in (".txt", ".md", ".html") and p.name != "README.md")
    if FOLDER.is_dir()
    else []
)


@pytest.mark.skipif(not FILES, reason=f"{FOLDER} is absent")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_real_policy_parses(path: Path) -> None:
    a = analyse(path)
    assert a.text_chars > 0
    assert len(a.elements) == 24
