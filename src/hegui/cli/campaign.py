"""``hegui campaign``: upload APKs to a hegui service, run a campaign (专项检测) over them, show its
progress and throughput while it runs, then a summary.

The APKs are files and folders (searched for ``*.apk``, as ``hegui scan``); each is uploaded (the
same bytes again are the same version), then ``POST /api/v1/campaigns`` starts the campaign over the
uploaded versions — versions analysed before count as done (skipped) without being analysed again —
and ``GET /api/v1/campaigns/{id}`` is polled until the campaign ends, or ``--timeout``. Campaigns
need the regulator role (or admin).

Exit codes, as ``hegui submit``: 0 the campaign finished with every input uploaded and analysed;
2 an input could not be read or was refused by the server (listed, the others still go), an APK
could not be analysed, the campaign had not finished within ``--timeout``, or bad usage, an
unreachable server, a bad token or a role without campaigns. Errors are one line on stderr:
``hegui: <file>: <kind>: <message>``. ``--format json`` writes the summary as one JSON object.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from hegui.batch import collect_apks
from hegui.cli.submit import (
    API,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    POLL_MAX,
    POLL_START,
    Client,
    SubmitError,
    SubmitFormat,
    error_line,
    json_line,
    open_client,
    upload_record,
)

CAMPAIGN_ROLES = frozenset({"regulator", "admin"})  # POST /campaigns (hegui.service.api.deps.Regulator)
FATAL_KINDS = frozenset({"connection", "not_authenticated"})  # the next upload would fail the same way
REQUEST_TIMEOUT = 300.0  # seconds for one request (an upload of a large APK included)
TOP_RULES = 10


def _progress_bar(console: Any = None) -> Any:
    """Uploads, then the campaign: done+failed of total, failed, APKs/hour. On stderr when it is a
    terminal (or on ``console``), gone when the summary is printed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console or Console(stderr=True, highlight=False, emoji=False),
        disable=console is None and not sys.stderr.isatty(),
        transient=True,
    )


def _refusal(path: str | Path, err: SubmitError) -> dict[str, Any]:
    error_line(path, err)
    return {"file": str(path), "error": {"kind": err.kind, "message": err.message}}


