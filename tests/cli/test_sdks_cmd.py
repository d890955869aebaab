"""``hegui sdks`` and the SDK/startup sections of the text report."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from hegui.cli.main import app
from hegui.knowledge import sdks

runner = CliRunner()


def test_sdks_stats_json_counts_match_catalogue():
    result = runner.invoke(app, ["sdks", "--stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == len(sdks())
    assert data["chinese"] == sum(1 for s in sdks().values() if s.chinese)
    assert sum(data["by_category"].values()) == data["total"]


def test_sdks_filter_by_country_json():
    result = runner.invoke(app, ["sdks", "--country", "cn", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert all(r["country"] == "CN" for r in rows)
    assert len(rows) == sum(1 for s in sdks().values() if s.country == "CN")


def test_scan_text_shows_startup_chain(fixture_apk):
    result = runner.invoke(app, ["scan", str(fixture_apk("app_startup")), "--lang", "en", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert "Code run at startup (before consent)" in result.output
    assert "InitProvider.onCreate() → DeviceInfo.collect(Context)" in result.output
