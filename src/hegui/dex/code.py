"""Dalvik bytecode: instruction widths, exact walking, and a fast candidate search.

Decoding every instruction of a large app in Python is too slow, so call sites are found in two
steps: a regular expression over the raw bytes finds *candidate* positions where an instruction
of the right opcode could reference a target index (zero-width look-ahead, so overlapping
candidates are all seen); then only the methods that contain a candidate are walked instruction
by instruction from their start, which tells real instructions from look-alike bytes inside
operands or switch/array payloads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hegui.errors import DexError

# Width in 16-bit code units of each opcode, by instruction format.
_W1 = (
    [0x00, 0x01, 0x04, 0x07, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x1D, 0x1E]
    + [0x21, 0x27, 0x28, 0x73, 0x79, 0x7A]
    + list(range(0x3E, 0x44))
    + list(range(0x7B, 0x90))
    + list(range(0xB0, 0xD0))
    + list(range(0xE3, 0xFA))
)
_W3 = [0x03, 0x06, 0x09, 0x14, 0x17, 0x1B, 0x24, 0x25, 0x26, 0x2A, 0x2B, 0x2C, 0xFC, 0xFD]
_W3 += list(range(0x6E, 0x73)) + list(range(0x74, 0x79))
WIDTH = [2] * 256
for _op in _W1:
    WIDTH[_op] = 1
for _op in _W3:
    WIDTH[_op] = 3
WIDTH[0x18] = 5  # const-wide (51l)
WIDTH[0xFA] = 4  # invoke-polymorphic (45cc)
WIDTH[0xFB] = 4  # invoke-polymorphic/range (4rcc)

INVOKE_OPS = frozenset([*range(0x6E, 0x73), *range(0x74, 0x79), 0xFA, 0xFB])
SGET_OPS = frozenset(range(0x60, 0x67))
CONST_STRING = 0x1A
CONST_STRING_JUMBO = 0x1B

_INVOKE_CLASS = rb"[\x6e-\x72\x74-\x78\xfa\xfb]"
_SGET_CLASS = rb"[\x60-\x66]"


@dataclass(frozen=True, slots=True)
class Ref:
    """One instruction that references a method, field or string by index."""

    kind: str  # invoke | field | string
    index: int
    pc: int  # offset in code units from the start of the method's instructions


def _alternation(indices: Iterable[int]) -> bytes:
    return b"|".join(re.escape(i.to_bytes(2, "little")) for i in sorted(indices))


def candidate_pattern(
    methods: Iterable[int], fields: Iterable[int], strings: Iterable[int]
) -> re.Pattern[bytes] | None:
    """A pattern whose match starts are the possible instructions referencing the targets.

    Matches can overlap: use :func:`candidates`, which restarts one byte after each match.
    """
    parts: list[bytes] = []
    methods, fields, strings = list(methods), list(fields), list(strings)
    if methods:
        parts.append(_INVOKE_CLASS + rb"." + rb"(?:" + _alternation(methods) + rb")")
    if fields:
        parts.append(_SGET_CLASS + rb"." + rb"(?:" + _alternation(fields) + rb")")
    small = [s for s in strings if s < 0x10000]
    if small:
        parts.append(rb"\x1a." + rb"(?:" + _alternation(small) + rb")")
    if strings:
        jumbo = b"|".join(re.escape(s.to_bytes(4, "little")) for s in sorted(strings))
        parts.append(rb"\x1b." + rb"(?:" + jumbo + rb")")
    if not parts:
        return None
    return re.compile(b"|".join(parts), re.DOTALL)


def candidates(pattern: re.Pattern[bytes], data: bytes) -> list[int]:
    """Even start offsets of every (possibly overlapping) match of ``pattern`` in ``data``."""
    out: list[int] = []
    search = pattern.search
    m = search(data, 0)
    while m is not None:
        start = m.start()
        if not start & 1:
            out.append(start)
        m = search(data, start + 1)
    return out


def walk(data: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield (byte offset, opcode) of every real instruction in ``data[start:end]``.

    Switch and array payloads (pseudo-instructions behind a ``nop`` opcode) are skipped whole.
    """
    pos = start
    width = WIDTH
    while pos < end:
        op = data[pos]
        if op == 0x00:
            ident = data[pos + 1]
            if ident == 0x01:  # packed-switch-payload
                size = int.from_bytes(data[pos + 2 : pos + 4], "little")
                pos += (size * 2 + 4) * 2
                continue
            if ident == 0x02:  # sparse-switch-payload
                size = int.from_bytes(data[pos + 2 : pos + 4], "little")
                pos += (size * 4 + 2) * 2
                continue
            if ident == 0x03:  # fill-array-data-payload
                elem = int.from_bytes(data[pos + 2 : pos + 4], "little")
                size = int.from_bytes(data[pos + 4 : pos + 8], "little")
                pos += ((size * elem + 1) // 2 + 4) * 2
                continue
        yield pos, op
        pos += width[op] * 2


def refs_in(
    data: bytes,
    start: int,
    end: int,
    methods: frozenset[int] | set[int],
    fields: frozenset[int] | set[int],
    strings: frozenset[int] | set[int],
) -> list[Ref]:
    """Exact references to the target indices in one method's instructions."""
    out: list[Ref] = []
    if end > len(data) or start > end:
        raise DexError(f"instructions at {start:#x}..{end:#x} lie outside the file")
    for pos, op in walk(data, start, end):
        if pos + 4 > end:
            break
        if op in INVOKE_OPS:
            idx = data[pos + 2] | (data[pos + 3] << 8)
            if idx in methods:
                out.append(Ref("invoke", idx, (pos - start) // 2))
        elif op in SGET_OPS:
            idx = data[pos + 2] | (data[pos + 3] << 8)
            if idx in fields:
                out.append(Ref("field", idx, (pos - start) // 2))
        elif op == CONST_STRING:
            idx = data[pos + 2] | (data[pos + 3] << 8)
            if idx in strings:
                out.append(Ref("string", idx, (pos - start) // 2))
        elif op == CONST_STRING_JUMBO and pos + 6 <= end:
            idx = int.from_bytes(data[pos + 2 : pos + 6], "little")
            if idx in strings:
                out.append(Ref("string", idx, (pos - start) // 2))
    return out


IF_TEST_OPS = frozenset(range(0x32, 0x3E))  # if-eq .. if-lez (formats 22t and 21t)


def invokes_with_guards(data: bytes, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(pc, method index, guarded) of every invoke in one method.

    ``guarded`` is True when a forward conditional branch earlier in the method jumps over the
    invoke, i.e. the call is skipped on one outcome of an ``if-*`` test. This is a syntactic
    approximation of control dependence: enough to tell ``if (agreed) Sdk.init()`` from an
    unconditional call, not a proof of what the condition tests.
    """
    spans: list[tuple[int, int]] = []
    out: list[tuple[int, int, bool]] = []
    for pos, op in walk(data, start, end):
        if pos + 4 > end:
            break
        pc = (pos - start) // 2
        if op in IF_TEST_OPS:
            off = int.from_bytes(data[pos + 2 : pos + 4], "little", signed=True)
            if off > 0:
                spans.append((pc, pc + off))
        elif op in INVOKE_OPS:
            idx = data[pos + 2] | (data[pos + 3] << 8)
            out.append((pc, idx, any(a < pc < b for a, b in spans)))
    return out
