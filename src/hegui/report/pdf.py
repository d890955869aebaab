"""The ``pdf`` format: the HTML report printed to PDF by headless Chromium.

The browser is ``$HEGUI_CHROMIUM`` if set, else the first of ``chromium``, ``chromium-browser``,
``google-chrome`` on ``PATH``. Nothing from the APK reaches the command line: the report is written
to a fresh temporary directory and only that file's path is passed, with a throw-away profile.
The HTML forbids scripts and outside loads (Content-Security-Policy), so printing fetches nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from hegui.errors import FormatterError
from hegui.report.html import html_formatter
from hegui.report.model import Report

ENV_VAR = "HEGUI_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_S = 120
INSTALL_HINT = "install Chromium (Debian/Ubuntu: apt-get install chromium) or set HEGUI_CHROMIUM to a Chrome/Chromium binary"


def find_chromium() -> str:
    """The browser binary to print with; :class:`FormatterError` saying how to get one if none."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise FormatterError(
                f"the pdf format: {ENV_VAR}={configured!r} is not an executable; {INSTALL_HINT}"
            )
        return found
    for name in CANDIDATES:
        found = shutil.which(name)
        if found is not None:
            return found
    raise FormatterError(
        f"the pdf format needs a headless Chromium and none was found on PATH; {INSTALL_HINT}"
    )


def print_pdf(html: str, *, timeout: float = TIMEOUT_S) -> bytes:
    """``html`` (a self-contained page) as PDF bytes."""
    browser = find_chromium()
    with tempfile.TemporaryDirectory(prefix="hegui-pdf-") as tmp:
        folder = Path(tmp)
        page, out = folder / "report.html", folder / "report.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",  # the older spelling, ignored by newer Chromium
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        returncode, stderr = _run(cmd, browser, timeout)
        data = out.read_bytes() if out.is_file() else b""
        if not data.startswith(b"%PDF"):
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise FormatterError(
                f"the pdf format: Chromium (exit {returncode}) wrote no PDF: {tail[0][:200]}"
            )
        return data


def _run(cmd: list[str], browser: str, timeout: float) -> tuple[int, bytes]:
    """Run the browser in its own process group, so a timeout ends its helper processes too."""
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise FormatterError(f"the pdf format: cannot run {browser}: {exc}; {INSTALL_HINT}") from exc
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise FormatterError(f"the pdf format: Chromium did not finish within {timeout:g} s") from None
    return proc.returncode, stderr


class PdfFormatter:
    name = "pdf"
    description = "The HTML report printed to PDF (needs Chromium; HEGUI_CHROMIUM names the binary)"
    media_type = "application/pdf"
    suffix = ".pdf"

    def render(self, report: Report, *, lang: str = "zh") -> bytes:
        return print_pdf(html_formatter.render(report, lang=lang, expand=True))


pdf_formatter = PdfFormatter()
