"""A small, lazy reader for the DEX format (our own; no androguard analysis objects).

Only what the indexer needs is decoded, and only when asked: the id tables are read as flat
arrays, strings are decoded on demand, class data is parsed per class. Every read is bounds-checked
and turns malformed input into :class:`hegui.errors.DexError`.

Format reference: https://source.android.com/docs/core/runtime/dex-format
"""

from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass
from functools import cached_property

from hegui.errors import DexError

NO_INDEX = 0xFFFFFFFF
HEADER_SIZE = 0x70
_MAGIC_PREFIX = b"dex\n"
_ENDIAN_CONSTANT = 0x12345678


@dataclass(frozen=True, slots=True)
class ClassDef:
    class_idx: int
    access_flags: int
    superclass_idx: int
    interfaces_off: int
    class_data_off: int


@dataclass(frozen=True, slots=True)
class EncodedMethod:
    method_idx: int
    access_flags: int
    code_off: int


def _u32_array(data: bytes, off: int, count: int, what: str) -> array:
    end = off + 4 * count
    if count < 0 or off < 0 or end > len(data):
        raise DexError(f"{what} table ({count} entries at {off:#x}) lies outside the file")
    arr = array("I")
    arr.frombytes(data[off:end])
    if arr.itemsize != 4:  # pragma: no cover - platforms where 'I' is not 32-bit
        raise DexError("unsupported platform: array('I') is not 32-bit")
    return arr


def _u16_array(data: bytes, off: int, count: int, what: str) -> array:
    end = off + 2 * count
    if count < 0 or off < 0 or end > len(data):
        raise DexError(f"{what} table lies outside the file")
    arr = array("H")
    arr.frombytes(data[off:end])
    return arr


def read_uleb128(data: bytes, pos: int) -> tuple[int, int]:
    """Decode one unsigned LEB128 value (at most 5 bytes); return (value, next position)."""
    result = 0
    shift = 0
    for _ in range(5):
        try:
            b = data[pos]
        except IndexError:
            raise DexError(f"truncated LEB128 value at {pos:#x}") from None
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
    raise DexError(f"LEB128 value longer than 5 bytes at {pos:#x}")


