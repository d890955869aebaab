"""``hegui screen``: screen posts (one per line, or JSON Lines with a ``text`` field) and write one
JSON line per post with its category scores, labels and evidence spans.

Scores only order a review queue: nothing is sanctioned on a score alone. A bad line (invalid JSON,
a ``text`` that is not a string, bytes that are not UTF-8) gives a JSON line with an ``error``
field; the run goes on and exits 0. Only an unreadable FILE or an unknown screener exit 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer

FORMATS = ("jsonl",)


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(stream, 1):
        line = raw.rstrip(b"\r\n")
        if line.strip():
            yield number, line


def parse_line(number: int, raw: bytes) -> tuple[dict[str, Any], str | None]:
    """(the fields to echo, the text to screen) — or (fields with ``error``, None) for a bad line."""
    head: dict[str, Any] = {"line": number}
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {**head, "error": f"not UTF-8 (byte {exc.start})"}, None
    if not line.lstrip().startswith("{"):
        return head, line
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return {**head, "error": f"invalid JSON: {getattr(exc, 'msg', 'too deeply nested')}"}, None
    if not isinstance(obj, dict):
        return {**head, "error": "a JSON line must be an object with a 'text' field"}, None
    if "id" in obj:
        head["id"] = obj["id"]
    text = obj.get("text")
    if not isinstance(text, str):
        kind = "missing" if text is None else f"of type {type(text).__name__}, not a string"
        return {**head, "error": f"'text' is {kind}"}, None
    return head, text


def screen_lines(lines: Iterable[tuple[int, bytes]], screener: str | None = None) -> Iterator[dict[str, Any]]:
    """One output record per input line (library form of the command, used by the tests)."""
    from hegui.governance.screen import get_screener

    fn = get_screener(screener)
    for number, raw in lines:
        head, text = parse_line(number, raw)
        if text is None:
            yield head
            continue
        try:
            result = fn(text)
        except Exception as exc:  # noqa: BLE001 - one bad post (or plug-in) must not end the run
            yield {**head, "error": f"screening failed: {type(exc).__name__}: {exc}"}
            continue
        record = {**head, "labels": result.labels(), **result.model_dump(exclude_none=True)}
        yield record


def _report(records: list[dict[str, Any]], out: IO[str]) -> None:
    from hegui.governance.screen.lexicon import load_lexicon

    lex = load_lexicon()
    thresholds = lex.thresholds
    scored = [r for r in records if "categories" in r]
    out.write(f"hegui screen: {len(records)} posts, {len(records) - len(scored)} errors\n")
    out.write(f"{'category':<36}{'threshold':>10}{'labelled':>10}{'near (±0.1)':>13}{'max':>8}\n")
    for cid in sorted(thresholds):
        scores = [r["categories"][cid]["score"] for r in scored if cid in r["categories"]]
        t = thresholds[cid]
        above = sum(s >= t for s in scores)
        near = sum(abs(s - t) <= 0.1 for s in scores)
        out.write(f"{cid:<36}{t:>10.2f}{above:>10}{near:>13}{max(scores, default=0.0):>8.3f}\n")


def screen(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Posts, one per line or JSON Lines with 'text' (and 'id'); default stdin.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Output format: jsonl.")] = "jsonl",
    threshold_report: Annotated[
        bool,
        typer.Option(
            "--threshold-report",
            help="After the run, print per category the threshold, how many posts reached it and "
            "how many scored within 0.1 of it (on stderr).",
        ),
    ] = False,
    screener: Annotated[
        str,
        typer.Option(
            "--screener",
            help="gated (default: the lexicon, and its n-gram model where the lexicon is unsure), lexicon (the "
            "word lists alone) or a plug-in (entry point hegui.screeners).",
        ),
    ] = "gated",
) -> None:
    """Screen Chinese posts for porn, prohibited goods, black-market services, gambling, fraud and
    minors: one JSON line per post with scores, labels and evidence. Scores only order a review queue."""
    from hegui.batch import BatchError
    from hegui.cli import main as cli
    from hegui.governance.screen import available_screeners

    if format not in FORMATS:
        cli._fatal(
            "--format",
            BatchError(kind="usage", message=f"unknown format {format!r}; use one of {', '.join(FORMATS)}"),
        )
    if screener not in available_screeners():
        names = ", ".join(available_screeners())
        cli._fatal(
            "--screener",
            BatchError(kind="usage", message=f"unknown screener {screener!r}; available: {names}"),
        )
    try:
        stream = sys.stdin.buffer if file is None or str(file) == "-" else file.open("rb")
    except OSError as exc:
        cli._fatal(file or "stdin", BatchError(kind="io", message=f"cannot read: {exc.strerror or exc}"))
    records: list[dict[str, Any]] = []
    out = sys.stdout
    try:
        for record in screen_lines(_lines(stream), screener):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if threshold_report:
                records.append({"categories": record["categories"]} if "categories" in record else {})
    except OSError as exc:
        cli._fatal(file or "stdin", BatchError(kind="io", message=str(exc.strerror or exc)))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    out.flush()
    if threshold_report:
        _report(records, sys.stderr)
