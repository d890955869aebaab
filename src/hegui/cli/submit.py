"""``hegui submit``: upload APKs to a hegui service and, with ``--wait``, wait for their verdicts.

Exit codes, as ``hegui scan``: 0 every verdict known is below ``--fail-on`` (or not waited for);
1 a verdict at or above it (``fail``, or ``needs-review`` with ``--fail-on needs-review``);
2 an APK could not be submitted or analysed, or bad usage. Errors are one line on stderr:
``hegui: <file>: <kind>: <message>``. ``--format json`` writes one JSON object per APK (JSON Lines).
``--policy FILE`` sends the app's privacy policy with every APK (a local file: the service never
fetches a URL); the service checks each APK against it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

EXIT_OK, EXIT_FAIL, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
API = "/api/v1"
POLL_START, POLL_MAX = 0.5, 5.0
_RANK = {"pass": 0, "needs-review": 1, "fail": 2}


class SubmitFormat(StrEnum):
    text = "text"
    json = "json"


class VerdictThreshold(StrEnum):
    fail = "fail"
    needs_review = "needs-review"
    never = "never"

    def exit_code(self, verdict: str | None) -> int:
        if verdict is None or self is VerdictThreshold.never:
            return EXIT_OK
        return EXIT_FAIL if _RANK.get(verdict, 0) >= _RANK[self.value] else EXIT_OK


class SubmitError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = " ".join(str(message).split())


def _api_error(response: Any) -> SubmitError:
    try:
        err = response.json()["error"]
        return SubmitError(str(err["kind"]), str(err["message"]))
    except (ValueError, KeyError, TypeError):
        return SubmitError("http", f"HTTP {response.status_code} from the server")


def _loopback(url: str) -> bool:
    from hegui.cli.serve import is_loopback

    return is_loopback(urlsplit(url).hostname or "")


class Client:
    """The few calls ``submit`` and ``campaign`` make, over one httpx client."""

    def __init__(self, server: str, token: str, *, timeout: float) -> None:
        import httpx

        self.server = server.rstrip("/")
        self.http = httpx.Client(
            base_url=self.server,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "hegui-submit"},
            timeout=httpx.Timeout(timeout, connect=10.0),
        )

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, url: str, **kw: Any) -> dict[str, Any]:
        import httpx

        try:
            response = self.http.request(method, url, **kw)
        except httpx.HTTPError as exc:
            raise SubmitError("connection", f"{self.server}: {type(exc).__name__}: {exc}") from None
        if response.status_code >= 400:
            raise _api_error(response)
        try:
            return response.json()
        except ValueError:
            raise SubmitError("http", f"the server did not answer JSON for {url}") from None

    def upload(self, path: Path, organisation: str | None, policy: Path | None = None) -> dict[str, Any]:
        data = {"organisation": organisation} if organisation else None
        try:
            with path.open("rb") as fh:  # streamed by httpx, never read whole into memory
                files: dict[str, Any] = {"file": (path.name, fh, "application/vnd.android.package-archive")}
                if policy is not None:
                    files["policy"] = (policy.name, _policy_bytes(policy), "text/plain")
                return self.call("POST", f"{API}/uploads", files=files, data=data)
        except OSError as exc:
            raise SubmitError("io", f"cannot read {path}: {exc.strerror or exc}") from None

    def get(self, link: str) -> dict[str, Any]:
        return self.call("GET", link)

    def absolute(self, link: str) -> str:
        return self.server + link


POLICY_MAX = 3 * 1024 * 1024  # the service's limit (hegui.service.policy_upload.MAX_POLICY_BYTES)


def _policy_bytes(policy: Path) -> bytes:
    """The policy file's bytes (small); ``SubmitError`` when it cannot be read or is over the limit."""
    try:
        with policy.open("rb") as fh:
            data = fh.read(POLICY_MAX + 1)
    except OSError as exc:
        raise SubmitError("policy", f"cannot read {policy}: {exc.strerror or exc}") from None
    if len(data) > POLICY_MAX:
        raise SubmitError("policy", f"{policy} is over the {POLICY_MAX // 1048576} MB policy limit")
    return data


def check_policy_option(policy: str | None) -> Path | None:
    """``--policy`` must name a local file: the service never fetches a URL (bad usage: exit 2)."""
    if policy is None:
        return None
    if "://" in policy[:12]:
        error_line("--policy", SubmitError("usage", "give a file, not a URL: save the policy page first"))
        raise typer.Exit(EXIT_ERROR)
    if not Path(policy).is_file():
        error_line("--policy", SubmitError("usage", f"no such file: {policy}"))
        raise typer.Exit(EXIT_ERROR)
    return Path(policy)


def open_client(server: str, token: str | None, *, timeout: float, command: str) -> Client:
    """A client of ``server`` with ``token`` (``timeout``: seconds per request). Bad usage: one line
    on stderr and ``typer.Exit(2)``; a warning when the token would travel over plain http."""
    if urlsplit(server).scheme not in ("http", "https") or not urlsplit(server).hostname:
        error_line("--server", SubmitError("usage", f"not an http(s) URL: {server!r}"))
        raise typer.Exit(EXIT_ERROR)
    if not token:
        error_line("--token", SubmitError("usage", "no API token: pass --token or set HEGUI_TOKEN"))
        raise typer.Exit(EXIT_ERROR)
    if urlsplit(server).scheme == "http" and not _loopback(server):
        typer.echo("hegui: warning: the token is sent over plain http; use https off this machine", err=True)
    try:
        return Client(server, token, timeout=timeout)
    except ImportError:
        error_line(command, SubmitError("missing", f"hegui {command} needs httpx: pip install httpx"))
        raise typer.Exit(EXIT_ERROR) from None


