"""Read a privacy policy (file, URL or text) and clean it into a :class:`PolicyDocument`.

The cleaned text is one block per line: headings, paragraphs and table rows (cells joined with
`` | ``). Evidence offsets index that text. HTML is parsed with the stdlib ``html.parser`` (no
recursion, so deeply nested tags cost nothing); ``<pre>`` content (as in the CA4P corpus) and
Markdown go through the same line parser as plain text.
"""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from hegui.errors import HeguiError
from hegui.policy.markup import Block, Builder, Html, lines_into

MAX_BYTES = 3 * 1024 * 1024  # real policies are < 0.5 MB; anything this large is not a policy
MAX_CHARS = 1_000_000  # cleaned text cap (after decoding / tag removal)
URL_TIMEOUT = 15.0

Format = Literal["html", "text", "markdown", "pdf"]


class PolicyError(HeguiError):
    """A policy could not be read (missing, too large, binary, PDF, bad URL)."""

    kind = "policy"


@dataclass
class PolicyDocument:
    source: str
    format: Format
    text: str
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def block_text(self, b: Block) -> str:
        return self.text[b.start : b.end]


def is_binary(data: bytes) -> bool:
    """NUL bytes near the start that are not UTF-16 text (which starts with a byte-order mark)."""
    head = data[:8192]
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode_text(data: bytes, warnings: list[str]) -> str:
    """Text of policy bytes: a byte-order mark, else UTF-8, else GB18030, else UTF-8 with the
    undecodable bytes replaced (said in ``warnings``)."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        warnings.append("encoding: neither UTF-8 nor GB18030; undecodable bytes were replaced")
        return data.decode("utf-8", errors="replace")


def _decode(data: bytes, warnings: list[str]) -> str:
    if data.startswith(b"%PDF"):
        raise PolicyError("PDF policies are not supported: save the policy as text or HTML")
    if is_binary(data):
        raise PolicyError("binary file: expected an HTML, Markdown or text privacy policy")
    return decode_text(data, warnings)


def detect_format(name: str, text: str) -> Format:
    low = name.lower().rsplit("?", 1)[0]
    if low.endswith((".html", ".htm", ".xhtml", ".ftl")):
        return "html"
    if low.endswith((".md", ".mdx", ".markdown")):
        return "markdown"
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or re.search(r"<(body|div|p|table)[\s>]", head):
        return "html"
    if low.endswith(".txt"):
        return "text"
    if re.search(r"^#{1,6} \S", text[:20000], re.M) or re.search(r"^\|.*\|\s*$", text[:20000], re.M):
        return "markdown"
    return "text"


def _read_source(source: str | Path) -> tuple[str, bytes]:
    s = str(source)
    if s.startswith(("http://", "https://")):
        return s, _fetch(s)
    if "://" in s[:12]:
        raise PolicyError(f"unsupported URL scheme in {s!r}: only http(s) URLs and files are read")
    p = Path(s)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise PolicyError("not a file")
        if size > MAX_BYTES:
            raise PolicyError(f"{size} bytes is larger than the {MAX_BYTES // 1048576} MB policy limit")
        return s, p.read_bytes()
    except OSError as exc:
        raise PolicyError(f"cannot read the policy ({exc.strerror or exc})") from None


def _fetch(url: str) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "hegui-policy/1"})
    try:
        with urllib.request.urlopen(req, timeout=URL_TIMEOUT) as resp:  # noqa: S310 (scheme checked)
            data = resp.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise PolicyError(f"cannot fetch the policy ({exc})") from None
    if len(data) > MAX_BYTES:
        raise PolicyError(f"larger than the {MAX_BYTES // 1048576} MB policy limit")
    return data


def load(source: str | Path, *, text: str | None = None, fmt: Format | None = None) -> PolicyDocument:
    """Read and clean a policy. ``text`` given: ``source`` is only its name (no file is read)."""
    warnings: list[str] = []
    name = str(source)
    if text is None:
        name, data = _read_source(source)
        text = _decode(data, warnings)
    if len(text) > MAX_BYTES:
        raise PolicyError(f"{len(text)} characters is larger than the policy limit")
    if "\x00" in text[:8192]:
        raise PolicyError("binary content: expected an HTML, Markdown or text privacy policy")
    fmt = fmt or detect_format(name, text)
    if fmt == "pdf":
        raise PolicyError("PDF policies are not supported: save the policy as text or HTML")
    b = Builder()
    if fmt == "html":
        parser = Html(b)
        try:
            parser.feed(text)
            parser.finish()
        except Exception as exc:  # html.parser is lenient; keep what was read
            warnings.append(f"html: parsing stopped early ({type(exc).__name__})")
    else:
        lines_into(b, text, markdown=fmt == "markdown")
    cleaned = b.text()
    if len(cleaned) > MAX_CHARS:
        raise PolicyError(f"the cleaned policy has {len(cleaned)} characters (limit {MAX_CHARS})")
    if not cleaned.strip():
        warnings.append("empty: no text was found in the policy")
    return PolicyDocument(source=name, format=fmt, text=cleaned, blocks=b.blocks, warnings=warnings)
