from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

import hegui.report as report_pkg
from hegui.errors import FormatterError
from hegui.report import FORMATTERS, Formatter, available_formatters, get_formatter, plugin_problems
from hegui.report.model import Report


class UpperFormatter:
    name = "upper"

    def render(self, report: Report, *, lang: str = "zh") -> str:
        return report.facts.package.upper()


upper = UpperFormatter()
no_render = object()


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch):
    eps = [
        EntryPoint(name="upper", value="tests.report.test_registry:upper", group="hegui.formatters"),
        EntryPoint(name="cls", value="tests.report.test_registry:UpperFormatter", group="hegui.formatters"),
        EntryPoint(name="broken", value="tests.report.no_such_module:x", group="hegui.formatters"),
        EntryPoint(name="norender", value="tests.report.test_registry:no_render", group="hegui.formatters"),
        EntryPoint(name="json", value="tests.report.test_registry:upper", group="hegui.formatters"),
    ]
    monkeypatch.setattr(report_pkg, "entry_points", lambda group: eps if group == "hegui.formatters" else [])
    report_pkg._plugins.cache_clear()
    yield
    report_pkg._plugins.cache_clear()


def test_builtin_formatters() -> None:
    assert list(FORMATTERS) == ["text", "json", "sarif", "html", "pdf", "dual-list-md", "dual-list-html", "dual-list-csv"]
    for name, fmt in FORMATTERS.items():
        assert fmt.name == name
        assert isinstance(fmt, Formatter)


@pytest.mark.parametrize("name", ["text", "json"])
def test_every_builtin_returns_a_string(report: Report, name: str) -> None:
    for lang in ("zh", "en"):
        out = get_formatter(name).render(report, lang=lang)
        assert isinstance(out, str) and out


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(FormatterError, match="unknown output format 'nope'; choose one of: text, json"):
        get_formatter("nope")


@pytest.mark.usefixtures("plugins")
def test_plugins_load_lazily_and_safely(report: Report) -> None:
    formatters = available_formatters()
    assert list(formatters) == [*FORMATTERS, "cls", "upper"]
    assert formatters["json"] is FORMATTERS["json"]  # a plugin cannot replace a built-in
    assert get_formatter("upper").render(report) == "COM.EXAMPLE.SHOP"
    assert get_formatter("cls").render(report) == "COM.EXAMPLE.SHOP"
    problems = "\n".join(plugin_problems())
    assert "'broken'" in problems and "cannot be loaded" in problems
    assert "'norender'" in problems and "no render" in problems
    assert "'json'" in problems and "already taken" in problems
