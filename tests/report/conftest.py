from __future__ import annotations

import pytest

from hegui import knowledge
from hegui.errors import KnowledgeError
from hegui.report.model import Report
from tests.report.builders import fake_permissions, fake_pi_types, make_report


@pytest.fixture
def report() -> Report:
    """A realistic report: 46 call sites over 5 PI types, one finding per severity, two notes."""
    return make_report()


@pytest.fixture
def fake_knowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small PI-type and permission catalogues, so tests do not depend on the packaged data."""
    monkeypatch.setattr(knowledge, "pi_types", fake_pi_types)
    monkeypatch.setattr(knowledge, "permissions", fake_permissions)


@pytest.fixture
def no_knowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Knowledge files that cannot be loaded."""

    def broken() -> dict:
        raise KnowledgeError("knowledge file pi_types.yaml cannot be read")

    monkeypatch.setattr(knowledge, "pi_types", broken)
    monkeypatch.setattr(knowledge, "permissions", broken)
