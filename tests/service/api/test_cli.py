"""``hegui submit`` against a live uvicorn server on a free loopback port (SQLite, in-process jobs
scanning in child processes, as ``hegui serve`` runs them); ``hegui serve``'s refusal off loopback."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import httpx
import pytest
import typer
import uvicorn
from typer.testing import CliRunner

from hegui.cli.serve import is_loopback, serve
from hegui.cli.submit import submit
from hegui.service import crud
from hegui.service.app import create_app
from hegui.service.config import Settings
from hegui.service.db.migrate import upgrade
from hegui.service.db.session import make_engine, session_factory
from tests.service.api.conftest import apk
from tests.service.live import free_port, live_server


def _cli(command) -> typer.Typer:
    app = typer.Typer()
    app.command()(command)
    return app


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    """A live server; (its URL, role → token)."""
    data = tmp_path_factory.mktemp("live")
    settings = Settings(data_dir=data, max_upload_bytes=200_000)
    upgrade(settings.db_url)
    engine = make_engine(settings.db_url)
    tokens = {}
    with session_factory(engine)() as s:
        org = crud.organisations.create_organisation(s, name="Live Org")
        for name, role, org_id in (("dev", "developer", org.id), ("store", "store", None)):
            user = crud.users.create_user(s, username=name, role=role, organisation_id=org_id)
            tokens[name] = crud.users.create_token(s, user_id=user.id)[1]
        s.commit()
    engine.dispose()
    with live_server(create_app(settings)) as url:
        yield url, tokens


def run_submit(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(_cli(submit), list(args), env=env or {})


def test_submit_waits_for_verdicts_and_exits_like_scan(live):
    url, tokens = live
    r = run_submit("--server", url, "--token", tokens["dev"], "--wait", str(apk("clean")))
    assert r.exit_code == 0, r.output
    assert "com.hegui.fixture.clean 1.0 (1): pass" in r.stdout
    assert f"{url}/api/v1/versions/" in r.stdout

    r = run_submit(
        "--server",
        url,
        "--wait",
        "--format",
        "json",
        str(apk("sdk_no_consent")),
        str(apk("clean")),
        env={"HEGUI_TOKEN": tokens["dev"]},
    )
    assert r.exit_code == 1, r.output
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["verdict"] for x in lines] == ["fail", "pass"]
    assert lines[1]["created"] is False and lines[0]["links"]["report_html"].startswith(url)

    r = run_submit(
        "--server", url, "--token", tokens["dev"], "--wait", "--fail-on", "never", str(apk("sdk_no_consent"))
    )
    assert r.exit_code == 0
    r = run_submit(
        "--server",
        url,
        "--token",
        tokens["dev"],
        "--wait",
        "--fail-on",
        "needs-review",
        str(apk("update_v1")),
    )
    assert r.exit_code == 1 and "needs-review" in r.stdout


def test_submit_without_wait_reports_the_submission(live):
    url, tokens = live
    r = run_submit("--server", url, "--token", tokens["dev"], str(apk("pi_sms")))
    assert r.exit_code == 0, r.output
    assert "submitted" in r.stdout or "com.hegui.fixture.sms" in r.stdout


def test_submit_errors_are_one_line_and_exit_2(live, tmp_path):
    url, tokens = live
    r = run_submit(
        "--server", url, "--token", tokens["dev"], "--wait", str(apk("bad_truncated")), str(apk("clean"))
    )
    assert r.exit_code == 2
    assert "bad_truncated.apk: bad_apk: corrupt:" in r.stderr
    assert ": pass" in r.stdout  # the other APK was still submitted
    r = run_submit("--server", url, "--token", tokens["store"], str(apk("clean")))
    assert r.exit_code == 2 and "permission_denied" in r.stderr
    r = run_submit("--server", url, "--token", "wrong", str(apk("clean")))
    assert r.exit_code == 2 and "not_authenticated" in r.stderr
    r = run_submit("--server", url, str(apk("clean")))
    assert r.exit_code == 2 and "HEGUI_TOKEN" in r.stderr
    r = run_submit("--server", url, "--token", "t", str(tmp_path / "missing.apk"))
    assert r.exit_code == 2 and "missing.apk: io:" in r.stderr
    r = run_submit("--server", "ftp://x", "--token", "t", str(apk("clean")))
    assert r.exit_code == 2
    r = run_submit("--server", f"http://127.0.0.1:{free_port()}", "--token", "t", str(apk("clean")))
    assert r.exit_code == 2 and "connection" in r.stderr
    big = tmp_path / "big.apk"
    big.write_bytes(b"\0" * 300_000)
    r = run_submit("--server", url, "--token", tokens["dev"], str(big))
    assert r.exit_code == 2 and "too_large" in r.stderr


POLICY = "# 隐私政策\n\n为向您展示附近的门店，我们会收集您的位置信息。\n\n## 联系我们\n\n请发送邮件至 privacy@example.com。\n"


def test_submit_with_a_policy_checks_the_apk_against_it(live, tmp_path):
    """``--policy``: the job (in a child process, as ``hegui serve`` runs it) scans against the policy."""
    url, tokens = live
    policy = tmp_path / "privacy.md"
    policy.write_text(POLICY, encoding="utf-8")
    args = ("--server", url, "--token", tokens["dev"], "--wait", "--format", "json", str(apk("sdk_umeng")))
    r = run_submit(*args[:-1], "--policy", str(policy), args[-1])
    assert r.exit_code == 1, r.output  # fail: the policy does not state the SDK
    (line,) = [json.loads(x) for x in r.stdout.splitlines()]
    assert (
        line["created"] is True and line["policy_sha256"] == hashlib.sha256(policy.read_bytes()).hexdigest()
    )
    result = httpx.get(
        line["links"]["result"], headers={"Authorization": f"Bearer {tokens['dev']}"}, timeout=30
    ).json()
    rules = {f["rule_id"] for f in result["report"]["findings"]}
    assert "HG-POL-005" not in rules and "HG-POL-002" in rules
    assert result["report"]["facts"]["policy_source"]["path"] == "privacy.md"
    again = run_submit(*args[:-1], "--policy", str(policy), args[-1])
    assert json.loads(again.stdout)["created"] is False  # the same APK and policy: the same analysis
    plain = run_submit(*args)
    assert json.loads(plain.stdout)["policy_sha256"] is None and json.loads(plain.stdout)["created"] is True


def test_submit_policy_errors(live, tmp_path):
    url, tokens = live
    base = ("--server", url, "--token", tokens["dev"])
    r = run_submit(*base, "--policy", "https://example.com/privacy", str(apk("clean")))
    assert r.exit_code == 2 and "--policy: usage: give a file, not a URL" in r.stderr
    r = run_submit(*base, "--policy", str(tmp_path / "none.html"), str(apk("clean")))
    assert r.exit_code == 2 and "no such file" in r.stderr
    pdf = tmp_path / "privacy.pdf"
    pdf.write_bytes(b"%PDF-1.4\n...")
    r = run_submit(*base, "--policy", str(pdf), str(apk("clean")))
    assert r.exit_code == 2 and "invalid_input" in r.stderr and "PDF" in r.stderr


def test_serve_refuses_a_public_host_without_a_secret_key(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append((a, kw)))
    env = {"HEGUI_DATA_DIR": str(tmp_path / "d"), "HEGUI_SECRET_KEY": ""}
    r = CliRunner().invoke(_cli(serve), ["--host", "0.0.0.0"], env=env)
    assert r.exit_code == 2 and "HEGUI_SECRET_KEY" in r.stderr and calls == []
    r = CliRunner().invoke(_cli(serve), ["--host", "127.0.0.1", "--port", "8123", "--workers", "2"], env=env)
    assert r.exit_code == 0, r.output
    ((args, kw),) = calls
    assert args == ("hegui.service.app:create_app",) and kw["factory"] is True
    assert (kw["host"], kw["port"], kw["workers"]) == ("127.0.0.1", 8123, 2)
    assert (tmp_path / "d" / "hegui.db").is_file()  # migrated before the workers start
    r = CliRunner().invoke(_cli(serve), ["--host", "0.0.0.0"], env={**env, "HEGUI_SECRET_KEY": "k" * 40})
    assert r.exit_code == 0 and len(calls) == 2


def test_is_loopback():
    assert all(map(is_loopback, ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost")))
    assert not any(map(is_loopback, ("0.0.0.0", "::", "10.0.0.1", "example.com", "localhost.evil.com")))
