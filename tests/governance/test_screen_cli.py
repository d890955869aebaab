"""``hegui screen``: JSON Lines in and out, bad lines as error records, the threshold report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hegui.cli.main import app

runner = CliRunner()


def run(args: list[str], stdin: bytes | str | None = None):
    result = runner.invoke(app, ["screen", *args], input=stdin)
    return result, [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_plain_lines_from_stdin() -> None:
    result, rows = run([], "同城约炮，加薇 lily520\n\n今天天气真好\n")
    assert result.exit_code == 0, result.output
    assert [r["line"] for r in rows] == [1, 3]
    assert rows[0]["labels"] == ["porn"] and rows[1]["labels"] == []
    assert rows[0]["categories"]["porn"]["label"] is True
    assert all({"start", "end", "text", "signal", "category"} <= set(e) for e in rows[0]["evidence"])


def test_json_lines_with_ids_and_bad_lines(tmp_path: Path) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_bytes(
        "\n".join(
            [
                json.dumps({"id": "a1", "text": "电子烟批发 私聊"}, ensure_ascii=False),
                "{not json",
                json.dumps({"id": 2, "text": 5}),
                json.dumps({"id": 3}),
                "[1, 2]",
                json.dumps([1, 2]).replace("[", "{", 0),
                '{"text": "ok"}',
            ]
        ).encode()
        + b"\n\xff\xfe bad utf-8\n"
    )
    result, rows = run([str(posts)])
    assert result.exit_code == 0, result.output
    assert rows[0]["id"] == "a1" and rows[0]["labels"] == ["prohibited_goods"]
    assert "invalid JSON" in rows[1]["error"]
    assert rows[2]["id"] == 2 and "not a string" in rows[2]["error"]
    assert "missing" in rows[3]["error"]
    assert rows[4]["labels"] == []  # "[1, 2]" is a plain post, not JSON
    assert rows[-2]["labels"] == []
    assert "UTF-8" in rows[-1]["error"]
    assert "Traceback" not in result.output


def test_evidence_spans_index_the_input_line() -> None:
    text = "接.码.平.台，驗證碼秒到 ＶＸ：ａｂ１２"
    _, rows = run([], json.dumps({"text": text}, ensure_ascii=False) + "\n")
    assert rows[0]["labels"] == ["black_market"]
    for e in rows[0]["evidence"]:
        assert text[e["start"] : e["end"]] == e["text"]


def test_threshold_report_on_stderr() -> None:
    result = runner.invoke(app, ["screen", "--threshold-report"], input="约炮 加v\n{bad\n")
    assert result.exit_code == 0
    assert "hegui screen: 2 posts, 1 errors" in result.stderr
    assert "porn.solicitation" in result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_unknown_format_screener_or_file_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["screen", "--format", "csv"], input="x\n").exit_code == 2
    assert runner.invoke(app, ["screen", "--screener", "nope"], input="x\n").exit_code == 2
    result = runner.invoke(app, ["screen", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_huge_line_is_truncated_not_hung() -> None:
    line = "约炮" + "啊" * 2_000_000
    result, rows = run([], line + "\n")
    assert result.exit_code == 0
    assert rows[0]["truncated"] is True and "note" in rows[0]
