from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hegui.cli.main as cli
from hegui.checks.model import Severity
from hegui.report.model import Report
from tests.cli.fake_workers import fake_scan
from tests.report.builders import make_report
from tests.report.conftest import fake_knowledge  # noqa: F401 (fixture)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def apk(tmp_path: Path) -> Path:
    p = tmp_path / "app.apk"
    p.write_bytes(b"PK\x03\x04 not really")
    return p


@pytest.fixture
def scan_returns(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make the CLI's single-APK scan return a constructed report (or raise)."""

    def set_(result: Report | BaseException | list[Severity]) -> None:
        def fake(path: Path, options=None) -> Report:
            if isinstance(result, BaseException):
                raise result
            return make_report(result) if isinstance(result, list) else result

        monkeypatch.setattr(cli, "scan_apk", fake)

    return set_


@pytest.fixture
def fake_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "batch_worker", fake_scan)
