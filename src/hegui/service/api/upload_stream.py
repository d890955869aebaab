"""Receive a ``multipart/form-data`` upload straight into the APK store, bounded while it streams.

The request body is parsed incrementally (:mod:`python_multipart`); the bytes of the one file part
go through a bounded in-memory channel to :meth:`Store.put_stream`, which runs in a worker thread
and writes, hashes and counts them in the store's own temporary area. Nothing is spooled elsewhere
and nothing is read past the limit: a declared ``Content-Length`` over the limit is refused before
the body is read, and the count is checked on every chunk (``TooLargeError`` → 413). Text fields are
few and short; the client's file name and content type are kept as data only, never used as a path
or trusted as a type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.from_thread
import anyio.to_thread
from anyio.streams.memory import MemoryObjectReceiveStream
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from hegui.service.errors import InvalidInputError, TooLargeError
from hegui.service.storage import release

FORM_OVERHEAD = 64 * 1024  # room for the boundaries, part headers and the text fields
MAX_FIELDS = 8
MAX_FIELD_BYTES = 1024
MAX_FILE_NAME = 255


class UploadAborted(OSError):
    """The request side gave up; the store removes its temporary file."""


@dataclass
class UploadForm:
    fields: dict[str, str] = field(default_factory=dict)
    file_name: str = ""
    content_type: str = ""
    stored: Any = None  # hegui.service.storage.StoredFile, when a file part was received


class _ChannelReader:
    """A blocking ``read()`` (for the store's thread) over an anyio memory channel."""

    def __init__(self, receive: MemoryObjectReceiveStream[bytes]) -> None:
        self._receive = receive
        self._buf = bytearray()
        self._eof = False
        self.aborted = False

    def read(self, size: int = -1, /) -> bytes:
        while not self._buf and not self._eof:
            try:
                self._buf += anyio.from_thread.run(self._receive.receive)
            except (anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError):
                self._eof = True
        if self.aborted:
            raise UploadAborted("the upload was abandoned")
        n = len(self._buf) if size is None or size < 0 else min(size, len(self._buf))
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out


class _Parts:
    """Parser callbacks: which part we are in, its headers, the text fields, pending file bytes."""

    def __init__(self, file_field: str) -> None:
        self.file_field = file_field
        self.form = UploadForm()
        self.header_name = bytearray()
        self.header_value = bytearray()
        self.headers: dict[str, str] = {}
        self.current: str | None = None  # field name of the part being read
        self.is_file = False
        self.file_parts = 0
        self.value = bytearray()
        self.pending: list[bytes] = []
        self.file_bytes = 0
        self.error: Exception | None = None
        self.ended = False

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self.header_name.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _fail(self, exc: Exception) -> None:
        if self.error is None:
            self.error = exc

    def _part_begin(self) -> None:
        self.headers = {}
        self.current, self.is_file = None, False
        self.value = bytearray()

    def _header_end(self) -> None:
        name = self.header_name.decode("latin-1").strip().lower()
        self.headers[name] = self.header_value.decode("utf-8", "replace").strip()
        self.header_name, self.header_value = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self.headers.get("content-disposition", ""))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        self.current = name
        if name == self.file_field:
            self.file_parts += 1
            if self.file_parts > 1:
                self._fail(InvalidInputError(f"send exactly one file in the form field {self.file_field!r}"))
                return
            self.is_file = True
            raw_name = params.get(b"filename", b"").decode("utf-8", "replace")
            self.form.file_name = raw_name[:MAX_FILE_NAME]
            self.form.content_type = self.headers.get("content-type", "")[:100]
        elif len(self.form.fields) >= MAX_FIELDS:
            self._fail(InvalidInputError(f"too many form fields (at most {MAX_FIELDS})"))

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        if self.is_file:
            self.pending.append(bytes(data[start:end]))
            self.file_bytes += end - start
        else:
            self.value.extend(data[start:end])
            if len(self.value) > MAX_FIELD_BYTES:
                self._fail(
                    InvalidInputError(f"form field {self.current!r:.40} is over {MAX_FIELD_BYTES} bytes")
                )

    def _end(self) -> None:
        self.ended = True

    def _part_end(self) -> None:
        if self.error is None and not self.is_file and self.current is not None:
            try:
                self.form.fields[self.current[:40]] = self.value.decode("utf-8")
            except UnicodeDecodeError:
                self._fail(InvalidInputError(f"form field {self.current!r:.40} is not UTF-8"))


