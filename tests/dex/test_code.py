"""Bytecode walking and candidate search on hand-assembled instruction streams."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hegui.dex.code import WIDTH, candidate_pattern, candidates, invokes_with_guards, refs_in, walk
from hegui.dex.reader import decode_mutf8, read_uleb128
from hegui.errors import DexError


def units(*words: int) -> bytes:
    return struct.pack(f"<{len(words)}H", *words)


# invoke-virtual {v0}, meth@7        -> 6e 10 | 0007 | 0000
INVOKE_7 = units(0x106E, 0x0007, 0x0000)
# const-string v0, string@5          -> 1a 00 | 0005
CONST_5 = units(0x001A, 0x0005)
# sget-object v0, field@3            -> 62 00 | 0003
SGET_3 = units(0x0062, 0x0003)
RETURN_VOID = units(0x000E)
# packed-switch payload with one target whose bytes look like an invoke of method 7
PAYLOAD = units(0x0100, 0x0001, 0x0000, 0x0000) + units(0x106E, 0x0007)


def test_widths_of_formats():
    assert WIDTH[0x0E] == 1  # return-void
    assert WIDTH[0x1A] == 2  # const-string
    assert WIDTH[0x1B] == 3  # const-string/jumbo
    assert WIDTH[0x6E] == 3  # invoke-virtual
    assert WIDTH[0x74] == 3  # invoke-virtual/range
    assert WIDTH[0x18] == 5  # const-wide
    assert WIDTH[0xFA] == 4  # invoke-polymorphic


def test_walk_skips_payloads_and_operands():
    code = CONST_5 + INVOKE_7 + SGET_3 + RETURN_VOID + PAYLOAD
    ops = [op for _, op in walk(code, 0, len(code))]
    assert ops == [0x1A, 0x6E, 0x62, 0x0E]


def test_refs_in_finds_only_real_instructions():
    # a const/16 whose literal is 0x106e would look like an invoke opcode byte inside an operand
    decoy = units(0x0013, 0x106E)  # const/16 v0, #0x106e
    code = decoy + CONST_5 + INVOKE_7 + SGET_3 + RETURN_VOID + PAYLOAD
    refs = refs_in(code, 0, len(code), {7}, {3}, {5})
    assert [(r.kind, r.index, r.pc) for r in refs] == [("string", 5, 2), ("invoke", 7, 4), ("field", 3, 7)]


def test_candidate_pattern_sees_overlapping_positions():
    code = units(0x106E, 0x106E, 0x0007)  # a false candidate overlapping a real one
    pat = candidate_pattern({0x106E, 7}, [], [])
    assert pat is not None
    assert candidates(pat, code) == [0, 2]


def test_candidate_pattern_none_without_targets():
    assert candidate_pattern([], [], []) is None


def test_jumbo_string_reference():
    code = units(0x001B, 0x0005, 0x0001) + RETURN_VOID  # const-string/jumbo v0, string@0x10005
    refs = refs_in(code, 0, len(code), set(), set(), {0x10005})
    assert [(r.kind, r.index) for r in refs] == [("string", 0x10005)]


def test_invokes_in_order_with_guards():
    code = INVOKE_7 + units(0x2074, 0x0009, 0x0000) + RETURN_VOID  # invoke-virtual/range meth@9
    assert invokes_with_guards(code, 0, len(code)) == [(0, 7, False), (3, 9, False)]
    # if-eqz v0, +5 jumps over the invoke of meth@9 (pc 2..5), not over the one after it
    guarded = units(0x0038, 0x0005) + units(0x106E, 0x0009, 0x0000) + INVOKE_7 + RETURN_VOID
    assert invokes_with_guards(guarded, 0, len(guarded)) == [(2, 9, True), (5, 7, False)]


def test_refs_in_rejects_out_of_bounds():
    with pytest.raises(DexError):
        refs_in(b"\x0e\x00", 0, 10, set(), set(), set())


@given(st.binary(max_size=400))
def test_walk_terminates_on_any_bytes(data):
    data = data[: len(data) & ~1]
    positions = [p for p, _ in walk(data, 0, len(data))]
    assert positions == sorted(set(positions))
    assert all(0 <= p < len(data) for p in positions)
    refs_in(data, 0, len(data), {1, 2}, {3}, {4})  # must not raise


def test_uleb128():
    assert read_uleb128(b"\x7f", 0) == (127, 1)
    assert read_uleb128(b"\x80\x7f", 0) == (16256, 2)
    with pytest.raises(DexError):
        read_uleb128(b"\x80\x80", 0)
    with pytest.raises(DexError):
        read_uleb128(b"\x80\x80\x80\x80\x80\x80", 0)


def test_mutf8():
    assert decode_mutf8(b"getDeviceId") == "getDeviceId"
    assert decode_mutf8(b"a\xc0\x80b") == "a\x00b"
    assert decode_mutf8(b"\xed\xa0\xbd\xed\xb8\x80") == "\U0001f600"  # surrogate pair, 3 bytes each
    assert "\ufffd" in decode_mutf8(b"\xff")
