"""The ``hegui`` command line: parse arguments, call the library, pick a formatter, write.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings at or above it; 2 an input could not
be analysed (or bad usage). Errors are one line on stderr: ``hegui: <file>: <kind>: <message>``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn, assert_never

import typer
from rich.console import Console, RenderableType

from hegui import __version__
from hegui.api import ScanOptions
from hegui.batch import (
    BatchError,
    collect_apks,
    describe_error,
    scan_to_dict,
    time_limit,
)
from hegui.checks.model import Rule, Severity
from hegui.cli.batch_scan import scan_batch
from hegui.cli.campaign import campaign as campaign_command
from hegui.cli.diff import diff as diff_command
from hegui.cli.options import Lang
from hegui.cli.policy import policy_app
from hegui.cli.rules import rules as rules_command
from hegui.cli.screen import screen as screen_command
from hegui.cli.sdks import sdks as sdks_command
from hegui.cli.serve import serve as serve_command
from hegui.cli.submit import submit as submit_command
from hegui.cli.useradd import useradd as useradd_command
from hegui.errors import FormatterError, HeguiError
from hegui.report import Formatter, available_formatters, get_formatter, plugin_problems
from hegui.report.json import json_formatter
from hegui.report.model import REPORT_SCHEMA_VERSION, Report
from hegui.report.text import capture, text_formatter

app = typer.Typer(
    name="hegui",
    help="hegui (合规): static personal-information compliance testing of Android APKs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DEFAULT_JOBS = min(4, os.cpu_count() or 1)
DEFAULT_TIMEOUT = 600.0
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
BUG_HINT = "this is a bug in hegui: please report it (HEGUI_DEBUG=1 shows the traceback)"


class OutputFormat(StrEnum):
    """Built-in formats. Third-party formats (entry point ``hegui.formatters``) are accepted by name."""

    text = "text"
    json = "json"

    def to_formatter(self) -> Formatter:
        match self:
            case OutputFormat.text:
                return text_formatter
            case OutputFormat.json:
                return json_formatter
            case _:
                assert_never(self)


class FailOn(StrEnum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"
    never = "never"

    def exit_code(self, severities: Iterable[Severity]) -> int:
        """1 if any severity is at or above this threshold, else 0 (always 0 for ``never``)."""
        if self is FailOn.never:
            return EXIT_OK
        threshold = Severity(self.value)
        return EXIT_FINDINGS if any(s.at_least(threshold) for s in severities) else EXIT_OK


# -- the library calls (module attributes, so tests can replace them) -----------------------------


def scan_apk(path: Path, options: ScanOptions | None = None) -> Report:
    """Scan one APK in this process."""
    from hegui.api import scan

    return scan(path, options=options)


def load_rules() -> list[Rule]:
    from hegui.checks.registry import all_rules

    rules = all_rules()
    return list(rules.values() if isinstance(rules, dict) else rules)


batch_worker: Callable[[str], dict[str, Any]] = scan_to_dict  # runs in a child process; must pickle


def scan_options(
    app_type: str | None, config: Path | None, *, no_config: bool = False, policy: str | None = None
) -> ScanOptions:
    """Options from --app-type, --policy and hegui.toml; a bad type, policy or file is one error
    line and exit 2."""
    from hegui.facts.app_type import given
    from hegui.suppress import find_config, load_config

    with _errors_as_lines("--app-type" if app_type else "hegui.toml"):
        if app_type:
            given(app_type)  # unknown type: KnowledgeError naming the choices, before any work
        path = config if config is not None else (None if no_config else find_config())
        rules = load_config(path).suppress if path is not None else ()
    analysis = None
    if policy:
        from hegui.policy import analyse

        with _errors_as_lines(policy):
            analysis = analyse(policy)  # read once, before any APK: a bad file or URL fails fast
    return ScanOptions(app_type=app_type, suppress=tuple(rules), policy=analysis)


# -- output helpers -------------------------------------------------------------------------------


def _debug() -> bool:
    return os.environ.get("HEGUI_DEBUG", "") not in ("", "0")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def error_line(file: str | os.PathLike[str], err: BatchError) -> str:
    line = f"hegui: {os.fspath(file)}: {err.kind}: {_one_line(err.message)}"
    return f"{line} ({BUG_HINT})" if err.kind == "internal" else line


def _stderr(line: str) -> None:
    typer.echo(line, err=True)


def _fatal(file: str | os.PathLike[str], err: BatchError) -> NoReturn:
    _stderr(error_line(file, err))
    raise typer.Exit(EXIT_ERROR)


@contextmanager
def _errors_as_lines(file: str | os.PathLike[str]) -> Iterator[None]:
    """Typed errors and unexpected exceptions become one line on stderr and exit code 2."""
    try:
        yield
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        _stderr("hegui: interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except HeguiError as exc:
        _fatal(file, describe_error(exc))
    except Exception as exc:
        if _debug():
            raise
        _fatal(file, describe_error(exc))


def _show(parts: Sequence[RenderableType], *, out: IO[str] | None = None, err: bool = False) -> None:
    """Print renderables: in colour on a terminal, as plain text otherwise."""
    stream = out or (sys.stderr if err else sys.stdout)
    if out is None and stream.isatty():
        console = Console(stderr=err, highlight=False, emoji=False)
        for part in parts:
            console.print(part)
    else:
        typer.echo(capture(parts), file=stream, nl=False)


def _write(text: str | bytes, out: Path | None) -> None:
    if out is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            typer.echo(text, nl=False)
        return
    try:
        if isinstance(text, bytes):
            out.write_bytes(text)
        else:
            out.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fatal(out, BatchError(kind="io", message=f"cannot write the output: {exc.strerror or exc}"))


def _formatter(name: str) -> Formatter:
    try:
        fmt = OutputFormat(name)
    except ValueError:
        pass
    else:
        return fmt.to_formatter()
    try:
        return get_formatter(name)
    except FormatterError as exc:
        for problem in plugin_problems():
            _stderr(f"hegui: warning: {problem}")
        _fatal("--format", describe_error(exc))


# -- commands -------------------------------------------------------------------------------------

PathsArg = Annotated[
    list[Path],
    typer.Argument(
        metavar="PATH",
        help="APK files and/or folders (searched recursively for *.apk). "
        "Several paths or any folder: batch mode.",
        show_default=False,
    ),
]


@app.command()
def scan(
    paths: PathsArg,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Output format: text, json, sarif, html, pdf, dual-list-md, dual-list-html, "
            "dual-list-csv (or a third-party format). "
            "In batch mode, json writes JSON Lines and text a summary table.",
        ),
    ] = OutputFormat.text.value,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the output to FILE instead of stdout.")
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the text output.")] = Lang.zh,
    fail_on: Annotated[
        FailOn,
        typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity (never: exit 0)."),
    ] = FailOn.high,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, help="Batch mode: APKs analysed at once, each in its own process."
        ),
    ] = DEFAULT_JOBS,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0, help="Seconds allowed per APK; 0 for no limit.")
    ] = DEFAULT_TIMEOUT,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl",
            help="Batch mode: JSON Lines file of the run (default: hegui-out/scan-<UTC time>.jsonl).",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or informational messages on stderr.")
    ] = False,
    app_type: Annotated[
        str | None,
        typer.Option(
            "--app-type",
            help="The app's type, one of the 39 of the necessary-PI rules (list: hegui rules --app-types); "
            "default: inferred from the label and package, with a stated confidence.",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="hegui.toml with [[suppress]] entries (default: ./hegui.toml if present)."
        ),
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore ./hegui.toml.")] = False,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            help="The app's privacy policy (HTML, text or Markdown file, or an http(s) URL), checked "
            "against the app (HG-POL-*); replaces any policy bundled in the APK.",
        ),
    ] = None,
) -> None:
    """Scan APKs: one APK gives a full report, several (or a folder) a batch summary."""
    formatter = _formatter(format)
    options = scan_options(app_type, config, no_config=no_config, policy=policy)
    apks, problems = collect_apks(paths)
    if len(paths) == 1 and not paths[0].is_dir():
        if problems:
            _fatal(*problems[0])
        code = _scan_one(
            apks[0], formatter, out=out, lang=lang.value, fail_on=fail_on, timeout=timeout, options=options
        )
    else:
        if format not in (OutputFormat.text.value, OutputFormat.json.value):
            message = f"format {format!r} is for one APK; use text or json in batch mode"
            _fatal("--format", BatchError(kind="usage", message=message))
        code = scan_batch(
            apks,
            problems,
            as_json=format == OutputFormat.json.value,
            out=out,
            lang=lang.value,
            fail_on=fail_on,
            jobs=jobs,
            timeout=timeout,
            jsonl=jsonl,
            quiet=quiet,
            options=options,
        )
    raise typer.Exit(code)


def _scan_one(
    path: Path,
    formatter: Formatter,
    *,
    out: Path | None,
    lang: str,
    fail_on: FailOn,
    timeout: float,
    options: ScanOptions,
) -> int:
    with _errors_as_lines(path):
        with time_limit(timeout):
            report = scan_apk(path, options)
        if out is None and formatter is text_formatter and sys.stdout.isatty():
            _show(text_formatter.renderables(report, lang=lang))
        else:
            _write(formatter.render(report, lang=lang), out)
    return fail_on.exit_code(f.severity for f in report.findings if f.suppression is None)


app.command("rules")(rules_command)
app.command("sdks")(sdks_command)
app.command("diff")(diff_command)
app.command("serve")(serve_command)
app.command("submit")(submit_command)
app.command("campaign")(campaign_command)
app.command("useradd")(useradd_command)
app.command("screen")(screen_command)
app.add_typer(policy_app, name="policy")


@app.command()
def version() -> None:
    """Show the version of hegui and of its JSON report schema."""
    formats = ", ".join(available_formatters())
    typer.echo(
        f"hegui {__version__} (report schema {REPORT_SCHEMA_VERSION}; formats: {formats}; "
        f"Python {sys.version.split()[0]})"
    )
