from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

import pytest

from hegui.service.errors import InvalidInputError, NotFoundError, ServiceError, TooLargeError
from hegui.service.storage import CHUNK, STALE_TMP_S, LocalStore, Store, make_store


class Trickle(io.RawIOBase):
    """A stream that returns a few bytes at a time (like a network body)."""

    def __init__(self, data: bytes, step: int = 7) -> None:
        self.data, self.pos, self.step = data, 0, step

    def read(self, size: int = -1) -> bytes:
        n = self.step if size < 0 else min(size, self.step)
        out = self.data[self.pos : self.pos + n]
        self.pos += len(out)
        return out


def test_put_is_content_addressed(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    data = b"PK\x03\x04" + b"x" * 5000
    sha = hashlib.sha256(data).hexdigest()
    stored = store.put_stream(Trickle(data), max_bytes=10_000)
    assert (stored.sha256, stored.size) == (sha, len(data))
    assert stored.path == tmp_path / sha[:2] / sha[2:4] / f"{sha}.apk" == store.path(sha)
    assert store.exists(sha)
    with store.open(sha) as fh:
        assert fh.read() == data
    assert list((tmp_path / "tmp").iterdir()) == []  # no temporary file left


def test_same_bytes_twice_stores_one_file(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    a = store.put_stream(io.BytesIO(b"same"), max_bytes=100)
    mtime = a.path.stat().st_mtime_ns
    b = store.put_stream(io.BytesIO(b"same"), max_bytes=100)
    assert a == b and a.path.stat().st_mtime_ns == mtime
    assert len(list(tmp_path.rglob("*.apk"))) == 1


def test_too_large_removes_the_temporary_file(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    with pytest.raises(TooLargeError) as err:
        store.put_stream(io.BytesIO(b"x" * (CHUNK + 10)), max_bytes=CHUNK)
    assert isinstance(err.value, ServiceError) and err.value.http_status == 413
    assert "HEGUI_MAX_UPLOAD_MB" in str(err.value)
    assert list((tmp_path / "tmp").iterdir()) == []
    assert list(tmp_path.rglob("*.apk")) == []


def test_exactly_max_bytes_is_accepted(tmp_path: Path) -> None:
    assert LocalStore(tmp_path).put_stream(io.BytesIO(b"x" * 100), max_bytes=100).size == 100


def test_failing_stream_leaves_nothing(tmp_path: Path) -> None:
    class Broken(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise OSError("connection reset")

    with pytest.raises(OSError):
        LocalStore(tmp_path).put_stream(Broken(), max_bytes=100)
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 64, "a" * 63, "a" * 64 + "/x", "", "g" * 64])
def test_only_sha256_names_become_paths(tmp_path: Path, bad: str) -> None:
    store = LocalStore(tmp_path)
    for call in (store.path, store.exists, store.open, store.delete):
        with pytest.raises(InvalidInputError):
            call(bad)


def test_open_missing_and_delete(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    sha = store.put_stream(io.BytesIO(b"data"), max_bytes=100).sha256
    assert store.delete(sha) is True
    assert store.delete(sha) is False
    assert not store.exists(sha)
    with pytest.raises(NotFoundError):
        store.open(sha)


def test_store_protocol(tmp_path: Path) -> None:
    assert isinstance(make_store(tmp_path), Store)
    stored = make_store(tmp_path).put_stream(io.BytesIO(b"\x7fELF"), max_bytes=10)
    assert stored.path.suffix == ".apk" and not stored.path.stat().st_mode & 0o111  # never executable


def test_sweep_removes_only_stale_temporary_files(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    held = store.put_stream(io.BytesIO(b"apk bytes"), max_bytes=100, hold=True)
    assert held.hold is not None and held.hold.exists()
    stale = tmp_path / "tmp" / "upload-dead.part"  # a killed process's upload
    stale.write_bytes(b"half")
    old = time.time() - STALE_TMP_S - 60
    os.utime(stale, (old, old))
    other = tmp_path / "tmp" / "notes.txt"  # not ours: never touched
    other.write_text("x")
    os.utime(other, (old, old))
    assert store.sweep_tmp() == 1
    assert not stale.exists() and other.exists()
    assert held.hold.exists() and store.exists(held.sha256)  # a live upload's hold stays
    assert store.sweep_tmp(older_than_s=-1) == 1  # everything .part: the hold too, never the stored file
    assert store.exists(held.sha256)
    assert LocalStore(tmp_path / "never-used").sweep_tmp() == 0


def test_service_start_sweeps_a_killed_uploads_file(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from hegui.service.app import create_app
    from hegui.service.config import Settings

    settings = Settings(data_dir=tmp_path)
    stale = Path(settings.store_path) / "tmp" / "upload-killed.part"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half an upload")
    old = time.time() - STALE_TMP_S - 60
    os.utime(stale, (old, old))
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/health").status_code == 200
    assert not stale.exists()
