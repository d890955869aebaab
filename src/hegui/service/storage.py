"""The content-addressed APK store: a file is named by its SHA-256 and nothing else.

``Store`` is the backend interface (a small Protocol); ``LocalStore(root)`` keeps files on disk as
``root/ab/cd/<sha256>.apk``. An upload is streamed in chunks to a temporary file inside the store
(same file system), hashed and counted on the way; past ``max_bytes`` the temporary file is removed
and ``TooLargeError`` raised; otherwise it is renamed into place atomically (``os.replace``), so a
reader never sees a half-written APK and a second upload of the same bytes stores nothing new.
File names never come from the upload, and nothing in the store is ever executed.

``put_stream(..., hold=True)`` (the upload routes) keeps the temporary file as a hard link to the
stored bytes, ``StoredFile.hold``, until :func:`release`: a refused upload deletes the stored file
when no version uses it, which may race with an accepted upload of the same bytes that has not
committed yet; the accepted one then puts the file back from its own link (``release(restore=True)``).
A process killed mid-upload leaves its temporary file behind: ``sweep_tmp`` (run when the service
starts) deletes those older than a day.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from hegui.service.errors import InvalidInputError, NotFoundError, TooLargeError

CHUNK = 1024 * 1024
STALE_TMP_S = 24 * 3600  # no request holds a temporary file this long: older ones are a killed process's
_SHA256 = re.compile(r"[0-9a-f]{64}")


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    hold: Path | None = None  # this upload's own link to the bytes, until release()


@runtime_checkable
class Store(Protocol):
    def put_stream(self, stream: Readable, *, max_bytes: int, hold: bool = False) -> StoredFile: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def path(self, sha256: str) -> Path: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> bool: ...


def check_sha256(sha256: str) -> str:
    """``sha256`` if it is 64 lowercase hex digits, else ``InvalidInputError`` (it becomes a path)."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise InvalidInputError(f"not a SHA-256 (64 lowercase hex digits): {sha256!r:.80}")
    return sha256


class LocalStore:
    """APKs on the local disk under ``root``."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._tmp = self.root / "tmp"

    def path(self, sha256: str) -> Path:
        h = check_sha256(sha256)
        return self.root / h[:2] / h[2:4] / f"{h}.apk"

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        p = self.path(sha256)
        try:
            return p.open("rb")
        except FileNotFoundError:
            raise NotFoundError(f"no stored APK with sha256 {sha256}; upload it again") from None

    def delete(self, sha256: str) -> bool:
        p = self.path(sha256)
        try:
            p.unlink()
        except FileNotFoundError:
            return False
        return True

    def sweep_tmp(self, *, older_than_s: float = STALE_TMP_S) -> int:
        """Delete temporary files that no live request can own (older than ``older_than_s``): the
        uploads and holds of a process that was killed mid-way. Returns how many were deleted."""
        cutoff = time.time() - older_than_s
        n = 0
        try:
            entries = list(os.scandir(self._tmp))
        except FileNotFoundError:
            return 0
        for e in entries:
            try:
                if (
                    e.name.endswith(".part")
                    and e.is_file(follow_symlinks=False)
                    and e.stat().st_mtime < cutoff
                ):
                    os.unlink(e.path)
                    n += 1
            except FileNotFoundError:
                continue  # another process swept it first
        return n

    def put_stream(self, stream: Readable, *, max_bytes: int, hold: bool = False) -> StoredFile:
        self._tmp.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=self._tmp)
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLargeError(
                            f"upload larger than the limit of {max_bytes} bytes; "
                            "send a smaller APK or raise HEGUI_MAX_UPLOAD_MB",
                            zh=f"上传文件超过 {max_bytes} 字节的大小限制。",
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            target = self.path(sha256)
            if hold:  # keep the temporary file as this upload's link to the bytes (see release)
                _link(tmp, target)
                return StoredFile(sha256=sha256, size=size, path=target, hold=tmp)
            if target.is_file():  # same bytes already stored: keep the first copy
                tmp.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
            return StoredFile(sha256=sha256, size=size, path=target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise


def _link(source: Path, target: Path) -> None:
    """Make ``target`` (if missing) the same bytes as ``source``: a hard link, else an atomic copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError:  # no hard links on this file system: copy, then rename into place
        fd, part = tempfile.mkstemp(prefix="copy-", suffix=".part", dir=source.parent)
        os.close(fd)
        try:
            shutil.copyfile(source, part)
            if not target.exists():
                os.replace(part, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)


def release(stored: StoredFile, *, restore: bool) -> None:
    """Drop an upload's hold on its bytes; with ``restore``, first put the stored file back if a
    concurrent refused upload of the same bytes deleted it. Idempotent; no-op without a hold."""
    if stored.hold is None or not stored.hold.exists():
        return
    try:
        if restore and not stored.path.is_file():
            _link(stored.hold, stored.path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            stored.hold.unlink()


def make_store(root: Path | str) -> Store:
    """The store for a settings' ``store_path`` (only the local backend exists today)."""
    return LocalStore(root)
