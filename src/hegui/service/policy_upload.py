"""The privacy policy an uploader attaches to an APK: checked on upload, analysed by the job.

The policy is a file part of the upload form (``policy``): HTML, Markdown or text, at most
:data:`MAX_POLICY_BYTES` (the limit of :func:`hegui.policy.load`). It is checked with the same rules
as ``hegui scan --policy`` (a PDF or a binary file is refused, the text is decoded as UTF-8, a
byte-order mark or GB18030) before anything is recorded, then kept in the content-addressed store.
The service never fetches a URL: only the uploaded bytes are read, and the client's file name is a
display name (and a format hint), never a path or a URL to open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hegui.service.errors import InvalidInputError, TooLargeError

MAX_POLICY_BYTES = 3 * 1024 * 1024  # = hegui.policy.load.MAX_BYTES (a test checks)
POLICY_FIELD = "policy"
DEFAULT_NAME = "policy.txt"


def _document(data: bytes, name: str) -> Any:
    """The loaded :class:`hegui.policy.PolicyDocument` of these bytes (``PolicyError`` if unreadable)."""
    from hegui.policy import load
    from hegui.policy.load import PolicyError, decode_text, is_binary

    if data.startswith(b"%PDF"):
        raise PolicyError("PDF policies are not supported: save the policy as text or HTML")
    if is_binary(data):
        raise PolicyError("binary file: expected an HTML, Markdown or text privacy policy")
    warnings: list[str] = []
    text = decode_text(data, warnings)
    # ``text`` given: the name is only the document's name (and a format hint); nothing is opened
    doc = load(_hint(name), text=text)
    doc.warnings[:0] = warnings
    return doc


def _hint(name: str) -> str:
    """The client's file name as a display name: last path component, never a URL or a path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(c for c in base if c.isprintable())[:255]
    return base or DEFAULT_NAME


def check_policy(data: bytes, name: str) -> str:
    """Refuse a policy that ``hegui scan --policy`` could not read; returns its display name.

    ``TooLargeError`` (413) over :data:`MAX_POLICY_BYTES`, ``InvalidInputError`` (422) for an
    empty, PDF, binary or textless file."""
    from hegui.policy.load import PolicyError

    shown = _hint(name)
    if len(data) > MAX_POLICY_BYTES:
        raise TooLargeError(
            f"the privacy policy is over the limit of {MAX_POLICY_BYTES} bytes",
            zh=f"隐私政策文件超过 {MAX_POLICY_BYTES} 字节的大小限制。",
        )
    if not data:
        raise InvalidInputError("the privacy policy file is empty", zh="隐私政策文件为空。")
    try:
        doc = _document(data, shown)
    except PolicyError as exc:
        pdf = "PDF" in str(exc)
        raise InvalidInputError(
            f"policy {shown}: {exc}",
            zh=f"隐私政策 {shown}："
            + (
                "不支持 PDF 格式，请另存为文本或 HTML。"
                if pdf
                else "无法读取，请上传 HTML、Markdown 或文本文件。"
            ),
        ) from None
    if not doc.text.strip():
        raise InvalidInputError(
            f"policy {shown}: no text was found in it", zh=f"隐私政策 {shown}：文件中没有文字。"
        )
    return shown


def analyse_stored(path: Path | str, name: str) -> Any:
    """The :class:`hegui.policy.PolicyAnalysis` of a stored policy file, named by ``name`` (the
    uploader's file name; the store's path never reaches the report)."""
    from hegui.policy import analyse

    data = Path(path).read_bytes()[: MAX_POLICY_BYTES + 1]
    return analyse(_document(data, name))
