"""The dashboard: tested, failing, notified, rectified, removed — totals, by month, by notice batch."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from markupsafe import Markup

from hegui.service import crud
from hegui.service.web import charts
from tests.service.web.conftest import WebEnv


def _tiles(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-metric="(\w+)"><div class="n">(\d+)</div>', html)}


def test_totals_charts_and_batches(web: WebEnv, reports: dict[str, dict[str, Any]]) -> None:
    bad, _v, _r = web.seed_result(reports["sdk_no_consent"])
    web.seed_result(reports["clean"])
    removed, _v2, _r2 = web.seed_result(reports["sdk_no_consent"], package="com.other.bad", seed="2")
    web.notice([bad, removed], number="2026年第1批", publish=True)
    with web.sessions() as s:
        crud.removals.remove_app(s, app_id=removed, reason="逾期未整改", actor_id=web.ids["regulator"])
        s.commit()
    html = web.as_role("store").get("/dashboard").text
    assert _tiles(html) == {"tested": 3, "failing": 2, "notified": 2, "rectified": 0, "removed": 1}
    assert html.count('<svg class="chart dash-chart"') == 2
    month = date.today().strftime("%Y-%m")
    assert f">{month}</text>" in html
    assert ">2026年第1批</text>" in html  # the batch's bar
    assert "<title>已下架: 1</title>" in html and "<title>整改中: 1</title>" in html
    assert "<script>" not in html  # charts are SVG drawn by the server, no JS library


def test_an_empty_dashboard(web: WebEnv) -> None:
    html = web.as_role("reviewer").get("/dashboard?lang=en").text
    assert "No data yet." in html and "No published notice yet." in html
    assert set(_tiles(html).values()) == {0}


def test_charts_escape_their_labels() -> None:
    evil = "<script>alert(1)</script>"
    svg = charts.month_chart(["2026-01"], [(evil, "#000", [3])], title=evil)
    assert isinstance(svg, Markup) and "<script>" not in svg and "&lt;script&gt;" in svg
    svg = charts.batch_chart([(evil, [(evil, "#000", 2)])], title=evil)
    assert "<script>" not in svg
    assert "<script>" not in charts.legend([(evil, "#000")])


def test_month_chart_scales() -> None:
    svg = charts.month_chart(["a", "b"], [("s", "#000", [0, 1234])], title="t")
    assert ">1500</text>" in svg or ">1250</text>" in svg  # a round top tick above the largest value
    assert charts.month_chart([], [], title="t").startswith("<svg")
