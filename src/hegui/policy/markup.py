"""Markup into blocks: the line parser (plain text and Markdown) and the HTML parser (stdlib
``html.parser``, which does not recurse, so deeply nested tags cost nothing). Both append to a
:class:`Builder` that writes the cleaned text, one block per line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

CELL_SEP = " | "


@dataclass(frozen=True)
class Block:
    """One line of the cleaned text: a heading, a paragraph or a table row."""

    kind: Literal["heading", "para", "row"]
    start: int
    end: int
    section: str | None
    cells: tuple[tuple[int, int], ...] = ()  # (start, end) of each cell of a row
    header: bool = False  # the row is a table header (th cells, or the row above a |---| line)
    table: int = -1  # index of the table a row belongs to


class Builder:
    """Appends lines to the cleaned text, recording blocks and the current section."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.blocks: list[Block] = []
        self.section: str | None = None
        self.table = -1
        self.in_table = False

    def _add(self, s: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(s)
        self.parts.append("\n")
        self.pos += len(s) + 1
        return start, start + len(s)

    def heading(self, text: str) -> None:
        text = _norm_ws(text)
        if not text:
            return
        self.in_table = False
        s, e = self._add(text)
        self.section = text[:120]
        self.blocks.append(Block("heading", s, e, self.section))

    def para(self, text: str) -> None:
        text = _norm_ws(text)
        if not text:
            return
        self.in_table = False
        s, e = self._add(text)
        self.blocks.append(Block("para", s, e, self.section))

    def row(self, cells: list[str], header: bool = False) -> None:
        cells = [_norm_ws(c) for c in cells]
        if not any(cells):
            return
        if not self.in_table:
            self.table += 1
            self.in_table = True
        spans: list[tuple[int, int]] = []
        pieces: list[str] = []
        off = self.pos
        for i, c in enumerate(cells):
            if i:
                pieces.append(CELL_SEP)
                off += len(CELL_SEP)
            pieces.append(c)
            spans.append((off, off + len(c)))
            off += len(c)
        s, e = self._add("".join(pieces))
        self.blocks.append(Block("row", s, e, self.section, tuple(spans), header, self.table))

    def end_table(self) -> None:
        self.in_table = False

    def text(self) -> str:
        return "".join(self.parts)


_WS = re.compile(r"[ \t\u3000\xa0\u200b\ufeff]+")
_INLINE_MD = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|`|!?\[([^\]\n]*)\]\([^)\n]*\)")


def _norm_ws(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _md_inline(s: str) -> str:
    return _INLINE_MD.sub(lambda m: m.group(1) or "", s)


_NUM_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十百零\d]+[章节条部分篇]|[一二三四五六七八九十]+[、.．]|"
    r"[（(][一二三四五六七八九十]+[)）]|\d{1,2}(?:\.\d{1,2})*[、.．]?\s*(?=\D))"
)
_SENT_END = re.compile(r"[。；;！!？?，,：:]\s*\S|[。；;！!？?，,]\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{1,60})(?:\*\*|__)[:：]?\s*$")
_LIST = re.compile(r"^\s*(?:[-*+•·●▪]|\d{1,3}[.)])\s+")


def _is_text_heading(line: str) -> bool:
    return len(line) <= 40 and not _SENT_END.search(line) and bool(_NUM_HEADING.match(line))


def lines_into(b: Builder, text: str, markdown: bool) -> None:
    """Plain text / Markdown lines into blocks (Markdown syntax is recognised in both: CA4P
    ``<pre>`` text uses ``##`` headings)."""
    lines = text.splitlines()
    in_fence = False
    i = 0
    if markdown and lines and lines[0].strip() == "---":  # front matter
        for j in range(1, min(len(lines), 60)):
            if lines[j].strip() == "---":
                i = j + 1
                break
    while i < len(lines):
        raw = lines[i]
        i += 1
        line = raw.strip()
        if line.startswith("```") or line.startswith("~~~"):
            in_fence = not in_fence
            b.end_table()
            continue
        if in_fence or not line:
            if not line:
                b.end_table()
            continue
        if line.startswith("==========") or set(line) <= set("-=*_ "):
            b.end_table()
            continue
        m = _MD_HEADING.match(line)
        if m:
            b.heading(_md_inline(m.group(2).rstrip("# ")))
            continue
        if markdown and line[:6].lower() == "<table":  # raw HTML table inside Markdown
            j = i - 1
            while j < len(lines) - 1 and j - i < 20000 and "</table" not in lines[j].lower():
                j += 1
            html = Html(b)
            html.feed("\n".join(lines[i - 1 : j + 1]))
            html.finish()
            b.end_table()
            i = j + 1
            continue
        if (
            line.startswith("|")
            or (markdown and line.count("|") >= 2 and "|" in line[1:])
            or (b.in_table and "|" in line[1:-1])  # a continuation row of a table
        ):
            if _MD_TABLE_SEP.match(line):
                continue
            cells = [_md_inline(c) for c in line.strip().strip("|").split("|")]
            header = i < len(lines) and bool(_MD_TABLE_SEP.match(lines[i]))
            b.row(cells, header)
            continue
        if "\t" in line and sum(1 for c in line.split("\t") if c.strip()) >= 2:
            b.row([c for c in line.split("\t") if c.strip()])
            continue
        m = _BOLD_LINE.match(line)
        if m:
            b.heading(m.group(1))
            continue
        if line.startswith(("!!!", "???")):  # MkDocs admonition title
            continue
        clean = _md_inline(_LIST.sub("", line, count=1)) if markdown or line[0] in "-*•" else line
        if _is_text_heading(clean):
            b.heading(clean)
        else:
            b.para(clean)


_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "section",
        "article",
        "header",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "thead",
        "tbody",
        "blockquote",
        "dd",
        "dt",
        "dl",
        "hr",
        "title",
        "center",
    }
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})


