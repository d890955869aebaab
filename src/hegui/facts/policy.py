"""Find the privacy policy bundled in an APK and analyse it (``Facts.policy``, ``Facts.policy_source``).

Where apps keep it:

* a file under ``assets/`` or ``res/raw*/`` (``.html``, ``.htm``, ``.txt``, ``.md``): chosen by its
  name (privacy, 隐私, policy, 个人信息, …) and, for other names, by the first KiB of its content;
* the text of the first-launch consent dialog, a long string resource with 隐私政策/个人信息 and
  同意 in it. resources.arsc is parsed for this only when no policy file is found (and only once
  per APK: the manifest's references share the parse, :mod:`hegui.apk.resources`).

Every read is bounded (:data:`MAX_POLICY_BYTES` per file, :data:`MAX_PEEKS` content peeks,
:data:`MAX_ARSC` for the resource table) and goes through :class:`hegui.apk.archive.Apk`;
anything that cannot be read becomes an analysis note, never an exception. When nothing is found
the source is recorded as ``kind="none"`` so that HG-POL-005 can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from hegui.apk.archive import Apk
from hegui.apk.resources import MAX_ARSC, parsed_resource_table, resource_table
from hegui.facts.model import AnalysisNote, PolicySource
from hegui.policy.load import decode_text, is_binary
from hegui.policy.model import PolicyAnalysis

MAX_POLICY_BYTES = 2 << 20  # a real policy is < 1 MB
MAX_PEEKS = 40  # candidate files (by extension only) whose head is read to look for policy words
PEEK_BYTES = 4096
MAX_DIALOG_STRINGS = 8
MAX_DIALOG_CHARS = 200_000
MIN_DIALOG_CHARS = 60

_EXT = re.compile(r"\.(html?|txt|md|markdown)$", re.IGNORECASE)
_DIR = re.compile(r"^(assets/|res/raw[^/]*/)")
# name words, strongest first: (pattern, score)
_NAME_WORDS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"privacy|隐私|yinsi|ysxy|ystk", re.IGNORECASE), 6),
    (re.compile(r"个人信息|personal|policy|zhengce", re.IGNORECASE), 4),
    (re.compile(r"协议|agreement|terms|protocol|xieyi|legal", re.IGNORECASE), 1),
)
_CONTENT_WORDS = ("隐私政策", "隐私保护", "个人信息", "privacy policy", "Privacy Policy")
_DIALOG_NEED = ("隐私政策", "个人信息", "隐私保护指引", "隐私协议")
# how those words appear in a string pool (UTF-8 or UTF-16LE)
_DIALOG_BYTES = tuple(w.encode(e) for w in ("隐私", "个人信息") for e in ("utf-8", "utf-16-le"))


@dataclass(frozen=True)
class _Candidate:
    name: str
    score: int
    why: str


def _kind(name: str) -> Literal["asset", "raw"]:
    return "asset" if name.startswith("assets/") else "raw"


def decode(data: bytes) -> str | None:
    """Text of a candidate file, or None for binary content (NUL bytes that are not UTF-16)."""
    return None if is_binary(data) else decode_text(data, [])


def _name_score(name: str) -> tuple[int, str]:
    base = name.rsplit("/", 1)[-1]
    for pattern, score in _NAME_WORDS:
        if m := pattern.search(base):
            return score, f"file name contains {m.group(0)!r}"
    return 0, ""


def _content_score(text: str) -> int:
    return sum(min(text.count(w), 5) for w in _CONTENT_WORDS)


def candidates(apk: Apk, notes: list[AnalysisNote]) -> list[_Candidate]:
    """Policy-like files under assets/ and res/raw*, best first."""
    found: list[_Candidate] = []
    peeks = 0
    for name in apk.names:
        if not (_DIR.match(name) and _EXT.search(name)) or name in apk.unsafe_names:
            continue
        score, why = _name_score(name)
        if score == 0:
            if peeks >= MAX_PEEKS:
                continue
            peeks += 1
            head = decode(apk.head(name, PEEK_BYTES)) or ""
            if not (content := _content_score(head)):
                continue
            score, why = 1 + min(content, 4), "content mentions the privacy policy / 个人信息"
        found.append(_Candidate(name, score, why))
    return sorted(found, key=lambda c: (-c.score, c.name))


def read_text(apk: Apk, name: str, notes: list[AnalysisNote]) -> str | None:
    """The decoded text of ``name``, bounded; None (and a note) if it cannot be used."""
    size = apk.entry(name).size
    if size > MAX_POLICY_BYTES:
        notes.append(
            AnalysisNote(
                code="policy-candidate-too-large",
                message=f"{size} bytes, over the {MAX_POLICY_BYTES}-byte policy limit: not read",
                file=name,
            )
        )
        return None
    try:
        data = apk.read(name, max_size=MAX_POLICY_BYTES)
    except Exception as exc:  # noqa: BLE001 - a damaged entry must not end the scan
        notes.append(AnalysisNote(code="policy-candidate-unreadable", message=str(exc), file=name))
        return None
    text = decode(data)
    if text is None:
        notes.append(
            AnalysisNote(
                code="policy-candidate-binary", message="binary content: not a policy text", file=name
            )
        )
    return text


def dialog_strings(apk: Apk, notes: list[AnalysisNote]) -> list[tuple[str, str]]:
    """(resource name, text) of long string resources that read like a consent dialog or policy,
    longest first, default configuration preferred. Parses resources.arsc (bounded)."""
    if "resources.arsc" not in apk:
        return []
    try:
        arsc = parsed_resource_table(apk)  # the manifest's references may have parsed it already
        if arsc is None:
            data = apk.read("resources.arsc", max_size=MAX_ARSC)
            if not any(w in data for w in _DIALOG_BYTES):
                return []  # no string of the table can match: skip the (slow, pure-Python) parse
            arsc = resource_table(apk, data)
        found: dict[str, str] = {}
        for package in arsc.get_packages_names():
            locales = sorted(arsc.get_locales(package), key=lambda loc: loc != "\x00\x00")
            for loc in locales:
                for entry in arsc.values[package][loc].get("string", []):
                    name, value = str(entry[0]), entry[1]
                    if not isinstance(value, str) or len(value) < MIN_DIALOG_CHARS or name in found:
                        continue
                    if any(w in value for w in _DIALOG_NEED) and (
                        "同意" in value or "agree" in value.lower()
                    ):
                        found[name] = value[:MAX_DIALOG_CHARS]
    except Exception as exc:  # noqa: BLE001 - absent, too large or hostile resource table
        notes.append(AnalysisNote(code="policy-strings-unreadable", message=str(exc), file="resources.arsc"))
        return []
    return sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:MAX_DIALOG_STRINGS]


def _analyse(name: str, text: str, notes: list[AnalysisNote]) -> PolicyAnalysis | None:
    from hegui.policy import PolicyError, analyse, load

    try:
        return analyse(load(name, text=text))
    except PolicyError as exc:
        notes.append(AnalysisNote(code="policy-unreadable", message=str(exc), file=name))
    except Exception as exc:  # noqa: BLE001 - an analyser bug must not end the scan
        notes.append(
            AnalysisNote(code="policy-analysis-failed", message=f"{type(exc).__name__}: {exc}", file=name)
        )
    return None


def find_policy(apk: Apk, notes: list[AnalysisNote]) -> tuple[PolicyAnalysis | None, PolicySource]:
    """The bundled policy, analysed, and where it came from (``kind="none"`` if nothing was found)."""
    found = candidates(apk, notes)
    considered = [c.name for c in found]
    for cand in found:
        text = read_text(apk, cand.name, notes)
        if text is None or not text.strip():
            continue
        if cand.score < 4 and not _content_score(text):
            continue  # e.g. a user agreement (用户协议) that never mentions personal information
        analysis = _analyse(cand.name, text, notes)
        if analysis is not None:
            source = PolicySource(
                kind=_kind(cand.name),
                path=cand.name,
                chars=analysis.text_chars,
                reason=cand.why,
                candidates=considered,
            )
            return analysis, source
    strings = dialog_strings(apk, notes)
    if strings:
        names = [f"string/{n}" for n, _ in strings]
        text = "\n\n".join(v for _, v in strings)
        analysis = _analyse("resources.arsc:" + " + ".join(names), text, notes)
        if analysis is not None:
            source = PolicySource(
                kind="string_resource",
                path=" + ".join(names),
                chars=analysis.text_chars,
                reason="consent-dialog text in string resources (no policy file bundled)",
                candidates=considered + names,
            )
            return analysis, source
    return None, PolicySource(kind="none", candidates=considered)
