"""Typed loaders for the policy knowledge files (``knowledge/data/policy/*.yaml``) and the
compiled matchers built from them (one combined alternation per file, built once)."""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hegui.errors import KnowledgeError
from hegui.policy.model import ELEMENTS, GENERIC_PARENTS, PERMISSION_GROUPS, POLICY_ONLY_PI_TYPES

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LexEntry(_Entry):
    id: str
    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    # the wording is common outside collection ("发送照片"): a sentence must also have a
    # collection cue (收集, 读取, 访问, 权限 …) to state this type
    needs_cue: bool = False
    source: str


class ElementEntry(_Entry):
    id: str
    patterns: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)  # a sentence matching one of these is not evidence
    source: str


class PermissionEntry(_Entry):
    group: str
    terms: list[str] = Field(min_length=1)
    source: str


def _read(name: str) -> dict[str, Any]:
    try:
        text = resources.files("hegui.knowledge").joinpath("data", "policy", name).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_YamlLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"policy/{name}: cannot be read ({exc}): reinstall hegui") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise KnowledgeError(f"policy/{name}: expected a mapping with `entries`")
    return data


def _entries(name: str, model: type[_Entry]) -> tuple[dict[str, Any], list[Any]]:
    data = _read(name)
    try:
        return data, [model.model_validate(e) for e in data["entries"]]
    except ValidationError as exc:
        raise KnowledgeError(f"policy/{name}: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}") from None


def policy_pi_ids() -> frozenset[str]:
    from hegui.knowledge import pi_types

    return frozenset(pi_types()) | frozenset(GENERIC_PARENTS) | frozenset(POLICY_ONLY_PI_TYPES)


def _key(term: str) -> str:
    return re.sub(r"[\s\-_]", "", term).lower()


def _pieces(term: str) -> list[str]:
    """A term as regex pieces, one per character: optional space between Latin and CJK, optional
    separators inside Latin words, whole-word edges for Latin."""
    out: list[str] = []
    prev = ""
    for ch in term.lower():
        if ch in " -_":
            out.append(r"[\s\-_]?")
            prev = ""
            continue
        piece = re.escape(ch)
        if prev and (prev.isascii() != ch.isascii()):
            piece = r"\s?" + piece
        out.append(piece)
        prev = ch
    if out and term[:1].isascii() and term[:1].isalnum():
        out[0] = r"(?<![A-Za-z0-9])" + out[0]
    if out and term[-1:].isascii() and term[-1:].isalnum():
        out.append(r"(?![A-Za-z0-9])")
    return out


def term_regex(term: str) -> str:
    return "".join(_pieces(term))


def trie_regex(terms: list[str]) -> str:
    """One alternation for many terms, factored by common prefix (a trie), so that matching
    tries a handful of branches per position instead of every term; longest match wins."""
    trie: dict[str, dict] = {}
    for t in terms:
        node = trie
        for p in _pieces(t):
            node = node.setdefault(p, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        alts = [
            p + render(child)
            for p, child in sorted(node.items(), key=lambda kv: (kv[0].startswith("(?!"), kv[0]))
            if p
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    firsts = {c for t in terms for c in (t[:1].lower(), t[:1].upper()) if c}
    if not firsts:
        return r"(?!x)x"
    # a character-class lookahead rejects most positions at once, before any branch is tried
    return "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])" + render(trie)


class TermMatcher:
    """One alternation over all terms (longest first); ``ids[key(match)]`` gives the id, or
    ``None`` for an ignore term."""

    def __init__(self, terms: dict[str, str | None], patterns: list[tuple[str, str]]) -> None:
        self.ids = {_key(t): i for t, i in terms.items()}
        self.regex = re.compile(trie_regex(list(terms)), re.I)
        self.patterns = [(re.compile(p, re.I), i) for p, i in patterns]
        self.needs_cue: frozenset[str] = frozenset()

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, id) of every match; pattern matches first, then terms outside them."""
        end = len(text) if end is None else end
        out: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for rx, i in self.patterns:
            for m in rx.finditer(text, start, end):
                out.append((m.start(), m.end(), i))
                taken.append((m.start(), m.end()))
        for m in self.regex.finditer(text, start, end):
            if any(s <= m.start() < e for s, e in taken):
                continue
            pid = self.ids.get(_key(m.group()))
            if pid is not None:
                out.append((m.start(), m.end(), pid))
        return out


@functools.cache
def pi_matcher() -> TermMatcher:
    data, entries = _entries("pi_lexicon.yaml", LexEntry)
    known = policy_pi_ids()
    terms: dict[str, str | None] = {}
    owner: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    for e in entries:
        if e.id not in known:
            raise KnowledgeError(f"policy/pi_lexicon.yaml: unknown pi_type {e.id!r}")
        for t in e.terms:
            if owner.setdefault(_key(t), e.id) != e.id:
                raise KnowledgeError(
                    f"policy/pi_lexicon.yaml: term {t!r} of {e.id} is also {owner[_key(t)]}'s"
                )
            terms[t] = e.id
        patterns += [(p, e.id) for p in e.patterns]
    for t in data.get("ignore") or []:
        terms[str(t)] = None
    matcher = TermMatcher(terms, patterns)
    matcher.needs_cue = frozenset(e.id for e in entries if e.needs_cue)
    return matcher


@functools.cache
def pi_lexicon() -> tuple[LexEntry, ...]:
    return tuple(_entries("pi_lexicon.yaml", LexEntry)[1])


@functools.cache
def element_patterns() -> dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]]:
    _, entries = _entries("elements.yaml", ElementEntry)
    out: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}
    for e in entries:
        if e.id not in ELEMENTS:
            raise KnowledgeError(f"policy/elements.yaml: unknown element {e.id!r}")
        rx = re.compile("|".join(f"(?:{p})" for p in e.patterns), re.I)
        ex = re.compile("|".join(f"(?:{p})" for p in e.exclude), re.I) if e.exclude else None
        out[e.id] = (rx, ex)
    missing = set(ELEMENTS) - set(out)
    if missing:
        raise KnowledgeError(f"policy/elements.yaml: no patterns for {sorted(missing)}")
    return out


@functools.cache
def permission_matcher() -> TermMatcher:
    _, entries = _entries("permission_terms.yaml", PermissionEntry)
    terms: dict[str, str | None] = {}
    for e in entries:
        if e.group not in PERMISSION_GROUPS:
            raise KnowledgeError(f"policy/permission_terms.yaml: unknown group {e.group!r}")
        for t in e.terms:
            terms[t] = e.group
    return TermMatcher(terms, [])
