"""The rulebook: legal requirements as data, each linked to the checks that implement it.

``data/rulebook/*.yaml`` holds one file per source (认定方法, 164号文, PIPL, GB/T 41391-2022, the
2021 campaign). Every item says how it is judged:

* ``auto`` - at least one linked rule decides it from facts;
* ``assisted`` - linked rules collect evidence, a person confirms;
* ``manual`` - no check applies (policy text, in-app UI flows, server behaviour): listed for a
  reviewer, ``rules`` is empty.

``data/app_types.yaml`` holds the 39 app types of 《常见类型移动互联网应用程序必要个人信息范围规定》
with their necessary PI mapped to hegui PI types. See docs/rulebook.md.

This module does not import the rule registry (checks depend on knowledge, not the reverse):
that linked rule IDs exist, and that ``auto`` items link an ``auto`` rule, is tested in
tests/knowledge/test_rulebook.py.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hegui.errors import KnowledgeError
from hegui.knowledge.loaders import pi_types

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present

Judgement = Literal["auto", "assisted", "manual"]
Confidence = Literal["low", "medium"]

_RULE_ID = r"^HG-[A-Z]+-\d{3}$"
# File id -> the prefix every item id of that file carries.
_ID_PREFIX = {
    "rending": "RD-",
    "m164": "M164-",
    "pipl": "PIPL-",
    "gbt41391": "GBT41391-",
    "campaign2021": "SC2021-",
}


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Bilingual(_Entry):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Source(_Entry):
    """The instrument a file transcribes. ``law`` is the short name rules cite in ``LegalBasis.law``."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    law: str = Field(min_length=1)
    title: str
    url: str
    retrieved: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    references: list[str] = Field(default_factory=list)
    note: str | None = None