def decode_mutf8(raw: bytes) -> str:
    """Decode Modified UTF-8 (NUL as C0 80, supplementary characters as surrogate pairs)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    raw = raw.replace(b"\xc0\x80", b"\x00")
    try:
        text = raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")
    # join surrogate pairs written as two 3-byte sequences; lone surrogates become U+FFFD
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class DexFile:
    """One DEX file held in memory. Cheap to construct: tables are sliced, not decoded."""

    def __init__(self, data: bytes, name: str = "classes.dex") -> None:
        self.data = data
        self.name = name
        if len(data) < HEADER_SIZE or not data.startswith(_MAGIC_PREFIX):
            raise DexError(f"{name}: not a DEX file (bad magic)")
        self.version = data[4:7].decode("ascii", "replace")
        try:
            (endian,) = struct.unpack_from("<I", data, 40)
            if endian != _ENDIAN_CONSTANT:
                raise DexError(f"{name}: unsupported endianness tag {endian:#x}")
            (
                self.string_ids_size,
                self.string_ids_off,
                self.type_ids_size,
                self.type_ids_off,
                self.proto_ids_size,
                self.proto_ids_off,
                self.field_ids_size,
                self.field_ids_off,
                self.method_ids_size,
                self.method_ids_off,
                self.class_defs_size,
                self.class_defs_off,
            ) = struct.unpack_from("<12I", data, 56)
        except struct.error as exc:
            raise DexError(f"{name}: truncated header") from exc
        self.string_offsets = _u32_array(data, self.string_ids_off, self.string_ids_size, "string_ids")
        self.type_string = _u32_array(data, self.type_ids_off, self.type_ids_size, "type_ids")
        # method_id / field_id: u2 class_idx, u2 proto_idx|type_idx, u4 name_idx -> 4 u16 per entry
        self._method_ids = _u16_array(data, self.method_ids_off, self.method_ids_size * 4, "method_ids")
        self._field_ids = _u16_array(data, self.field_ids_off, self.field_ids_size * 4, "field_ids")
        self._proto_ids = _u32_array(data, self.proto_ids_off, self.proto_ids_size * 3, "proto_ids")
        self._class_defs = _u32_array(data, self.class_defs_off, self.class_defs_size * 8, "class_defs")
        self._strings: dict[int, str] = {}
        self._types: dict[int, str] = {}
        self._protos: dict[int, str] = {}

    # -- strings and types ---------------------------------------------------------------
    def string(self, idx: int) -> str:
        s = self._strings.get(idx)
        if s is None:
            if not 0 <= idx < self.string_ids_size:
                raise DexError(f"{self.name}: string index {idx} out of range")
            off = self.string_offsets[idx]
            _, start = read_uleb128(self.data, off)
            end = self.data.find(b"\x00", start)
            if end < 0:
                raise DexError(f"{self.name}: unterminated string at {off:#x}")
            s = decode_mutf8(self.data[start:end])
            self._strings[idx] = s
        return s

    def type_name(self, idx: int) -> str:
        t = self._types.get(idx)
        if t is None:
            if not 0 <= idx < self.type_ids_size:
                raise DexError(f"{self.name}: type index {idx} out of range")
            t = self.string(self.type_string[idx])
            self._types[idx] = t
        return t

    def _type_list(self, off: int) -> list[str]:
        if off == 0:
            return []
        try:
            (size,) = struct.unpack_from("<I", self.data, off)
        except struct.error as exc:
            raise DexError(f"{self.name}: type list at {off:#x} outside the file") from exc
        idxs = _u16_array(self.data, off + 4, size, "type_list")
        return [self.type_name(i) for i in idxs]

    def proto(self, idx: int) -> str:
        """Proto as written in a Dalvik descriptor: ``(params)ret``."""
        p = self._protos.get(idx)
        if p is None:
            if not 0 <= idx < self.proto_ids_size:
                raise DexError(f"{self.name}: proto index {idx} out of range")
            base = idx * 3
            ret = self.type_name(self._proto_ids[base + 1])
            params = self._type_list(self._proto_ids[base + 2])
            p = "(" + "".join(params) + ")" + ret
            self._protos[idx] = p
        return p

    # -- method and field ids ------------------------------------------------------------
    def method_id(self, idx: int) -> tuple[int, int, int]:
        """(class type idx, proto idx, name string idx) of method ``idx``."""
        if not 0 <= idx < self.method_ids_size:
            raise DexError(f"{self.name}: method index {idx} out of range")
        m = self._method_ids
        b = idx * 4
        return m[b], m[b + 1], m[b + 2] | (m[b + 3] << 16)

    def method_descriptor(self, idx: int) -> str:
        cls, proto, name = self.method_id(idx)
        return f"{self.type_name(cls)}->{self.string(name)}{self.proto(proto)}"

    def method_name_proto(self, idx: int) -> tuple[str, str]:
        _, proto, name = self.method_id(idx)
        return self.string(name), self.proto(proto)

    def field_id(self, idx: int) -> tuple[int, int, int]:
        """(class type idx, type idx, name string idx) of field ``idx``."""
        if not 0 <= idx < self.field_ids_size:
            raise DexError(f"{self.name}: field index {idx} out of range")
        f = self._field_ids
        b = idx * 4
        return f[b], f[b + 1], f[b + 2] | (f[b + 3] << 16)

    def field_descriptor(self, idx: int) -> str:
        cls, typ, name = self.field_id(idx)
        return f"{self.type_name(cls)}->{self.string(name)}:{self.type_name(typ)}"

    # -- classes ------------------------------------------------------------------------
    def class_def(self, i: int) -> ClassDef:
        c = self._class_defs
        b = i * 8
        return ClassDef(c[b], c[b + 1], c[b + 2], c[b + 3], c[b + 6])

    def interfaces(self, cd: ClassDef) -> list[str]:
        return self._type_list(cd.interfaces_off)

    def class_methods(self, cd: ClassDef) -> list[EncodedMethod]:
        """Direct then virtual methods of a class, from its class_data item."""
        if cd.class_data_off == 0:
            return []
        data = self.data
        pos = cd.class_data_off
        sf, pos = read_uleb128(data, pos)
        inf, pos = read_uleb128(data, pos)
        dm, pos = read_uleb128(data, pos)
        vm, pos = read_uleb128(data, pos)
        if (sf + inf) * 2 + (dm + vm) * 3 > len(data) - pos:
            raise DexError(f"{self.name}: class data at {cd.class_data_off:#x} claims more members than fit")
        for _ in range(sf + inf):
            _, pos = read_uleb128(data, pos)
            _, pos = read_uleb128(data, pos)
        out: list[EncodedMethod] = []
        for count in (dm, vm):
            idx = 0
            for _ in range(count):
                diff, pos = read_uleb128(data, pos)
                flags, pos = read_uleb128(data, pos)
                code_off, pos = read_uleb128(data, pos)
                idx += diff
                out.append(EncodedMethod(idx, flags, code_off))
        return out

    def code_map(self) -> tuple[list[int], list[int], list[int]]:
        """Instruction (start, end) byte offsets and method index of every method with code,
        sorted by start. The hot loop of a scan, so LEB128 decoding is inlined for 1-byte values."""
        data = self.data
        size = len(data)
        uleb = read_uleb128
        items: list[tuple[int, int, int]] = []
        defs = self._class_defs
        for i in range(self.class_defs_size):
            pos = defs[i * 8 + 6]
            if pos == 0:
                continue
            counts = []
            for _ in range(4):
                b = data[pos] if pos < size else uleb(data, pos)[0]
                if b < 0x80:
                    counts.append(b)
                    pos += 1
                else:
                    v, pos = uleb(data, pos)
                    counts.append(v)
            sf, inf, dm, vm = counts
            if (sf + inf) * 2 + (dm + vm) * 3 > size - pos:
                raise DexError(f"{self.name}: class data at {defs[i * 8 + 6]:#x} claims more members than fit")
            for _ in range(2 * (sf + inf)):
                if data[pos] < 0x80:
                    pos += 1
                else:
                    pos = uleb(data, pos)[1]
            for count in (dm, vm):
                idx = 0
                for _ in range(count):
                    b = data[pos]
                    if b < 0x80:
                        idx += b
                        pos += 1
                    else:
                        v, pos = uleb(data, pos)
                        idx += v
                    if data[pos] < 0x80:
                        pos += 1
                    else:
                        pos = uleb(data, pos)[1]
                    b = data[pos]
                    if b < 0x80:
                        code_off = b
                        pos += 1
                    else:
                        code_off, pos = uleb(data, pos)
                    if code_off:
                        start, end = self.code_bounds(code_off)
                        items.append((start, end, idx))
        items.sort()
        return [s for s, _, _ in items], [e for _, e, _ in items], [m for _, _, m in items]

    def code_bounds(self, code_off: int) -> tuple[int, int]:
        """(start, end) byte offsets of a code item's instructions."""
        try:
            (insns_size,) = struct.unpack_from("<I", self.data, code_off + 12)
        except struct.error as exc:
            raise DexError(f"{self.name}: code item at {code_off:#x} outside the file") from exc
        start = code_off + 16
        end = start + 2 * insns_size
        if end > len(self.data):
            raise DexError(f"{self.name}: code item at {code_off:#x} runs past the end of the file")
        return start, end

    @cached_property
    def defined_types(self) -> dict[str, int]:
        """Descriptor of every class defined here -> its class_def index (first definition wins)."""
        out: dict[str, int] = {}
        for i in range(self.class_defs_size):
            out.setdefault(self.type_name(self._class_defs[i * 8]), i)
        return out
