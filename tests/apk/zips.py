"""Build small zips in memory for the apk tests (standard zipfile only)."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
from pathlib import Path

DATA = Path(__file__).parent / "data"
FIXTURE_APKS = Path(__file__).parent.parent / "fixtures" / "apk"
DATE = (2020, 1, 1, 0, 0, 0)
FAKE_MANIFEST = b"\x03\x00\x08\x00not really a manifest"


def make_zip(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED, **kwargs: object) -> bytes:
    """A zip with ``entries`` in order (duplicates allowed)."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name"
        with zipfile.ZipFile(buf, "w", method, **kwargs) as z:  # type: ignore[arg-type]
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=DATE)
                info.compress_type = method
                z.writestr(info, data)
    return buf.getvalue()


def apk_zip(*extra: tuple[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    return make_zip([("AndroidManifest.xml", FAKE_MANIFEST), *extra], method)


def data_entries(name: str) -> list[tuple[str, bytes]]:
    """The entries of one of the aapt2-built zips in tests/apk/data."""
    with zipfile.ZipFile(DATA / name) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def central_records(data: bytes) -> dict[str, int]:
    """Entry name -> offset of its central-directory record."""
    eocd = data.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<II", data, eocd + 12)
    out: dict[str, int] = {}
    pos = cd_offset
    while pos < cd_offset + cd_size:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        out.setdefault(data[pos + 46 : pos + 46 + name_len].decode(), pos)
        pos += 46 + name_len + extra_len + comment_len
    return out


def patch_central(data: bytes, name: str, *, size: int | None = None, compressed: int | None = None) -> bytes:
    """Forge the declared sizes of ``name`` in the central directory (what Android and hegui trust)."""
    out = bytearray(data)
    pos = central_records(data)[name]
    if compressed is not None:
        struct.pack_into("<I", out, pos + 20, compressed)
    if size is not None:
        struct.pack_into("<I", out, pos + 24, size)
    return bytes(out)


def local_data_offset(data: bytes, name: str) -> int:
    pos = central_records(data)[name]
    header = struct.unpack_from("<I", data, pos + 42)[0]
    name_len, extra_len = struct.unpack_from("<HH", data, header + 26)
    return header + 30 + name_len + extra_len


def write(tmp_path: Path, data: bytes, name: str = "test.apk") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