class Item(_Entry):
    """One requirement of a source. ``source`` (the file's source id) and ``law`` (its short name,
    as rules cite it) are filled in from the file's ``source`` header."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$")
    source: str
    law: str
    article: str = Field(min_length=1)
    text: Bilingual
    judgement: Judgement
    rules: list[str] = Field(default_factory=list)
    how: Bilingual
    group: Bilingual | None = None
    parent: str | None = None
    note: str | None = None


class AppType(_Entry):
    """One of the 39 app types, with its necessary PI and the hegui PI types that matches."""

    id: str = Field(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
    article: str
    name: Bilingual
    basic_function: Bilingual
    necessary_pi: list[str]  # as the regulation words it; empty = 无须个人信息即可使用基本功能服务
    pi_types: list[str]
    keywords: list[str] = Field(min_length=1)
    note: str | None = None

    @property
    def needs_no_pi(self) -> bool:
        return not self.necessary_pi


@dataclass(frozen=True)
class RulebookStats:
    """Item counts: ``per_source[law][judgement]`` (plus ``"total"``) and ``per_judgement``."""

    per_source: dict[str, dict[str, int]]
    per_judgement: dict[str, int]
    total: int


@dataclass(frozen=True)
class Rulebook:
    sources: tuple[Source, ...]
    items: tuple[Item, ...]
    _by_id: dict[str, Item] = field(init=False, repr=False, compare=False)
    _by_rule: dict[str, tuple[Item, ...]] = field(init=False, repr=False, compare=False)
    _by_article: dict[tuple[str, str], tuple[Item, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_rule: dict[str, list[Item]] = {}
        by_article: dict[tuple[str, str], list[Item]] = {}
        for it in self.items:
            for r in it.rules:
                by_rule.setdefault(r, []).append(it)
            by_article.setdefault((it.law, _norm(it.article)), []).append(it)
        object.__setattr__(self, "_by_id", {it.id: it for it in self.items})
        object.__setattr__(self, "_by_rule", {k: tuple(v) for k, v in by_rule.items()})
        object.__setattr__(self, "_by_article", {k: tuple(v) for k, v in by_article.items()})

    def get(self, item_id: str) -> Item:
        try:
            return self._by_id[item_id]
        except KeyError:
            prefix = item_id.split("-", 1)[0] + "-"
            near = [k for k in self._by_id if k.startswith(prefix)][:10]
            hint = f"; items of that source include {', '.join(near)}" if near else ""
            raise KnowledgeError(f"no rulebook item {item_id!r}{hint}") from None

    def items_for_rule(self, rule_id: str) -> list[Item]:
        """Items the rule implements (auto) or gathers evidence for (assisted)."""
        return list(self._by_rule.get(rule_id, ()))

    def find(self, law: str, article: str) -> list[Item]:
        """Items of instrument ``law`` (short name, e.g. ``认定方法``) whose article is ``article``."""
        return list(self._by_article.get((law.strip(), _norm(article)), ()))

    def source(self, law: str) -> Source:
        for s in self.sources:
            if s.law == law:
                return s
        raise KnowledgeError(f"no rulebook source {law!r}; sources: {', '.join(s.law for s in self.sources)}")

    @property
    def rule_ids(self) -> frozenset[str]:
        return frozenset(self._by_rule)


def _norm(article: str) -> str:
    return re.sub(r"\s+", "", article)


def _read(path: str) -> dict[str, Any]:
    try:
        text = (
            resources.files("hegui.knowledge").joinpath("data", *path.split("/")).read_text(encoding="utf-8")
        )
        doc = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader (C or pure Python)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"knowledge file {path} cannot be read: {exc}; reinstall hegui") from exc
    if not isinstance(doc, dict):
        raise KnowledgeError(f"knowledge file {path} must be a mapping")
    return doc


def _source(path: str, doc: dict[str, Any]) -> Source:
    try:
        return Source.model_validate(doc.get("source"))
    except ValidationError as exc:
        raise KnowledgeError(f"{path}: bad 'source' header: {exc}") from exc


def _entries(path: str, doc: dict[str, Any], key: str) -> list[Any]:
    entries = doc.get(key)
    if not isinstance(entries, list) or not entries:
        raise KnowledgeError(f"knowledge file {path} must have 'source' and a non-empty '{key}' list")
    extra = set(doc) - {"source", key}
    if extra:
        raise KnowledgeError(f"knowledge file {path}: unknown top-level keys {sorted(extra)}")
    return entries


def _entry_name(raw: Any, i: int) -> str:
    return f"entry {i} ({raw.get('id')!r})" if isinstance(raw, dict) and raw.get("id") else f"entry {i}"


def _check_item(path: str, src: Source, it: Item) -> None:
    where = f"{path}: item {it.id}"
    prefix = _ID_PREFIX.get(src.id)
    if prefix and not it.id.startswith(prefix):
        raise KnowledgeError(f"{where}: ids in this file start with {prefix!r}")
    bad = [r for r in it.rules if not re.match(_RULE_ID, r)]
    if bad:
        raise KnowledgeError(f"{where}: malformed rule IDs {bad} (use HG-<FAMILY>-<NNN>)")
    if len(set(it.rules)) != len(it.rules):
        raise KnowledgeError(f"{where}: a rule is listed twice")
    if it.judgement == "manual" and it.rules:
        raise KnowledgeError(f"{where}: a manual item links no rule; make it assisted or drop the rules")
    if it.judgement != "manual" and not it.rules:
        raise KnowledgeError(f"{where}: an {it.judgement} item needs at least one rule; or make it manual")


def _load_source_file(path: str) -> tuple[Source, list[Item]]:
    doc = _read(path)
    src = _source(path, doc)
    items: list[Item] = []
    for i, raw in enumerate(_entries(path, doc, "items")):
        if not isinstance(raw, dict):
            raise KnowledgeError(f"{path}: entry {i} must be a mapping")
        if "law" in raw or "source" in raw:
            raise KnowledgeError(
                f"{path}: {_entry_name(raw, i)} must not set 'law' or 'source' (they come from the header)"
            )
        try:
            it = Item.model_validate({**raw, "source": src.id, "law": src.law})
        except ValidationError as exc:
            raise KnowledgeError(f"{path}: {_entry_name(raw, i)}: {exc}") from exc
        _check_item(path, src, it)
        items.append(it)
    ids = {it.id for it in items}
    for it in items:
        if it.parent is not None and (it.parent not in ids or it.parent == it.id):
            raise KnowledgeError(f"{path}: item {it.id} has unknown parent {it.parent!r}")
    return src, items


@functools.cache
def rulebook() -> Rulebook:
    """Every source and item of ``data/rulebook/*.yaml`` (validated, cached)."""
    folder = resources.files("hegui.knowledge").joinpath("data", "rulebook")
    if not folder.is_dir():
        raise KnowledgeError("the rulebook (knowledge/data/rulebook/) is missing: reinstall hegui")
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml"))
    if not names:
        raise KnowledgeError("the rulebook (knowledge/data/rulebook/) has no YAML files: reinstall hegui")
    sources: list[Source] = []
    items: list[Item] = []
    seen_items: dict[str, str] = {}
    for name in names:
        path = f"rulebook/{name}"
        src, its = _load_source_file(path)
        for other in sources:
            if other.id == src.id or other.law == src.law:
                raise KnowledgeError(
                    f"{path}: source {src.id!r} / {src.law!r} is also defined in another file"
                )
        for it in its:
            if it.id in seen_items:
                raise KnowledgeError(f"{path}: item id {it.id!r} is also defined in {seen_items[it.id]}")
            seen_items[it.id] = path
        sources.append(src)
        items.extend(its)
    return Rulebook(sources=tuple(sources), items=tuple(items))


def stats() -> RulebookStats:
    """Item counts per source (by law short name) and per judgement."""
    book = rulebook()
    per_source: dict[str, dict[str, int]] = {}
    for src in book.sources:
        counts = Counter(it.judgement for it in book.items if it.law == src.law)
        per_source[src.law] = {
            "total": sum(counts.values()),
            **{j: counts.get(j, 0) for j in ("auto", "assisted", "manual")},
        }
    overall = Counter(it.judgement for it in book.items)
    return RulebookStats(
        per_source=per_source,
        per_judgement={j: overall.get(j, 0) for j in ("auto", "assisted", "manual")},
        total=len(book.items),
    )


# --- the 39 app types -------------------------------------------------------------------------


@functools.cache
def _app_types() -> tuple[Source, tuple[AppType, ...]]:
    path = "app_types.yaml"
    doc = _read(path)
    src = _source(path, doc)
    known = pi_types()
    out: list[AppType] = []
    seen: set[str] = set()
    for i, raw in enumerate(_entries(path, doc, "types")):
        try:
            t = AppType.model_validate(raw)
        except ValidationError as exc:
            raise KnowledgeError(f"{path}: {_entry_name(raw, i)}: {exc}") from exc
        if t.id in seen:
            raise KnowledgeError(f"{path}: duplicate app type id {t.id!r}")
        seen.add(t.id)
        unknown = [p for p in t.pi_types if p not in known]
        if unknown:
            raise KnowledgeError(f"{path}: {t.id} names unknown pi_types {unknown}")
        if t.pi_types and not t.necessary_pi:
            raise KnowledgeError(f"{path}: {t.id} maps pi_types but lists no necessary PI")
        out.append(t)
    return src, tuple(out)


def app_types() -> list[AppType]:
    """The 39 app types in the regulation's order (第五条（一）to（三十九）)."""
    return list(_app_types()[1])


def app_types_source() -> Source:
    return _app_types()[0]


def get_app_type(type_id: str) -> AppType:
    for t in _app_types()[1]:
        if t.id == type_id:
            return t
    choices = ", ".join(t.id for t in _app_types()[1])
    raise KnowledgeError(f"unknown app type {type_id!r}; choose one of: {choices}")


def _is_ascii(word: str) -> bool:
    return word.isascii()


def _word_hit(keyword: str, words: Iterable[str]) -> bool:
    """An ASCII keyword hits a word it equals (or equals plus a plural s); one of 4+ letters also
    hits a word it starts or ends (``minimap``, ``alipaygphone``)."""
    for w in words:
        if w == keyword or w == keyword + "s":
            return True
        if len(keyword) >= 4 and (w.startswith(keyword) or w.endswith(keyword)):
            return True
    return False


def _split(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def infer_app_type(label: str | None, package: str) -> tuple[AppType, Confidence] | None:
    """Guess the app type from the launcher label and the package name by keyword match.

    See :func:`infer_app_type_with_basis` (which also says which keyword matched, and where) for
    how the match works and why it is weak.
    """
    found = infer_app_type_with_basis(label, package)
    return None if found is None else (found[0], found[1])


def infer_app_type_with_basis(label: str | None, package: str) -> tuple[AppType, Confidence, str] | None:
    """Guess the app type from the launcher label and the package name by keyword match.

    Weak by design: keywords only suggest a type, they do not establish it. The result is
    ``"medium"`` confidence only when the label contains a type keyword and no other type
    matches the label as well; a match on the package name alone (or a tie) is ``"low"``. Many
    apps match nothing (brand names such as "淘宝" or ``com.ss.android.ugc.aweme`` carry no type
    word) and get ``None``; apps spanning several types (a super-app) get one of them. A person
    should confirm the type before it decides anything.
    """
    label_l = (label or "").lower()
    label_words = _split(label_l)
    pkg_words = _split(package)
    scored: list[tuple[tuple[int, int, int], int, AppType, str]] = []
    for order, t in enumerate(_app_types()[1]):
        in_label: list[str] = []
        in_pkg: list[str] = []
        for k in t.keywords:
            kl = k.lower()
            if _is_ascii(kl):
                if _word_hit(kl, label_words):
                    in_label.append(kl)
                if _word_hit(kl, pkg_words):
                    in_pkg.append(kl)
            elif kl in label_l:
                in_label.append(kl)
        if not in_label and not in_pkg:
            continue
        where = [f"label keyword {k!r}" for k in sorted(in_label, key=len, reverse=True)[:1]]
        where += [f"package keyword {k!r}" for k in sorted(in_pkg, key=len, reverse=True)[:1]]
        # longest label keyword first ("短视频" beats "视频"), then longest package keyword, then count
        score = (
            max(map(len, in_label), default=0),
            max(map(len, in_pkg), default=0),
            len(in_label) + len(in_pkg),
        )
        scored.append((score, order, t, "; ".join(where)))
    if not scored:
        return None
    scored.sort(key=lambda s: (-s[0][0], -s[0][1], -s[0][2], s[1]))
    best_score, _, best, basis = scored[0]
    label_tie = len(scored) > 1 and scored[1][0][0] == best_score[0]
    confidence: Confidence = "medium" if best_score[0] > 0 and not label_tie else "low"
    if len(scored) > 1:
        basis += f" (also matched: {', '.join(s[2].id for s in scored[1:4])})"
    return best, confidence, basis