def _wait(client: Client, links: dict[str, str], deadline: float) -> dict[str, Any]:
    """Poll the job until it is done; the result. ``SubmitError`` on failure or time-out."""
    delay = POLL_START
    while True:
        job = client.get(links["job"])
        if job["status"] == "done":
            return client.get(links["result"])
        if job["status"] == "failed":
            raise SubmitError("analysis", job.get("error") or "the analysis failed")
        if time.monotonic() + delay > deadline:
            raise SubmitError(
                "timeout", f"no verdict yet (job {job['id']} is {job['status']}); see {links['job']}"
            )
        time.sleep(delay)
        delay = min(delay * 1.5, POLL_MAX)


def upload_record(path: Path, up: dict[str, Any]) -> dict[str, Any]:
    """What the output says of one upload answer of ``POST /api/v1/uploads``."""
    version = up["version"]
    return {
        "file": str(path),
        "created": up["created"],
        "package": up["app"]["package"],
        "version_id": version["id"],
        "version_code": version["version_code"],
        "version_name": version["version_name"],
        "sha256": version["sha256"],
        "policy_sha256": version.get("policy_sha256"),
    }


def _submit_one(
    client: Client,
    path: Path,
    *,
    organisation: str | None,
    wait: bool,
    timeout: float,
    policy: Path | None = None,
) -> dict[str, Any]:
    up = client.upload(path, organisation, policy)
    version, links = up["version"], up["links"]
    record: dict[str, Any] = {
        **upload_record(path, up),
        "job": up["job"]["status"],
        "verdict": version.get("verdict"),
        "effective_verdict": None,
        "links": {k: client.absolute(v) for k, v in links.items()},
    }
    if wait:
        result = _wait(client, links, time.monotonic() + timeout)
        record.update(job="done", verdict=result["verdict"], effective_verdict=result["effective_verdict"])
    return record


def _text_line(rec: dict[str, Any]) -> str:
    name = f"{rec['package']} {rec['version_name'] or '?'} ({rec['version_code']})"
    verdict = rec["effective_verdict"] or rec["verdict"]
    seen = "" if rec["created"] else ", uploaded before"
    if verdict is None:
        return f"{rec['file']}: {name}: submitted{seen}, job {rec['job']}: {rec['links']['job']}"
    return f"{rec['file']}: {name}: {verdict}{seen}: {rec['links']['report_html']}"


def submit(
    apks: Annotated[
        list[Path],
        typer.Argument(metavar="APK", help="APK files to upload.", show_default=False, dir_okay=False),
    ],
    server: Annotated[
        str, typer.Option("--server", envvar="HEGUI_SERVER", help="The service, e.g. http://127.0.0.1:8000")
    ],
    token: Annotated[
        str | None,
        typer.Option(
            "--token", envvar="HEGUI_TOKEN", help="API token (default: $HEGUI_TOKEN).", show_default=False
        ),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option("--organisation", help="Owner of a new app, by name (developers: their own is used)."),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            metavar="FILE",
            help="The app's privacy policy (HTML, Markdown or text file, at most 3 MB), sent with each "
            "APK and checked against it. A file: the service never fetches a URL.",
            show_default=False,
        ),
    ] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait for each verdict.")] = False,
    format: Annotated[
        SubmitFormat, typer.Option("--format", "-f", help="text, or json (JSON Lines).")
    ] = SubmitFormat.text,
    fail_on: Annotated[
        VerdictThreshold,
        typer.Option("--fail-on", help="Exit 1 for a verdict at or above this (never: exit 0)."),
    ] = VerdictThreshold.fail,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for one APK's verdict (with --wait).")
    ] = 600.0,
) -> None:
    """Upload APKs to a hegui service for testing; with --wait, print the verdicts."""
    policy_file = check_policy_option(policy)
    client = open_client(server, token, timeout=max(timeout, 60.0), command="submit")
    code = EXIT_OK
    try:
        for path in apks:
            try:
                rec = _submit_one(
                    client, path, organisation=organisation, wait=wait, timeout=timeout, policy=policy_file
                )
            except SubmitError as exc:
                error_line(path, exc)
                if format is SubmitFormat.json:
                    json_line({"file": str(path), "error": {"kind": exc.kind, "message": exc.message}})
                code = EXIT_ERROR
                continue
            if format is SubmitFormat.json:
                json_line(rec)
            else:
                typer.echo(_text_line(rec))
            if code != EXIT_ERROR:
                code = max(code, fail_on.exit_code(rec["effective_verdict"] or rec["verdict"]))
    except KeyboardInterrupt:
        typer.echo("hegui: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        client.close()
    raise typer.Exit(code)


def error_line(file: str | os.PathLike[str], err: SubmitError) -> None:
    typer.echo(f"hegui: {os.fspath(file)}: {err.kind}: {err.message}", err=True)


def json_line(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()
