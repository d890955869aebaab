"""The zip central directory, parsed the way Android's libziparchive reads it, with every count bounded.

Names are UTF-8 whatever the flags say (undecodable bytes become U+FFFD), the encryption bit is ignored,
and the end record is found exactly as :mod:`zipfile` finds it, so both agree on hostile archives.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

from hegui.errors import ApkError

LOCAL_MAGIC = b"PK\x03\x04"
LOCAL_FMT = struct.Struct("<4sHHHHHIIIHH")  # 30 bytes
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
_EOCD_FMT = struct.Struct("<4sHHHHIIH")  # 22 bytes
_EOCD64_FMT = struct.Struct("<4sQHHIIQQQQ")  # 56 bytes
_CENTRAL_FMT = struct.Struct("<4sHHHHHHIIIHHHHHII")  # 46 bytes


@dataclass(frozen=True)
class Entry:
    """One central-directory record (the first one, for a duplicated name)."""

    name: str
    method: int  # 0 stored, anything else is inflated (as Android does)
    crc: int
    compressed_size: int
    size: int  # declared inflated size
    offset: int  # of the local file header, in the file


def read_central_directory(fh: BinaryIO, size: int, label: str, max_entries: int) -> tuple[list[Entry], int]:
    """Entries of the central directory, and where it starts. Finds the end record as :mod:`zipfile` does."""
    fh.seek(0)
    is_zip = fh.read(4) in (LOCAL_MAGIC, _EOCD)

    def corrupt(why: str) -> ApkError:
        if not is_zip:
            return ApkError("not_apk", f"{label} is not an APK: it is not a zip archive; pass an .apk file.")
        return ApkError(
            "corrupt", f"{label} is a damaged zip ({why}); it may be truncated, get a complete copy."
        )

    tail_len = min(size, _EOCD_FMT.size + 0xFFFF)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    if tail[-22:-18] == _EOCD and tail[-2:] == b"\0\0":
        pos = len(tail) - 22
    else:
        pos = tail.rfind(_EOCD)
        if pos < 0 or pos + 22 > len(tail):
            raise corrupt("no end-of-central-directory record")
    _, disk, cd_disk, _, count, cd_size, cd_offset, _ = _EOCD_FMT.unpack_from(tail, pos)
    location = size - tail_len + pos
    if location >= 20 + 56:
        fh.seek(location - 20)
        locator = fh.read(20)
        if locator[:4] == _EOCD64_LOCATOR:
            fh.seek(location - 20 - 56)
            record = fh.read(56)
            if record[:4] == _EOCD64:
                _, _, _, _, disk, cd_disk, _, count, cd_size, cd_offset = _EOCD64_FMT.unpack(record)
                location -= 20 + 56
    if disk != 0 or cd_disk != 0:
        raise corrupt("multi-disk archive")
    if count > max_entries:
        raise ApkError(
            "too_large",
            f"{label} has {count} entries, over the {max_entries}-entry limit; "
            "raise the entry limit to analyse it.",
        )
    start = location - cd_size
    if start < 0 or cd_size < 0:
        raise corrupt("bad central directory size")
    concat = start - cd_offset  # non-zero only when data was prepended to the zip
    fh.seek(start)
    entries: list[Entry] = []
    used = 0
    while used < cd_size:
        if len(entries) >= max_entries:
            raise ApkError(
                "too_large",
                f"{label} has more than {max_entries} entries; raise the entry limit to analyse it.",
            )
        fixed = fh.read(_CENTRAL_FMT.size)
        if len(fixed) != _CENTRAL_FMT.size or fixed[:4] != _CENTRAL:
            raise corrupt("truncated central directory")
        f = _CENTRAL_FMT.unpack(fixed)  # the flags (f[3]) are ignored: Android ignores the encryption bit
        method, crc, csize, usize = f[4], f[7], f[8], f[9]
        name_len, extra_len, comment_len, offset = f[10], f[11], f[12], f[16]
        variable = fh.read(name_len + extra_len + comment_len)
        if len(variable) != name_len + extra_len + comment_len:
            raise corrupt("truncated central directory")
        if 0xFFFFFFFF in (csize, usize, offset):
            usize, csize, offset = _zip64_sizes(
                variable[name_len : name_len + extra_len], usize, csize, offset
            )
        name = variable[:name_len].decode("utf-8", errors="replace")
        entries.append(Entry(name, method, crc, csize, usize, offset + concat))
        used += _CENTRAL_FMT.size + len(variable)
    return entries, start


def _zip64_sizes(extra: bytes, usize: int, csize: int, offset: int) -> tuple[int, int, int]:
    i = 0
    while i + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, i)
        if tag == 0x0001:
            values = extra[i + 4 : i + 4 + length]
            fields = [usize, csize, offset]
            j = 0
            for k in range(3):
                if fields[k] == 0xFFFFFFFF and j + 8 <= len(values):
                    fields[k] = struct.unpack_from("<Q", values, j)[0]
                    j += 8
            return fields[0], fields[1], fields[2]
        i += 4 + length
    return usize, csize, offset
