"""Receive a ``multipart/form-data`` upload straight into the APK store, bounded while it streams.

The request body is parsed incrementally (:mod:`python_multipart`); the bytes of the one file part
go through a bounded in-memory channel to :meth:`Store.put_stream`, which runs in a worker thread
and writes, hashes and counts them in the store's own temporary area. Nothing is spooled elsewhere
and nothing is read past the limit: a declared ``Content-Length`` over the limit is refused before
the body is read, and the count is checked on every chunk (``TooLargeError`` → 413). Text fields are
few and short; the client's file name and content type are kept as data only, never used as a path
or trusted as a type.

An optional second file part, the app's privacy policy (``policy``), is small: it is read into
memory (bounded by :data:`~hegui.service.policy_upload.MAX_POLICY_BYTES`), checked with the rules of
``hegui scan --policy`` once the body is complete, and only then stored. When the upload fails after
a file was stored, ``discard`` (the routes: delete it unless a version uses it) gets it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
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
from hegui.service.policy_upload import MAX_POLICY_BYTES, POLICY_FIELD, check_policy
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
    policy: Any = None  # the privacy policy's StoredFile, when one was given
    policy_name: str = ""  # its display name (the client's file name, last component)


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

    def __init__(self, file_field: str, policy_field: str | None) -> None:
        self.file_field = file_field
        self.policy_field = policy_field
        self.is_policy = False
        self.policy_parts = 0
        self.policy = bytearray()
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
        self.current, self.is_file, self.is_policy = None, False, False
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
        elif self.policy_field is not None and name == self.policy_field and b"filename" in params:
            self.policy_parts += 1
            if self.policy_parts > 1:
                self._fail(InvalidInputError(f"send at most one file in the form field {name!r}"))
            else:
                self.is_policy = True
                self.form.policy_name = params[b"filename"].decode("utf-8", "replace")[:MAX_FILE_NAME]
        elif len(self.form.fields) >= MAX_FIELDS:
            self._fail(InvalidInputError(f"too many form fields (at most {MAX_FIELDS})"))

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        if self.is_file:
            self.pending.append(bytes(data[start:end]))
            self.file_bytes += end - start
        elif self.is_policy:
            self.policy.extend(data[start:end])
            if len(self.policy) > MAX_POLICY_BYTES:
                self._fail(
                    TooLargeError(
                        f"the privacy policy is over the limit of {MAX_POLICY_BYTES} bytes",
                        zh=f"隐私政策文件超过 {MAX_POLICY_BYTES} 字节的大小限制。",
                    )
                )
        elif self.current == self.policy_field and end > start:  # a text value, e.g. a URL
            self._fail(
                InvalidInputError(
                    f"send the privacy policy as a file (HTML, Markdown or text) in the form field "
                    f"{self.policy_field!r}, not as a text value; the service never fetches a URL",
                    zh="请以文件形式上传隐私政策（HTML、Markdown 或文本），服务不会抓取网址。",
                )
            )
        else:
            self.value.extend(data[start:end])
            if len(self.value) > MAX_FIELD_BYTES:
                self._fail(
                    InvalidInputError(f"form field {self.current!r:.40} is over {MAX_FIELD_BYTES} bytes")
                )

    def _end(self) -> None:
        self.ended = True

    def _part_end(self) -> None:
        if self.current is not None and self.current == self.policy_field:
            return  # the policy file is in ``self.policy``; an empty text value is no policy
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
    request: Request,
    store: Any,
    *,
    max_bytes: int,
    file_field: str = "file",
    policy_field: str | None = POLICY_FIELD,
    discard: Callable[[Any], None] | None = None,
) -> UploadForm:
    """Parse the form, streaming the file part into ``store``; the text fields come back as strings,
    the privacy policy (``policy_field``, optional; None: not accepted) is checked and stored.

    Raises ``TooLargeError`` (over ``max_bytes``, a policy over its limit), ``InvalidInputError``
    (not multipart, no file, bad fields, an unreadable policy). On any error no file is left behind
    by this upload: a file already stored goes to ``discard`` (run in a worker thread; default: the
    hold is dropped).
    """
    boundary = _boundary(request)
    max_body = max_bytes + (MAX_POLICY_BYTES if policy_field else 0) + FORM_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise TooLargeError(
            f"upload of {declared} bytes is over the limit of {max_bytes} bytes; send a smaller APK "
            "or raise HEGUI_MAX_UPLOAD_MB",
            zh=f"上传文件超过 {max_bytes} 字节的大小限制。",
        )
    parts = _Parts(file_field, policy_field)
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
        await _drop(outcome.get("stored"), discard)
        raise group.exceptions[0] from None
    except BaseException:
        await _drop(outcome.get("stored"), discard)
        raise
    if "error" in outcome:
        raise outcome["error"]
    if not started:
        if parts.file_parts:  # an empty file part: nothing was sent to the store
            raise InvalidInputError("the uploaded file is empty")
        raise InvalidInputError(f"no file in the form field {file_field!r}")
    parts.form.stored = outcome["stored"]
    try:
        await _store_policy(parts, store)
    except BaseException:
        await _drop(parts.form.stored, discard)
        raise
    return parts.form


async def _store_policy(parts: _Parts, store: Any) -> None:
    """Check the policy part (if any) and store it. A browser's empty file input (no name, no
    bytes) is no policy."""
    form = parts.form
    if not parts.policy_parts or (not parts.policy and not form.policy_name):
        form.policy_name = ""
        return
    data = bytes(parts.policy)
    form.policy_name = await anyio.to_thread.run_sync(check_policy, data, form.policy_name)
    form.policy = await anyio.to_thread.run_sync(
        lambda: store.put_stream(io.BytesIO(data), max_bytes=MAX_POLICY_BYTES, hold=True)
    )


async def _drop(stored: Any, discard: Callable[[Any], None] | None) -> None:
    """The upload failed after its file was stored (``ingest`` never sees it): ``discard`` it, or
    at least drop its hold."""
    if stored is None:
        return
    if discard is None:
        release(stored, restore=False)
    else:
        await anyio.to_thread.run_sync(discard, stored)
