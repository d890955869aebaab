from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import hegui.cli.main as cli
from tests.cli.fake_workers import write_inputs

ROOT = Path(__file__).resolve().parents[2]
LINE_SCHEMA = json.loads((ROOT / "docs" / "schema" / "batch-line.schema.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.usefixtures("fake_batch")


def _run(runner, *args):
    return runner.invoke(cli.app, [str(a) for a in args])


def _lines(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        jsonschema.validate(row, LINE_SCHEMA, cls=jsonschema.Draft202012Validator)
    return rows


def test_batch_with_crash_and_hang(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the summary shows paths relative to the working folder
    write_inputs(
        tmp_path / "in",
        {"a.apk": "ok medium", "b.apk": "crash", "sub/c.apk": "hang", "d.apk": "not_apk", "e.apk": "ok"},
    )
    jsonl = tmp_path / "run.jsonl"
    result = _run(runner, "scan", "in", "--jobs", "2", "--timeout", "3", "--jsonl", jsonl, "--lang", "en")
    assert result.exit_code == 2  # max over APKs: some could not be analysed
    rows = _lines(jsonl)
    assert len(rows) == 5
    by_name = {Path(r["path"]).name: r for r in rows}
    assert by_name["a.apk"]["status"] == "ok" and by_name["a.apk"]["report"]["facts"]["package"]
    assert by_name["b.apk"]["error"]["kind"] == "crash"
    assert by_name["c.apk"]["error"]["kind"] == "timeout"
    assert by_name["d.apk"]["error"] == {"kind": "not_apk", "message": "not a ZIP archive; is this an APK?"}
    # one stderr line per input that could not be analysed, then where the JSONL is
    err = result.stderr.splitlines()
    assert sorted(line.split(": ")[2] for line in err[:-1]) == ["crash", "not_apk", "timeout"]
    assert err[-1] == f"hegui: JSON Lines of this run: {jsonl}"
    assert "Traceback" not in result.output
    # the summary table, in input order
    out = result.stdout
    assert "Batch summary" in out
    names = ["in/a.apk", "in/b.apk", "in/d.apk", "in/e.apk", "in/sub/c.apk"]  # sorted paths
    positions = [out.index(n) for n in names]
    assert positions == sorted(positions)
    assert "5 files: 2 analysed, 3 could not be analysed" in out


@pytest.mark.parametrize(
    ("contents", "fail_on", "code"),
    [
        (["ok", "ok low"], "high", 0),
        (["ok", "ok high"], "high", 1),
        (["ok medium", "ok low"], "medium", 1),
        (["ok critical", "ok"], "never", 0),
        (["ok critical", "boom"], "never", 2),
    ],
)
def test_batch_exit_code_is_the_max(runner, tmp_path, contents, fail_on, code) -> None:
    paths = write_inputs(tmp_path / "in", {f"{i}.apk": c for i, c in enumerate(contents)})
    result = _run(runner, "scan", *paths, "--fail-on", fail_on, "--jsonl", tmp_path / "r.jsonl", "-q")
    assert result.exit_code == code, result.output


def test_batch_json_writes_json_lines(runner, tmp_path) -> None:
    write_inputs(tmp_path / "in", {"a.apk": "ok high", "b.apk": "boom", "c.apk": "ok"})
    jsonl = tmp_path / "run.jsonl"
    result = _run(runner, "scan", tmp_path / "in", "--format", "json", "--jsonl", jsonl, "-j", "3")
    assert result.exit_code == 2
    stdout_rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(stdout_rows) == 3
    assert sorted(r["status"] for r in stdout_rows) == ["error", "ok", "ok"]
    assert stdout_rows == _lines(jsonl)
    boom = next(r for r in stdout_rows if r["status"] == "error")
    assert boom["error"]["kind"] == "internal"
    # the summary goes to stderr so stdout stays pure JSON Lines
    assert "批量检测汇总" in result.stderr


def test_batch_json_to_out_file(runner, tmp_path) -> None:
    write_inputs(tmp_path / "in", {"a.apk": "ok", "b.apk": "ok"})
    out = tmp_path / "out.jsonl"
    result = _run(
        runner, "scan", tmp_path / "in", "-f", "json", "-o", out, "--jsonl", tmp_path / "r.jsonl", "-q"
    )
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""
    assert len(_lines(out)) == 2


def test_batch_text_summary_to_out_file(runner, tmp_path) -> None:
    write_inputs(tmp_path / "in", {"a.apk": "ok", "b.apk": "ok high"})
    out = tmp_path / "summary.txt"
    result = _run(runner, "scan", tmp_path / "in", "-o", out, "--jsonl", tmp_path / "r.jsonl")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "批量检测汇总" in out.read_text(encoding="utf-8")


def test_default_jsonl_goes_to_hegui_out(runner, tmp_path, monkeypatch) -> None:
    paths = write_inputs(tmp_path / "in", {"a.apk": "ok", "b.apk": "ok"})
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # two runs in the same second do not overwrite each other
        assert _run(runner, "scan", *paths).exit_code == 0
    files = sorted((tmp_path / "hegui-out").glob("scan-*.jsonl"))
    assert len(files) == 2
    assert all(len(_lines(f)) == 2 for f in files)


def test_missing_and_empty_inputs_in_batch(runner, tmp_path) -> None:
    paths = write_inputs(tmp_path / "in", {"a.apk": "ok"})
    (tmp_path / "empty").mkdir()
    jsonl = tmp_path / "r.jsonl"
    result = _run(runner, "scan", *paths, tmp_path / "gone.apk", tmp_path / "empty", "--jsonl", jsonl)
    assert result.exit_code == 2
    rows = _lines(jsonl)
    assert [r["status"] for r in rows] == ["error", "error", "ok"]
    assert f"hegui: {tmp_path / 'gone.apk'}: io: no such file or folder" in result.stderr.splitlines()


def test_a_folder_is_batch_even_with_one_apk(runner, tmp_path) -> None:
    write_inputs(tmp_path / "in", {"a.apk": "ok"})
    jsonl = tmp_path / "r.jsonl"
    result = _run(runner, "scan", tmp_path / "in", "--jsonl", jsonl)
    assert result.exit_code == 0
    assert len(_lines(jsonl)) == 1


def test_jsonl_that_cannot_be_written(runner, tmp_path) -> None:
    paths = write_inputs(tmp_path / "in", {"a.apk": "ok", "b.apk": "ok"})
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = _run(runner, "scan", *paths, "--jsonl", blocker / "r.jsonl")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "cannot write the JSON Lines file" in result.stderr


def test_plugin_formats_are_single_apk_only(runner, tmp_path, monkeypatch) -> None:
    paths = write_inputs(tmp_path / "in", {"a.apk": "ok", "b.apk": "ok"})
    monkeypatch.setattr(cli, "get_formatter", lambda name: cli.json_formatter)
    result = _run(runner, "scan", *paths, "--format", "sarif")
    assert result.exit_code == 2
    assert "use text or json in batch mode" in result.stderr
