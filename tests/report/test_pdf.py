from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hegui.errors import FormatterError
from hegui.report import FORMATTERS
from hegui.report.pdf import ENV_VAR, find_chromium, pdf_formatter
from tests.report.builders import HOSTILE, hostile_report, rich_report


def _have_chromium() -> bool:
    try:
        find_chromium()
    except FormatterError:
        return False
    return True


def test_pdf_is_registered() -> None:
    assert FORMATTERS["pdf"] is pdf_formatter


@pytest.mark.skipif(not _have_chromium(), reason="no Chromium to print with (apt-get install chromium)")
def test_prints_a_pdf() -> None:
    data = pdf_formatter.render(rich_report())
    assert isinstance(data, bytes)
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000


def test_no_browser_is_a_formatter_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no chromium, chromium-browser, google-chrome
    with pytest.raises(FormatterError, match="apt-get install chromium") as info:
        pdf_formatter.render(rich_report())
    assert "\n" not in str(info.value)


def test_env_var_naming_nothing_is_a_formatter_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-such-browser"))
    with pytest.raises(FormatterError, match=ENV_VAR):
        find_chromium()


def _fake_browser(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-chromium"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_the_command_line_carries_nothing_from_the_apk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Only temporary paths reach the browser's argv; a browser that writes no PDF is an error."""
    argv_file = tmp_path / "argv"
    script = _fake_browser(
        tmp_path, f'for a in "$@"; do printf "%s\\n" "$a" >> "{argv_file}"; done\nexit 3\n'
    )
    monkeypatch.setenv(ENV_VAR, str(script))
    report = hostile_report()
    with pytest.raises(FormatterError, match="wrote no PDF"):
        pdf_formatter.render(report)
    argv = argv_file.read_text(encoding="utf-8")
    for apk_text in (HOSTILE, report.facts.package, report.facts.file_name, report.facts.sha256):
        assert apk_text not in argv
    assert "--headless" in argv and "--no-sandbox" in argv and "--print-to-pdf=" in argv
    # the temporary folder is gone afterwards
    page = next(line for line in argv.splitlines() if line.startswith("file://"))
    assert not os.path.exists(page.removeprefix("file://"))


def test_a_hanging_browser_times_out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from hegui.report import pdf

    script = _fake_browser(tmp_path, "exec sleep 30\n")
    monkeypatch.setenv(ENV_VAR, str(script))
    with pytest.raises(FormatterError, match="did not finish"):
        pdf.print_pdf("<html></html>", timeout=0.5)
