from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.errors import HeguiError
from hegui.policy import PolicyError, load
from hegui.policy.load import MAX_BYTES, detect_format
from hegui.policy.segment import units
from tests.policy.conftest import SAMPLE_HTML, SAMPLE_MD, SAMPLE_TEXT


def test_text_headings_and_paragraphs() -> None:
    doc = load("p.txt", text=SAMPLE_TEXT)
    assert doc.format == "text"
    headings = [doc.block_text(b) for b in doc.blocks if b.kind == "heading"]
    assert "一、我们如何收集和使用您的个人信息" in headings
    para = next(b for b in doc.blocks if "IMEI" in doc.block_text(b))
    assert para.section == "一、我们如何收集和使用您的个人信息"


def test_markdown_table_rows_and_cells() -> None:
    doc = load("p.md", text=SAMPLE_MD)
    assert doc.format == "markdown"
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert len(rows) == 3 and rows[0].header and not rows[1].header
    assert [doc.text[s:e] for s, e in rows[1].cells][0] == "极光推送SDK"
    assert rows[1].section == "第三方SDK目录"


def test_html_cleaning_keeps_tables_and_pre() -> None:
    doc = load("p.html", text=SAMPLE_HTML)
    assert doc.format == "html"
    assert "var imei" not in doc.text and "color:red" not in doc.text
    assert "IP 地址" in doc.text
    row = next(b for b in doc.blocks if b.kind == "row" and not b.header)
    assert doc.text[row.cells[0][0] : row.cells[0][1]] == "个推SDK"
    assert any(b.kind == "heading" and doc.block_text(b) == "三、联系我们" for b in doc.blocks)
    assert "==========" not in doc.text


def test_offsets_index_cleaned_text() -> None:
    for name, text in (("a.txt", SAMPLE_TEXT), ("a.md", SAMPLE_MD), ("a.html", SAMPLE_HTML)):
        doc = load(name, text=text)
        for u in units(doc):
            assert 0 <= u.start < u.end <= len(doc.text)
            assert doc.text[u.start : u.end].strip()


def test_detect_format() -> None:
    assert detect_format("x", "<html><body>x</body></html>") == "html"
    assert detect_format("x.md", "text") == "markdown"
    assert detect_format("x", "# 标题\n正文") == "markdown"
    assert detect_format("x.txt", "正文") == "text"


def test_gb18030_file(tmp_path: Path) -> None:
    p = tmp_path / "gbk.txt"
    p.write_bytes("我们会收集您的手机号码。".encode("gb18030"))
    assert "手机号码" in load(p).text


def test_binary_and_pdf_are_clear_errors(tmp_path: Path) -> None:
    b = tmp_path / "x.bin"
    b.write_bytes(b"\x7fELF\x00\x00\x01" * 100)
    with pytest.raises(PolicyError, match="binary"):
        load(b)
    p = tmp_path / "x.pdf"
    p.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(HeguiError, match="PDF"):
        load(p)


def test_missing_file_and_bad_scheme() -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        load("/nonexistent/policy.txt")
    with pytest.raises(PolicyError, match="scheme"):
        load("file:///etc/passwd")


def test_huge_file_is_refused_without_reading(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no 50 MB written to disk
    with pytest.raises(PolicyError, match="larger than"):
        load(p)


def test_nested_tag_bomb_and_truncated_html_are_fast() -> None:
    import time

    bomb = "<div>" * 200_000 + "我们收集IMEI。" + "</div>" * 10
    started = time.perf_counter()
    doc = load("bomb.html", text=bomb)
    assert "IMEI" in doc.text
    assert time.perf_counter() - started < 5
    doc = load("cut.html", text="<html><body><table><tr><td>个推SDK</td><td>推送")
    assert "个推SDK" in doc.text


def test_empty_policy_warns() -> None:
    assert load("e.txt", text="   \n\n").warnings


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.sampled_from(list("我们收集IMEI，。；\n|#*-<>/tdrp 　\t位置SDK")), max_size=400),
    st.sampled_from(["text", "markdown", "html"]),
)
def test_loader_and_segmenter_never_crash(text: str, fmt: str) -> None:
    doc = load("x", text=text, fmt=fmt)  # type: ignore[arg-type]
    for u in units(doc):
        assert 0 <= u.start <= u.end <= len(doc.text)
    for b in doc.blocks:
        assert doc.text[b.start : b.end] == doc.block_text(b)


def test_url_fetch_over_loopback(tmp_path: Path) -> None:
    import functools
    import http.server
    import threading

    (tmp_path / "p.html").write_text(SAMPLE_HTML, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/p.html"
        doc = load(url)
        assert doc.format == "html" and "个推SDK" in doc.text and doc.source == url
        with pytest.raises(PolicyError, match="cannot fetch"):
            load(f"http://127.0.0.1:{server.server_address[1]}/missing.html")
    finally:
        server.shutdown()
        server.server_close()
