"""Safe, read-only access to an APK (a zip archive), the way Android reads it.

Nothing is ever extracted to disk and entry names are never used as file-system paths. The central
directory is parsed by :mod:`hegui.apk.zipdir` (not :mod:`zipfile`) so that every size is bounded
before it is trusted: entry counts, declared sizes and compression ratios are checked before
inflating, and inflation runs in chunks that stop as soon as the real data exceeds what was
declared. Like Android, the central directory is authoritative: compression method 0 is stored,
any other is inflated, and the "encrypted" flag is ignored.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from hegui.apk.zipdir import LOCAL_FMT, LOCAL_MAGIC, Entry, read_central_directory
from hegui.errors import ApkError

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
CHUNK = 1 * MiB
MANIFEST = "AndroidManifest.xml"
DEX_MAGIC = b"dex\n0"
_DEX_HEADER_SIZE = 0x70
_RATIO_FLOOR = 8 * MiB  # the ratio limit applies to entries that inflate to more than this
_SIZE_SLACK = 1 * MiB  # a little more than declared is damage (reported as corrupt); beyond this, a bomb

_CODE_FILE = re.compile(r"^(assets|res/raw)/.+\.(dex|jar|apk)$", re.IGNORECASE)
_NATIVE_LIB = re.compile(r"^lib/[^/]+/[^/]+\.so$")
_SECONDARY_DEX = re.compile(r"^classes([2-9]|[1-9][0-9]+)\.dex$")


@dataclass(frozen=True)
class Limits:
    """Resource limits for hostile inputs. Sizes are in bytes."""

    max_file_size: int = 4 * GiB
    max_entries: int = 100_000
    max_entry_size: int = 512 * MiB  # inflated size of any single entry that is read
    max_total_inflated: int = 8 * GiB  # sum of declared inflated sizes of all entries
    max_ratio: int = 200  # inflated:compressed, for entries inflating to more than 8 MiB
    max_manifest_size: int = 16 * MiB


class Apk:
    """An open APK. Create it with :func:`open_apk` and use it as a context manager.

    Public attributes: ``path``, ``size``, ``sha256``, ``limits``, ``names`` (unique entry names in
    zip order), ``duplicate_names``, ``unsafe_names``, ``central_directory_offset``; derived lists
    ``dex_names``, ``native_libs``, ``assets``, ``hidden_dex`` (with ``hidden_dex_reasons``).
    """

    def __init__(
        self,
        path: Path,
        fh: BinaryIO,
        size: int,
        sha256: str,
        entries: list[Entry],
        cd_offset: int,
        limits: Limits,
    ) -> None:
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.limits = limits
        self.central_directory_offset = cd_offset
        self._fh = fh
        self._entries: dict[str, Entry] = {}
        duplicates: dict[str, None] = {}
        for entry in entries:
            if entry.name in self._entries:
                duplicates[entry.name] = None
            else:
                self._entries[entry.name] = entry
        self.names: tuple[str, ...] = tuple(self._entries)
        self.duplicate_names: tuple[str, ...] = tuple(duplicates)
        self.unsafe_names: tuple[str, ...] = tuple(n for n in self.names if is_unsafe_name(n))

    def __enter__(self) -> Apk:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._fh.close()

    def entry(self, name: str) -> Entry:
        """The central-directory record of ``name``; KeyError if absent."""
        return self._entries[name]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    @cached_property
    def dex_names(self) -> tuple[str, ...]:
        """classes.dex, classes2.dex, … in the order Android loads them (it stops at the first gap)."""
        if "classes.dex" not in self._entries:
            return ()
        names = ["classes.dex"]
        while f"classes{len(names) + 1}.dex" in self._entries:
            names.append(f"classes{len(names) + 1}.dex")
        return tuple(names)

    @cached_property
    def native_libs(self) -> tuple[str, ...]:
        return tuple(n for n in self.names if _NATIVE_LIB.match(n))

    @cached_property
    def assets(self) -> tuple[str, ...]:
        return tuple(n for n in self.names if n.startswith("assets/") and not n.endswith("/"))

    @cached_property
    def hidden_dex_reasons(self) -> dict[str, str]:
        """Entry name -> ``dex-magic`` (starts with the DEX magic) or ``code-file-name`` (a .dex/.jar/.apk
        under assets/ or res/raw, or a classesN.dex after a gap, which Android does not load). Entries
        in ``dex_names`` are never listed. Reads ≤ 8 inflated bytes of each entry of DEX-header size."""
        loaded = set(self.dex_names)
        found: dict[str, str] = {}
        for name, entry in self._entries.items():
            if name in loaded or name.endswith("/"):
                continue
            if entry.size >= _DEX_HEADER_SIZE and _is_dex_magic(self.head(name, 8)):
                found[name] = "dex-magic"
            elif _CODE_FILE.match(name) or _SECONDARY_DEX.match(name):
                found[name] = "code-file-name"
        return found

    @cached_property
    def hidden_dex(self) -> tuple[str, ...]:
        return tuple(self.hidden_dex_reasons)

    def read_raw(self, offset: int, length: int) -> bytes:
        """Bytes of the APK file itself (not of an entry); short if the file ends first."""
        if offset < 0 or length < 0 or length > self.limits.max_entry_size:
            raise ApkError(
                "corrupt", f"{self.path.name}: a structure points outside the file; the APK is damaged."
            )
        self._fh.seek(offset)
        return self._fh.read(length)

    def head(self, name: str, n: int) -> bytes:
        """The first ≤ ``n`` inflated bytes of an entry; b"" if they cannot be read. Never raises ApkError."""
        entry = self._entries[name]
        if self._fh.closed:
            raise ValueError("the APK is closed")
        try:
            start = self._data_start(entry)
            self._fh.seek(start)
            if entry.method == 0:
                return self._fh.read(min(n, entry.compressed_size))
            inflater, out, left = zlib.decompressobj(-15), b"", min(entry.compressed_size, 64 * KiB)
            while len(out) < n and left > 0 and not inflater.eof:  # a block header can take ~300 bytes
                raw = self._fh.read(min(left, 4 * KiB))
                if not raw:
                    break
                left -= len(raw)
                out += inflater.decompress(raw, n - len(out))
            return out
        except (ApkError, zlib.error, OSError, ValueError):
            return b""

    def read(self, name: str, max_size: int | None = None) -> bytes:
        """The inflated bytes of entry ``name`` (KeyError if absent).

        Reads at most ``min(max_size, limits.max_entry_size)`` bytes. Raises ApkError ``zip_bomb`` when
        the declared size or ratio is over the limits, or the real data inflates beyond the declared size;
        ``corrupt`` on a damaged entry (bad local header, truncated data, CRC mismatch).
        """
        entry = self._entries[name]
        limit = self.limits.max_entry_size if max_size is None else min(max_size, self.limits.max_entry_size)
        where = f"{self.path.name}: entry {name!r}"
        if entry.size > limit:
            raise ApkError(
                "zip_bomb",
                f"{where} declares {entry.size} inflated bytes, over the {limit}-byte limit; "
                "the APK is not analysed (raise the limit only for a trusted file).",
            )
        if entry.size > _RATIO_FLOOR and entry.size > self.limits.max_ratio * max(entry.compressed_size, 1):
            raise ApkError(
                "zip_bomb",
                f"{where} would inflate {entry.compressed_size} bytes to {entry.size} "
                f"(over {self.limits.max_ratio}:1); this looks like a zip bomb and is not analysed.",
            )
        try:
            self._fh.seek(self._data_start(entry))
            data = self._copy(entry, where) if entry.method == 0 else self._inflate(entry, where, limit)
        except OSError as exc:
            raise ApkError("io", f"{where} cannot be read: {exc.strerror or exc}; check the file.") from None
        if zlib.crc32(data) != entry.crc:
            raise ApkError("corrupt", f"{where} fails its CRC check; the APK is damaged, get a fresh copy.")
        return data

    def _data_start(self, entry: Entry) -> int:
        header = self.read_raw(entry.offset, LOCAL_FMT.size)
        if len(header) != LOCAL_FMT.size or header[:4] != LOCAL_MAGIC:
            raise ApkError(
                "corrupt", f"{self.path.name}: entry {entry.name!r} has no local header; the APK is damaged."
            )
        fields = LOCAL_FMT.unpack(header)
        start = entry.offset + LOCAL_FMT.size + fields[9] + fields[10]
        if start + entry.compressed_size > self.size:
            raise ApkError(
                "corrupt",
                f"{self.path.name}: entry {entry.name!r} runs past the end of the file "
                "(truncated download?); get a complete copy.",
            )
        return start

    def _copy(self, entry: Entry, where: str) -> bytes:
        if entry.compressed_size != entry.size:
            raise ApkError("corrupt", f"{where} is stored with two different sizes; the APK is damaged.")
        data = self._fh.read(entry.size)
        if len(data) != entry.size:
            raise ApkError("corrupt", f"{where} is truncated; get a complete copy of the APK.")
        return data

    def _inflate(self, entry: Entry, where: str, limit: int) -> bytes:
        inflater = zlib.decompressobj(-15)
        out = bytearray()
        left = entry.compressed_size
        pending = b""
        try:
            while not inflater.eof:
                if not pending:
                    if left == 0:
                        break
                    pending = self._fh.read(min(CHUNK, left))
                    if not pending:
                        break
                    left -= len(pending)
                before = len(out)
                out += inflater.decompress(pending, min(CHUNK, limit + 1 - before))
                if len(pending) == len(inflater.unconsumed_tail) and len(out) == before:
                    break  # no progress: malformed stream
                pending = inflater.unconsumed_tail
                if len(out) > entry.size + _SIZE_SLACK:
                    raise ApkError(
                        "zip_bomb",
                        f"{where} inflates to more than the {entry.size} bytes it declares "
                        "(forged sizes, a zip-bomb trick); the APK is not analysed.",
                    )
                if len(out) > limit:
                    raise ApkError(
                        "zip_bomb",
                        f"{where} inflates to more than the {limit}-byte limit; the APK is not analysed.",
                    )
                used = entry.compressed_size - left - len(pending)
                if len(out) > _RATIO_FLOOR and len(out) > self.limits.max_ratio * max(used, 1):
                    raise ApkError(
                        "zip_bomb",
                        f"{where} inflates over {self.limits.max_ratio}:1 "
                        "(a zip bomb); the APK is not analysed.",
                    )
        except zlib.error as exc:
            raise ApkError("corrupt", f"{where} cannot be inflated ({exc}); the APK is damaged.") from None
        if not inflater.eof or len(out) != entry.size:
            raise ApkError(
                "corrupt",
                f"{where} is truncated or damaged (inflates to {len(out)} bytes, "
                f"{entry.size} declared); get a complete copy of the APK.",
            )
        return bytes(out)


def is_unsafe_name(name: str) -> bool:
    """True for names that would escape an extraction directory: ``..`` parts, absolute or drive paths,
    backslashes, NUL. (hegui never extracts; these are reported, not used.)"""
    if "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return ".." in name.split("/")


def _is_dex_magic(head: bytes) -> bool:
    return len(head) == 8 and head.startswith(DEX_MAGIC) and head[7] == 0


def open_apk(path: str | Path, limits: Limits | None = None) -> Apk:
    """Open ``path`` read-only and check it is a usable APK within ``limits``.

    Raises ApkError: ``io`` (missing or unreadable), ``not_apk`` (not a zip, or no AndroidManifest.xml),
    ``corrupt`` (damaged or truncated central directory), ``too_large`` (file size, entry count),
    ``zip_bomb`` (declared total inflated size).
    """
    limits = limits or Limits()
    path = Path(path)
    try:
        if not path.is_file():
            raise ApkError("io", f"{path} is not a file; check the path.")
        fh = path.open("rb")
        size = path.stat().st_size
    except (OSError, ValueError) as exc:
        raise ApkError(
            "io",
            f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}; check the path and permissions.",
        ) from None
    try:
        if size > limits.max_file_size:
            raise ApkError(
                "too_large",
                f"{path.name} is {size} bytes, over the {limits.max_file_size}-byte limit; "
                "raise the file-size limit to analyse it.",
            )
        entries, cd_offset = read_central_directory(fh, size, path.name, limits.max_entries)
        total = sum(e.size for e in entries)
        if total > limits.max_total_inflated:
            raise ApkError(
                "zip_bomb",
                f"{path.name} declares {total} inflated bytes in total, over the "
                f"{limits.max_total_inflated}-byte limit; it is not analysed.",
            )
        if not any(e.name == MANIFEST for e in entries):
            raise ApkError(
                "not_apk",
                f"{path.name} is not an APK: no AndroidManifest.xml in the archive; "
                "pass the .apk file (not an .aab, .xapk bundle or plain zip).",
            )
        apk = Apk(path, fh, size, _sha256(fh), entries, cd_offset, limits)
    except ApkError:
        fh.close()
        raise
    except OSError as exc:
        fh.close()
        raise ApkError("io", f"cannot read {path}: {exc.strerror or exc}; check the file.") from None
    return apk


def _sha256(fh: BinaryIO) -> str:
    digest = hashlib.sha256()
    fh.seek(0)
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()
