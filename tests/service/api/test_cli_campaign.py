"""``hegui campaign`` against a live uvicorn server on a free loopback port (as ``test_cli.py``: SQLite,
in-process jobs scanning in child processes): uploads a folder, runs the campaign, summarises it."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from hegui.cli import campaign as campaign_module
from hegui.cli.campaign import campaign
from hegui.cli.main import app as hegui_app
from hegui.service import crud
from hegui.service.app import create_app
from hegui.service.config import Settings
from hegui.service.db.migrate import upgrade
from hegui.service.db.session import make_engine, session_factory
from hegui.service.tasks import TEST_SLOW_ENV
from tests.service.api.conftest import apk
from tests.service.api.test_cli import _cli
from tests.service.live import free_port, live_server

ORG = "Campaign Org"
FOLDER = ("clean", "sdk_no_consent", "bad_truncated")


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    """A live server; (its URL, role → token): a regulator and a developer."""
    data = tmp_path_factory.mktemp("live_campaign")
    settings = Settings(data_dir=data, max_upload_bytes=200_000)
    upgrade(settings.db_url)
    engine = make_engine(settings.db_url)
    tokens = {}
    with session_factory(engine)() as s:
        org = crud.organisations.create_organisation(s, name=ORG)
        for role, org_id in (("regulator", None), ("developer", org.id)):
            user = crud.users.create_user(s, username=role, role=role, organisation_id=org_id)
            tokens[role] = crud.users.create_token(s, user_id=user.id)[1]
        s.commit()
    engine.dispose()
    with live_server(create_app(settings)) as url:
        yield url, tokens


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of three fixture APKs, one of them truncated (refused at upload)."""
    d = tmp_path / "apks"
    d.mkdir()
    for name in FOLDER:
        shutil.copy(apk(name), d / f"{name}.apk")
    return d


