"""Batch mode of ``hegui scan`` (several APKs, or a folder): scan in worker processes, stream one
JSON line per APK to the run's JSON Lines file (and to the output with ``--format json``), show a
progress bar, then a summary table; the exit code is the worst over the APKs.

The output helpers, exit codes and :data:`hegui.cli.main.batch_worker` are read from
:mod:`hegui.cli.main` when called (imported inside each function, since main imports this module),
so tests that replace them on main still apply here.
"""

from __future__ import annotations

import functools
import os
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hegui.api import ScanOptions
from hegui.batch import BatchError, BatchItem, scan_many, scan_to_dict
from hegui.report.json import dumps
from hegui.report.tables import batch_summary, report_severities
from hegui.report.text import capture

if TYPE_CHECKING:
    from hegui.cli.main import FailOn

DEFAULT_OUT_DIR = Path("hegui-out")


def _run_jsonl_path(requested: Path | None) -> Path:
    if requested is not None:
        return requested
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = DEFAULT_OUT_DIR / f"scan-{stamp}.jsonl"
    n = 1
    while path.exists():
        path = DEFAULT_OUT_DIR / f"scan-{stamp}-{n}.jsonl"
        n += 1
    return path


def _open_for_lines(path: Path) -> IO[str]:
    from hegui.cli import main as cli

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed by the caller)
    except OSError as exc:
        cli._fatal(
            path, BatchError(kind="io", message=f"cannot write the JSON Lines file: {exc.strerror or exc}")
        )


def _item_code(item: BatchItem, fail_on: FailOn) -> int:
    from hegui.cli import main as cli

    if item.report is None:
        return cli.EXIT_ERROR
    return fail_on.exit_code(report_severities(item.report))


def scan_batch(
    apks: list[Path],
    problems: list[tuple[Path, BatchError]],
    *,
    as_json: bool,
    out: Path | None,
    lang: str,
    fail_on: FailOn,
    jobs: int,
    timeout: float,
    jsonl: Path | None,
    quiet: bool,
    options: ScanOptions,
) -> int:
    from hegui.cli import main as cli

    worker = cli.batch_worker  # looked up now: tests replace it on main
    if worker is scan_to_dict and options != ScanOptions():
        worker = functools.partial(scan_to_dict, options=options)
    run_path = _run_jsonl_path(jsonl)
    run_file = _open_for_lines(run_path)
    out_file = _open_for_lines(out) if (as_json and out is not None) else None
    unreadable = [BatchItem(index=-1, path=os.fspath(p), seconds=0.0, error=err) for p, err in problems]
    scanned: list[BatchItem] = []
    stderr_console = Console(stderr=True, highlight=False, emoji=False)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr_console,
        disable=quiet or not sys.stderr.isatty(),
        transient=True,
    )

    def emit(item: BatchItem) -> None:
        line = dumps(item.to_json(), indent=None) + "\n"
        run_file.write(line)
        run_file.flush()
        if as_json:
            if out_file is not None:
                out_file.write(line)
                out_file.flush()
            else:
                typer.echo(line, nl=False)
        if item.error is not None:
            progress.console.print(
                cli.error_line(item.path, item.error), markup=False, highlight=False, soft_wrap=True
            )

    try:
        for item in unreadable:
            emit(item)
        results = scan_many(apks, jobs=jobs, timeout=timeout, worker=worker)
        with cli._errors_as_lines("batch"), progress, closing(results):  # closing: stop workers on Ctrl-C
            task = progress.add_task("hegui", total=len(apks))
            for item in results:
                scanned.append(item)
                emit(item)
                progress.update(task, advance=1, description=Path(item.path).name)
    finally:
        run_file.close()
        if out_file is not None:
            out_file.close()

    items = unreadable + sorted(scanned, key=lambda i: i.index)
    summary = [batch_summary(items, lang=lang)]
    if as_json:
        if not quiet:
            cli._show(summary, err=True)
    elif out is not None:
        cli._write(capture(summary), out)
    else:
        cli._show(summary)
    if not quiet:
        cli._stderr(f"hegui: JSON Lines of this run: {run_path}")
    return max((_item_code(i, fail_on) for i in items), default=cli.EXIT_OK)