class Html(HTMLParser):
    def __init__(self, b: Builder) -> None:
        super().__init__(convert_charrefs=True)
        self.b = b
        self.buf: list[str] = []
        self.skip = 0
        self.pre = 0
        self.heading = False
        self.cells: list[str] | None = None
        self.cell: list[str] | None = None
        self.header_row = False

    def _flush(self) -> None:
        text = "".join(self.buf)
        self.buf = []
        if not text.strip():
            return
        if self.pre:
            lines_into(self.b, text, markdown=True)
        elif self.heading:
            self.b.heading(text)
        else:
            for line in text.split("\n"):
                (self.b.heading if _is_text_heading(_norm_ws(line)) else self.b.para)(line)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
            return
        if self.cell is not None:
            if tag == "br" or tag in ("p", "div", "li"):
                self.cell.append(" ")
            return
        if tag in ("td", "th") and self.cells is not None:
            self.cell = []
            self.header_row |= tag == "th"
            return
        if tag == "tr":
            self._flush()
            self.cells, self.header_row = [], False
            return
        if tag == "pre":
            self._flush()
            self.pre += 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            self.heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
            if tag == "table":
                self.b.end_table()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if tag in ("td", "th") and self.cell is not None and self.cells is not None:
            self.cells.append("".join(self.cell))
            self.cell = None
            return
        if tag == "tr" and self.cells is not None:
            if self.cell is not None:
                self.cells.append("".join(self.cell))
                self.cell = None
            self.b.row(self.cells, self.header_row)
            self.cells = None
            return
        if self.cell is not None:
            return
        if tag == "pre":
            self._flush()
            self.pre = max(0, self.pre - 1)
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            self.heading = False
            if tag == "table":
                self.b.end_table()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.buf.append(data)

    def finish(self) -> None:
        self.close()
        if self.cells is not None:
            if self.cell is not None:
                self.cells.append("".join(self.cell))
            self.b.row(self.cells, self.header_row)
        self._flush()