def run_campaign(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(_cli(campaign), list(args), env=env or {})


def test_campaign_uploads_a_folder_runs_and_summarises(live, folder):
    url, tokens = live
    base = ("--server", url, "--token", tokens["regulator"], "--organisation", ORG)
    r = run_campaign(*base, "--name", "sweep 1", str(folder))
    assert r.exit_code == 2, r.output  # one upload refused
    assert re.search(r"bad_truncated\.apk: bad_apk: corrupt:", r.stderr)
    out = r.stdout
    assert "'sweep 1': finished" in out and f"{url}/api/v1/campaigns/" in out
    assert re.search(r"^\s+total\s+2\b", out, re.M)
    assert re.search(r"^\s+passing\s+1\b", out, re.M)
    assert re.search(r"^\s+failing\s+1\b", out, re.M)
    assert re.search(r"^\s+needs review\s+0\b", out, re.M)
    assert re.search(r"^\s+failed\s+0\b", out, re.M)
    assert re.search(r"^\s+refused\s+1\b", out, re.M)
    assert "top rules (APKs with a finding):" in out
    assert "candidates for the next notice" in out and "com.hegui.fixture" in out

    r = run_campaign(*base, "--name", "sweep 1 json", "--format", "json", str(folder))
    assert r.exit_code == 2, r.output
    summary = json.loads(r.stdout)
    assert summary["finished"] is True
    assert (summary["total"], summary["passing"], summary["failing"]) == (2, 1, 1)
    assert (summary["needs_review"], summary["failed"]) == (0, 0)
    assert [x["file"] for x in summary["refused"]] == [str(folder / "bad_truncated.apk")]
    assert summary["refused"][0]["error"]["kind"] == "bad_apk"
    assert summary["top_rules"] and all(x["apks"] >= 1 for x in summary["top_rules"])
    assert [c["package"] for c in summary["candidates"]] == [
        u["package"] for u in summary["uploads"] if u["file"].endswith("sdk_no_consent.apk")
    ]
    assert summary["url"] == f"{url}/api/v1/campaigns/{summary['campaign_id']}"


def test_campaign_again_analyses_nothing_new(live, folder):
    url, tokens = live
    base = ("--server", url, "--organisation", ORG, "--format", "json", str(folder))
    env = {"HEGUI_TOKEN": tokens["regulator"]}
    first = json.loads(run_campaign("--name", "first", *base, env=env).stdout)
    r = run_campaign("--name", "again", *base, env=env)
    assert r.exit_code == 2, r.output  # the truncated APK is refused again
    again = json.loads(r.stdout)
    assert again["campaign_id"] != first["campaign_id"]
    assert [u["version_id"] for u in again["uploads"]] == [u["version_id"] for u in first["uploads"]]
    assert not any(u["created"] for u in again["uploads"])
    assert again["finished"] and (again["total"], again["done"], again["skipped"]) == (2, 2, 2)
    assert (again["passing"], again["failing"], again["failed"]) == (1, 1, 0)
    assert again["throughput_per_hour"] == 0.0  # nothing analysed by this campaign


def test_campaign_of_valid_apks_exits_0(live):
    url, tokens = live
    r = run_campaign(
        "--server", url, "--token", tokens["regulator"], "--organisation", ORG, "--name", "one",
        str(apk("clean")), str(apk("clean")),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert re.search(r"^\s+total\s+1\b", r.stdout, re.M) and re.search(r"^\s+passing\s+1\b", r.stdout, re.M)


def test_campaign_shows_its_progress_and_throughput(live, monkeypatch):
    url, tokens = live
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, color_system=None, width=160, highlight=False)
    real = campaign_module._progress_bar  # on stderr only when it is a terminal: here, on a fake one
    monkeypatch.setattr(campaign_module, "_progress_bar", lambda: real(console))
    r = run_campaign(
        "--server", url, "--token", tokens["regulator"], "--organisation", ORG, "--name", "shown",
        str(apk("update_v1")), str(apk("pi_sms")),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    shown = screen.getvalue()
    assert "upload" in shown and re.search(r"campaign \d+ .*2/2 .*failed 0 · [\d.]+ APKs/h", shown)


def test_campaign_not_ended_within_the_timeout_exits_2(live, monkeypatch):
    url, tokens = live
    monkeypatch.setenv(TEST_SLOW_ENV, "3")  # the server's jobs (in this process) pause after the claim
    r = run_campaign(
        "--server", url, "--token", tokens["regulator"], "--organisation", ORG, "--name", "slow",
        "--timeout", "1", "--format", "json", str(apk("pi_location")),
    )  # fmt: skip
    assert r.exit_code == 2, r.output
    summary = json.loads(r.stdout)
    assert summary["finished"] is False and summary["done"] == 0 and summary["total"] == 1
    assert re.search(r"campaign: timeout: not finished after 1 s \(0 of 1\); see http://", r.stderr)


def test_campaign_errors_exit_2(live, tmp_path, folder):
    url, tokens = live
    # campaigns need the regulator role: refused before anything is uploaded
    r = run_campaign("--server", url, "--token", tokens["developer"], "--name", "x", str(folder))
    assert r.exit_code == 2 and "campaign: permission_denied:" in r.stderr and r.stdout == ""
    r = run_campaign("--server", url, "--token", "wrong", "--name", "x", str(folder))
    assert r.exit_code == 2 and "not_authenticated" in r.stderr
    r = run_campaign("--server", url, "--name", "x", str(folder))
    assert r.exit_code == 2 and "HEGUI_TOKEN" in r.stderr
    r = run_campaign("--server", "ftp://x", "--token", "t", "--name", "x", str(folder))
    assert r.exit_code == 2 and "--server: usage:" in r.stderr
    r = run_campaign(
        "--server", f"http://127.0.0.1:{free_port()}", "--token", "t", "--name", "x", str(folder)
    )
    assert r.exit_code == 2 and "campaign: connection:" in r.stderr
    # inputs that name nothing to upload
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run_campaign("--server", url, "--token", tokens["regulator"], "--name", "x", str(empty))
    assert r.exit_code == 2 and "no *.apk file in this folder" in r.stderr and "no APK to upload" in r.stderr
    # a missing path is listed, the rest still runs
    missing = tmp_path / "missing.apk"
    r = run_campaign(
        "--server", url, "--token", tokens["regulator"], "--organisation", ORG, "--name", "x",
        str(missing), str(apk("clean")),
    )  # fmt: skip
    assert r.exit_code == 2 and "missing.apk: io:" in r.stderr
    assert re.search(r"^\s+passing\s+1\b", r.stdout, re.M)
    # every upload refused: no campaign
    r = run_campaign(
        "--server", url, "--token", tokens["regulator"], "--name", "x", str(apk("bad_truncated"))
    )
    assert r.exit_code == 2 and "no campaign started" in r.stderr and r.stdout == ""


def test_campaign_is_a_hegui_command():
    r = CliRunner().invoke(hegui_app, ["campaign", "--help"])
    assert r.exit_code == 0 and "--name" in r.stdout and "--timeout" in r.stdout