def _upload_all(
    client: Client, apks: list[Path], organisation: str | None, progress: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Upload each APK: (the uploads, the refusals). A refusal is listed and the others go on;
    ``SubmitError`` when the server cannot be reached or refuses the token."""
    uploads: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    task = progress.add_task("upload", total=len(apks), detail="")
    for path in apks:
        progress.update(task, detail=path.name)
        try:
            up = client.upload(path, organisation)
        except SubmitError as exc:
            if exc.kind in FATAL_KINDS:
                raise
            refused.append(_refusal(path, exc))
        else:
            uploads.append(upload_record(path, up))
        progress.advance(task)
    return uploads, refused


def _follow(client: Client, state: dict[str, Any], progress: Any, deadline: float) -> dict[str, Any]:
    """Poll the campaign until it is finished or the deadline; its last progress."""
    task = progress.add_task(f"campaign {state['campaign_id']}", total=state["total"], detail="")
    delay = POLL_START
    while True:
        progress.update(
            task,
            total=state["total"],
            completed=state["done"] + state["failed"],
            detail=f"failed {state['failed']} · {state['throughput_per_hour']:.1f} APKs/h",
        )
        if state["finished"] or time.monotonic() + delay > deadline:
            return state
        time.sleep(delay)
        delay = min(delay * 1.5, POLL_MAX)
        state = client.get(state["links"]["campaign"])


def _candidates(client: Client, state: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The campaign's candidates for the next notice; None when the caller's role may not see them."""
    try:
        rows = client.get(state["links"]["candidates"])
    except SubmitError as exc:
        if exc.kind == "permission_denied":
            return None
        raise
    return [
        {
            "package": c["package"],
            "app_id": c["app_id"],
            "version_id": c["version_id"],
            "version_code": c["version_code"],
            "rules": list((c.get("problems") or {}).get("rules") or []),
        }
        for c in rows
    ]


def _summary(
    client: Client,
    state: dict[str, Any],
    uploads: list[dict[str, Any]],
    refused: list[dict[str, Any]],
    candidates: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    keys = ("campaign_id", "name", "finished", "total", "done", "skipped", "passing", "failing")
    keys += ("needs_review", "failed", "queued", "running", "elapsed_seconds", "throughput_per_hour")
    rules = sorted(state["by_rule"].items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        **{k: state[k] for k in keys},
        "url": client.absolute(state["links"]["campaign"]),
        "top_rules": [{"rule": rule, "apks": n} for rule, n in rules[:TOP_RULES]],
        "candidates": candidates,
        "uploads": uploads,
        "refused": refused,
    }


def _text(summary: dict[str, Any]) -> str:
    s = summary
    state = "finished" if s["finished"] else f"not finished ({s['queued']} queued, {s['running']} running)"
    lines = [
        f"campaign {s['campaign_id']} {s['name']!r}: {state} in {s['elapsed_seconds']:.1f} s, "
        f"{s['throughput_per_hour']:.1f} APKs/hour",
        f"  {s['url']}",
    ]
    rows = [
        ("total", s["total"], "APKs in the campaign"),
        ("passing", s["passing"], ""),
        ("failing", s["failing"], ""),
        ("needs review", s["needs_review"], ""),
        ("failed", s["failed"], "could not be analysed"),
        ("skipped", s["skipped"], "analysed before, not again"),
        ("refused", len(s["refused"]), "not uploaded, not in the campaign"),
    ]
    lines += [f"  {label:<13}{n:>6}" + (f"   ({note})" if note else "") for label, n, note in rows]
    if s["top_rules"]:
        lines.append("top rules (APKs with a finding):")
        lines += [f"  {r['rule']:<13}{r['apks']:>6}" for r in s["top_rules"]]
    if s["candidates"] is not None:
        if s["candidates"]:
            lines.append("candidates for the next notice (failing, named by no notice yet):")
            lines += [
                f"  {c['package']} ({c['version_code']}): {', '.join(c['rules']) or '-'}"
                for c in s["candidates"]
            ]
        else:
            lines.append("candidates for the next notice: none")
    return "\n".join(lines)


def _goes_on(client: Client, state: dict[str, Any] | None) -> None:
    if state is not None:  # started: the server runs it to the end without us
        url = client.absolute(state["links"]["campaign"])
        typer.echo(f"hegui: campaign: the campaign goes on on the server: {url}", err=True)


def campaign(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH", help="APK files, or folders searched for *.apk.", show_default=False),
    ],
    server: Annotated[
        str, typer.Option("--server", envvar="HEGUI_SERVER", help="The service, e.g. http://127.0.0.1:8000")
    ],
    name: Annotated[str, typer.Option("--name", help="The campaign's name.", show_default=False)],
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="HEGUI_TOKEN",
            help="API token of a regulator (default: $HEGUI_TOKEN).",
            show_default=False,
        ),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option("--organisation", help="Owner of new apps, by name (existing apps keep theirs)."),
    ] = None,
    format: Annotated[
        SubmitFormat, typer.Option("--format", "-f", help="Summary as text, or json (one object).")
    ] = SubmitFormat.text,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for the campaign to end.")
    ] = 3600.0,
) -> None:
    """Upload APKs to a hegui service, run a campaign over them and show its progress (regulator)."""
    client = open_client(server, token, timeout=REQUEST_TIMEOUT, command="campaign")
    apks, problems = collect_apks(paths)
    refused = [_refusal(p, SubmitError(err.kind, err.message)) for p, err in problems]
    if not apks:
        error_line("campaign", SubmitError("usage", "no APK to upload"))
        client.close()
        raise typer.Exit(EXIT_ERROR)
    state: dict[str, Any] | None = None
    try:
        me = client.get(f"{API}/auth/me")
        if me.get("role") not in CAMPAIGN_ROLES:
            raise SubmitError(
                "permission_denied", f"a campaign needs the role regulator; you are {me.get('role')}"
            )
        with _progress_bar() as progress:
            uploads, refusals = _upload_all(client, apks, organisation, progress)
            refused += refusals
            if not uploads:
                raise SubmitError("campaign", "no APK was uploaded; no campaign started")
            ids = list(dict.fromkeys(u["version_id"] for u in uploads))
            state = client.call("POST", f"{API}/campaigns", json={"name": name, "version_ids": ids})
            state = _follow(client, state, progress, time.monotonic() + timeout)
        summary = _summary(client, state, uploads, refused, _candidates(client, state))
    except SubmitError as exc:
        error_line("campaign", exc)
        _goes_on(client, state)
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        typer.echo("hegui: interrupted", err=True)
        _goes_on(client, state)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        client.close()
    code = EXIT_ERROR if refused or summary["failed"] else EXIT_OK
    if not summary["finished"]:
        message = (
            f"not finished after {timeout:g} s ({summary['done'] + summary['failed']} of {summary['total']})"
        )
        error_line("campaign", SubmitError("timeout", f"{message}; see {summary['url']}"))
        code = EXIT_ERROR
    if format is SubmitFormat.json:
        json_line(summary)
    else:
        typer.echo(_text(summary))
    raise typer.Exit(code)
