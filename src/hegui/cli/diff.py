"""``hegui diff OLD.apk NEW.apk``: what a version update adds or removes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hegui.checks.model import Severity
from hegui.cli.options import Lang


def diff(
    old: Annotated[Path, typer.Argument(help="The version now listed (or the previous build).", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The update to review.", show_default=False)],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to FILE instead of stdout.")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the text output.")] = Lang.zh,
    app_type: Annotated[
        str | None, typer.Option("--app-type", help="The app's type (as for hegui scan).")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="hegui.toml (as for hegui scan).")] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore ./hegui.toml.")] = False,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on", help="Exit 1 when the update adds a finding at or above this severity (never: exit 0)."
        ),
    ] = "high",
) -> None:
    """Compare two versions: permissions, PI reached (per owner), SDKs, signer, findings added/removed."""
    from hegui.batch import BatchError
    from hegui.cli import main as cli
    from hegui.diff import diff_reports
    from hegui.report.diff_text import diff_json, diff_renderables

    if format not in ("text", "json"):
        cli._fatal("--format", BatchError(kind="usage", message=f"format {format!r}: use text or json"))
    if fail_on != "never" and fail_on not in Severity.__members__:
        choices = ", ".join([*Severity.__members__, "never"])
        cli._fatal("--fail-on", BatchError(kind="usage", message=f"{fail_on!r}: use one of {choices}"))
    options = cli.scan_options(app_type, config, no_config=no_config)
    reports = []
    for path in (old, new):
        with cli._errors_as_lines(path):
            reports.append(cli.scan_apk(path, options))
    d = diff_reports(*reports)
    with cli._errors_as_lines(out or "diff"):
        if format == "json":
            cli._write(diff_json(d), out)
        elif out is None:
            cli._show(diff_renderables(d, lang=lang.value))
        else:
            cli._write(cli.capture(diff_renderables(d, lang=lang.value)), out)
    worst = d.worst_added()
    failed = fail_on != "never" and worst is not None and worst.at_least(Severity(fail_on))
    raise typer.Exit(cli.EXIT_FINDINGS if failed else cli.EXIT_OK)
