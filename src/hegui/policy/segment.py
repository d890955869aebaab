"""Split a cleaned :class:`PolicyDocument` into units: sentences, table cells and headings, each
with offsets into the cleaned text, and clauses (the scope of a negation)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from hegui.policy.load import Block, PolicyDocument
from hegui.policy.model import Evidence

MAX_SENTENCE = 600  # longer runs without punctuation are cut (evidence stays readable)

_SENT = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+|$)")
_CLAUSE_BREAK = re.compile(
    r"[，,。；;！!？?：:\n]|但是|但(?!不限于)|然而|除非|否则|此外|同时|另外"
    r"|\d+\.\d+(?:\.\d+)*|[（(]\d{1,2}[)）]"  # numbering run into the text ("…锁屏4.1.19 剪切板")
)


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    kind: Literal["sentence", "table_cell", "heading"]
    section: str | None
    block: int  # index into PolicyDocument.blocks
    cell: int = -1  # column of a table cell


def _sentences(start: int, text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s] in " \t":
            s += 1
        while e > s and text[e - 1] in " \t":
            e -= 1
        while e - s > MAX_SENTENCE:
            out.append((start + s, start + s + MAX_SENTENCE))
            s += MAX_SENTENCE
        if e > s:
            out.append((start + s, start + e))
    return out


def units(doc: PolicyDocument) -> list[Unit]:
    out: list[Unit] = []
    text = doc.text
    for i, b in enumerate(doc.blocks):
        if b.kind == "heading":
            out.append(Unit(b.start, b.end, "heading", b.section, i))
        elif b.kind == "row":
            for c, (s, e) in enumerate(b.cells):
                if e > s:
                    out.append(Unit(s, e, "table_cell", b.section, i, c))
        else:
            for s, e in _sentences(b.start, text[b.start : b.end]):
                out.append(Unit(s, e, "sentence", b.section, i))
    return out


def clause_start(text: str, start: int, pos: int) -> int:
    """Start of the clause holding ``pos`` (a comma, colon or semicolon ends a clause)."""
    last = start
    for m in _CLAUSE_BREAK.finditer(text, start, pos):
        last = m.end()
    return last


def clause_end(text: str, pos: int, end: int) -> int:
    m = _CLAUSE_BREAK.search(text, pos, end)
    return m.start() if m else end


def evidence(doc: PolicyDocument, u: Unit) -> Evidence:
    return Evidence(text=doc.text[u.start : u.end], start=u.start, end=u.end, section=u.section, kind=u.kind)


def block_of(doc: PolicyDocument, u: Unit) -> Block:
    return doc.blocks[u.block]