def _boundary(request: Request) -> bytes:
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise InvalidInputError("send the APK as multipart/form-data, in the form field 'file'")
    return boundary


async def receive_upload(
    request: Request, store: Any, *, max_bytes: int, file_field: str = "file"
) -> UploadForm:
    """Parse the form, streaming the file part into ``store``; the text fields come back as strings.

    Raises ``TooLargeError`` (over ``max_bytes``), ``InvalidInputError`` (not multipart, no file, bad
    fields). On any error no file is left behind by this upload.
    """
    boundary = _boundary(request)
    max_body = max_bytes + FORM_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise TooLargeError(
            f"upload of {declared} bytes is over the limit of {max_bytes} bytes; send a smaller APK "
            "or raise HEGUI_MAX_UPLOAD_MB",
            zh=f"上传文件超过 {max_bytes} 字节的大小限制。",
        )
    parts = _Parts(file_field)
    parser = MultipartParser(boundary, parts.callbacks())
    send, receive = anyio.create_memory_object_stream[bytes](max_buffer_size=16)
    reader = _ChannelReader(receive)
    outcome: dict[str, Any] = {}

    async def store_file() -> None:
        with receive:
            try:
                outcome["stored"] = await anyio.to_thread.run_sync(
                    lambda: store.put_stream(reader, max_bytes=max_bytes, hold=True)
                )
            except Exception as exc:  # handed to the request side below
                outcome["error"] = exc

    started = False
    received = 0
    try:
        async with anyio.create_task_group() as tg:
            try:
                async for chunk in request.stream():
                    received += len(chunk)
                    if received > max_body:
                        raise TooLargeError(
                            f"upload larger than the limit of {max_bytes} bytes",
                            zh=f"上传文件超过 {max_bytes} 字节的大小限制。",
                        )
                    try:
                        parser.write(chunk)
                    except MultipartParseError as exc:
                        raise InvalidInputError(f"malformed multipart body: {exc}") from None
                    if parts.error is not None:
                        raise parts.error
                    if parts.file_bytes > max_bytes:
                        raise TooLargeError(
                            f"upload larger than the limit of {max_bytes} bytes; send a smaller APK "
                            "or raise HEGUI_MAX_UPLOAD_MB",
                            zh=f"上传文件超过 {max_bytes} 字节的大小限制。",
                        )
                    if parts.pending and not started:
                        started = True
                        tg.start_soon(store_file)
                    for data in parts.pending:
                        await send.send(data)
                    parts.pending.clear()
                parser.finalize()
                if parts.error is not None:
                    raise parts.error
                if not parts.ended:
                    raise InvalidInputError("the multipart body is incomplete (no closing boundary)")
            except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                pass  # the store stopped reading: its error is in ``outcome``
            except ClientDisconnect:
                reader.aborted = True
                raise InvalidInputError("the client closed the connection during the upload") from None
            except BaseException:
                reader.aborted = True
                raise
            finally:
                send.close()
    except BaseExceptionGroup as group:  # anyio 4 wraps errors raised inside the task group
        _drop_hold(outcome)
        raise group.exceptions[0] from None
    except BaseException:
        _drop_hold(outcome)
        raise
    if "error" in outcome:
        raise outcome["error"]
    if not started:
        if parts.file_parts:  # an empty file part: nothing was sent to the store
            raise InvalidInputError("the uploaded file is empty")
        raise InvalidInputError(f"no file in the form field {file_field!r}")
    parts.form.stored = outcome["stored"]
    return parts.form


def _drop_hold(outcome: dict[str, Any]) -> None:
    """The upload failed after its file was stored: drop its hold (``ingest`` never sees it)."""
    if "stored" in outcome:
        release(outcome["stored"], restore=False)
