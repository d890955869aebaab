"""The screening lexicon: signal groups per category, loaded from ``data/screen/*.yaml``, compiled
into two Aho-Corasick automata (character view and pinyin view: every term found in one pass in C,
overlaps included) plus one regular expression of patterns.

A file holds ``groups`` shared by every category (``context.yaml``: commerce intent, contact lures,
cloud links, warning and medical contexts) or one top-level category's ``subcategories``, each with
its bias, the weights of the shared groups, the combinations that count, and its own groups::

    subcategories:
      prohibited_goods.tobacco:
        bias: -4.0
        context: {warn: -3.0}          # a shared group's weight for this subcategory
        combos: [[item, commerce, 2.5]] # both present: add 2.5
        groups:
          item: {w: 1.5, why: "...", terms: [电子烟, 烟弹], patterns: []}

A term is written naturally and normalised like the posts; a term with two or more Chinese
characters (or one and a letter: ``加v``) also matches through its pinyin (homophones, typed pinyin)
unless its group says ``pinyin: false``; terms of negative groups never do (``约跑`` must not cancel
``约炮``); a homophone of a one- or two-character term must keep one of its characters (score.py).
A term that is a single emoji or symbol (``❄``, ``🚬``, ``🔞``), which normalisation drops, is
matched in the original post. Patterns (Python regular expressions on the character view, ASCII
digits as ``[0-9]``) must be linear: no nested quantifiers. Extra files
(``load_lexicon(extra=...)``) add categories.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict, Field

from hegui.governance.screen.normalise import FILL, common_words, term_key, term_pinyin
from hegui.governance.screen.words import word_neighbours

CONTEXT = "context"
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class GroupSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    w: float = 0.0
    why: str
    pinyin: bool = True
    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)


class SubSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bias: float = -4.0
    threshold: float | None = None
    context: dict[str, float] = Field(default_factory=dict)
    combos: list[tuple[str, str, float]] = Field(default_factory=list)
    groups: dict[str, GroupSpec] = Field(default_factory=dict)


class FileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str | None = None
    threshold: float = 0.5
    groups: dict[str, GroupSpec] = Field(default_factory=dict)  # shared (context.yaml)
    subcategories: dict[str, SubSpec] = Field(default_factory=dict)


@dataclass(slots=True)
class Group:
    id: str  # "porn.vulgar/explicit" or "context/lure"
    category: str  # owning category id, or "context"
    name: str
    w: float
    why: str


@dataclass(slots=True)
class Sub:
    id: str
    top: str
    bias: float
    threshold: float
    context: dict[str, float]
    combos: list[tuple[str, str, float]]
    groups: list[str]  # group names
    own: list[tuple[str, str, float]] = field(default_factory=list)  # (group id, name, weight)
    # combos by their first name: name -> [(place in ``combos``, second name, weight)]
    combo_index: dict[str, list[tuple[int, str, float]]] = field(default_factory=dict)


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of ``pattern`` can begin with, or None when that is not simple to
    tell (then the patterns run on every post). Used to skip the patterns on posts without any."""
    try:
        from re import _constants as c
        from re import _parser as p

        found, _ = _firsts(list(p.parse(pattern)), c)
    except Exception:  # noqa: BLE001 - a private API: any surprise only disables the shortcut
        return None
    return found


def _firsts(items: list, c: Any) -> tuple[set[str] | None, bool]:  # (first characters, may be empty)
    out: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            return out | {chr(av)}, False
        if op is c.IN:
            for o, a in av:
                if o is c.LITERAL:
                    out.add(chr(a))
                elif o is c.RANGE and a[1] - a[0] < 256:
                    out |= {chr(x) for x in range(a[0], a[1] + 1)}
                else:
                    return None, False
            return out, False
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue
        if op is c.SUBPATTERN:
            f, empty = _firsts(list(av[-1]), c)
        elif op is c.BRANCH:
            f, empty = set(), False
            for alt in av[1]:
                g, e = _firsts(list(alt), c)
                if g is None:
                    return None, False
                f, empty = f | g, empty or e
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            f, empty = _firsts(list(av[2]), c)
            empty = empty or av[0] == 0
        else:
            return None, False
        if f is None:
            return None, False
        out |= f
        if not empty:
            return out, False
    return out, True


def automaton(values: dict[str, Any]) -> Any:
    """An Aho-Corasick automaton (pyahocorasick) of the words of ``values``: ``iter(text)`` yields
    ``(end index, value)`` for every occurrence of every word, by end, overlaps included."""
    auto = ahocorasick.Automaton()
    for word, value in values.items():
        auto.add_word(word, value)
    auto.make_automaton()
    return auto


@dataclass(slots=True)
class Lexicon:
    groups: dict[str, Group]
    subs: dict[str, Sub]
    tops: dict[str, float]  # top-level id -> threshold
    # character view: term -> (length, group ids, has an ASCII letter or digit at an edge, near):
    # ``near`` (``word_neighbours``) for a term of one or two characters, else None
    char_ac: Any
    # pinyin view (syllable codes, typed pinyin's fillers taken out): term key -> (length, key)
    py_ac: Any
    py_terms: dict[str, list[str]]  # pinyin key -> group ids
    py_short: dict[str, tuple[tuple[str, str], ...]]  # pinyin of a 1-2 character term -> (term, group)
    pattern_re: re.Pattern[str] | None
    pattern_first: re.Pattern[str] | None  # where a pattern can begin (None: anywhere)
    # a first character -> ``match`` of the patterns that can begin with it, in the file's order
    pattern_by_first: dict[str, Any] = field(default_factory=dict)
    pattern_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # regex group name -> ids
    # symbol terms (emoji such as ❄ 🚬 🔞, which normalisation drops): matched on the original text
    symbol_re: re.Pattern[str] | None = None
    symbol_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # symbol -> group ids
    # every own group (negative ones too) -> (subcategory id, place in its ``own``, positive?)
    own_of: dict[str, tuple[str, int, bool]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)  # top level -> its subcategory ids
    thresholds: dict[str, float] = field(default_factory=dict)  # every category id -> its label threshold
    context_names: dict[str, str] = field(default_factory=dict)  # shared context group id -> its name
    sub_context: dict[str, frozenset[str]] = field(default_factory=dict)  # context group ids it weighs
    defaults: dict[str, float] = field(default_factory=dict)  # scores when nothing matched (filled lazily)
    # common words -> frequency rank: a short match that runs across a more frequent one (or a single
    # character inside one) is a chance reading of the post's own words (score.py: _crosses, _inside)
    words: dict[str, int] = field(default_factory=dict)


def _latin(c: str) -> bool:
    return "a" <= c <= "z" or "0" <= c <= "9"


def _files(extra: tuple[str, ...]) -> list[tuple[str, str]]:
    folder = resources.files("hegui.governance").joinpath("data", "screen")
    out = [
        (p.name, p.read_text("utf-8"))
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".yaml")
    ]
    out.extend((str(p), Path(p).read_text("utf-8")) for p in extra)
    return out


def build(specs: list[tuple[str, FileSpec]]) -> Lexicon:
    groups: dict[str, Group] = {}
    subs: dict[str, Sub] = {}
    tops: dict[str, float] = {}
    char_terms: dict[str, list[str]] = {}
    py_terms: dict[str, list[str]] = {}
    py_short: dict[str, list[tuple[str, str]]] = {}
    patterns: list[tuple[str, str]] = []
    symbols: dict[str, list[str]] = {}

    def add(gid: str, category: str, name: str, spec: GroupSpec) -> None:
        groups[gid] = Group(gid, category, name, spec.w, spec.why)
        for term in spec.terms:
            key = term_key(term)
            if not key:  # an emoji or symbol: read in the original, where it still is
                sym = term.replace("\ufe0f", "").replace("\ufe0e", "")
                if len(sym) == 1:
                    symbols.setdefault(sym, []).append(gid)
                continue
            if gid not in (have := char_terms.setdefault(key, [])):  # 學生 and 学生: one key
                have.append(gid)
            cjk = sum(1 for c in key if "\u4e00" <= c <= "\u9fff")
            if spec.pinyin and spec.w >= 0 and (cjk >= 2 or (cjk and len(key) >= 2)):
                py = term_pinyin(key).replace(FILL, "")  # 约pao reads as 约炮
                if gid not in (have := py_terms.setdefault(py, [])):
                    have.append(gid)
                if len(key) <= 2:
                    py_short.setdefault(py, []).append((key, gid))
        patterns.extend((gid, p) for p in spec.patterns)

    for _name, fs in specs:
        for gname, g in fs.groups.items():
            add(f"{CONTEXT}/{gname}", CONTEXT, gname, g)
        if fs.category:
            tops[fs.category] = fs.threshold
        for sid, ss in fs.subcategories.items():
            top = sid.split(".", 1)[0]
            tops.setdefault(top, fs.threshold)
            subs[sid] = Sub(
                sid,
                top,
                ss.bias,
                ss.threshold if ss.threshold is not None else tops[top],
                ss.context,
                ss.combos,
                list(ss.groups),
                [(f"{sid}/{name}", name, g.w) for name, g in ss.groups.items()],
            )
            for gname, g in ss.groups.items():
                add(f"{sid}/{gname}", sid, gname, g)
    for sub in subs.values():
        for i, (a, b, w) in enumerate(sub.combos):
            sub.combo_index.setdefault(a, []).append((i, b, w))
    by_first = _by_first(patterns)
    pattern_groups = {f"p{i}": (gid,) for i, (gid, _) in enumerate(patterns)}
    pattern_src = "|".join(f"(?P<p{i}>{p})" for i, (_, p) in enumerate(patterns))
    return Lexicon(
        groups=groups,
        subs=subs,
        tops=tops,
        char_ac=automaton(
            {
                w: (len(w), tuple(g), _latin(w[0]) or _latin(w[-1]), word_neighbours(w))
                for w, g in char_terms.items()
            }
        )
        if char_terms
        else None,
        py_ac=automaton({k: (len(k), k) for k in py_terms}) if py_terms else None,
        py_terms=py_terms,
        py_short={k: tuple(v) for k, v in py_short.items()},
        pattern_re=re.compile(pattern_src) if patterns else None,
        pattern_first=_char_class(by_first),
        pattern_by_first=by_first,
        pattern_groups=pattern_groups,
        symbol_re=re.compile("[" + "".join(re.escape(c) for c in sorted(symbols)) + "]") if symbols else None,
        symbol_terms={c: tuple(g) for c, g in symbols.items()},
        own_of={gid: (sid, i, w > 0) for sid, sub in subs.items() for i, (gid, _, w) in enumerate(sub.own)},
        members={top: [sid for sid, sub in subs.items() if sub.top == top] for top in tops},
        thresholds={**tops, **{sid: sub.threshold for sid, sub in subs.items()}},
        context_names={gid: g.name for gid, g in groups.items() if g.category == CONTEXT},
        sub_context={
            sid: frozenset(f"{CONTEXT}/{n}" for n in {*sub.context, *(x for c in sub.combos for x in c[:2])})
            for sid, sub in subs.items()
        },
        words=common_words(),
    )


def _char_class(by_first: dict[str, Any]) -> re.Pattern[str] | None:
    """Where a pattern can begin: the first characters of ``_by_first`` (None: anywhere)."""
    return re.compile("[" + "".join(re.escape(ch) for ch in by_first) + "]") if by_first else None


def _by_first(patterns: list[tuple[str, str]]) -> dict[str, Any]:
    """For each character a pattern can begin with, one regex of just those patterns (named as in
    the full one, in the same order, so the first that matches is the same): a try at a position
    runs a few alternatives, not all of them. Empty when a pattern's first characters are unknown."""
    firsts = [first_chars(p) for _, p in patterns]
    if not all(firsts):
        return {}
    chars = sorted(set().union(*firsts))  # type: ignore[arg-type]
    return {
        ch: re.compile(
            "|".join(
                f"(?P<p{i}>{p})"
                for i, ((_, p), f) in enumerate(zip(patterns, firsts, strict=True))
                if ch in f
            )
        ).match
        for ch in chars
    }


@functools.cache
def load_lexicon(extra: tuple[str, ...] = ()) -> Lexicon:
    """The packaged lexicon, plus ``extra`` YAML files (same format) for configured categories."""
    specs = []
    for name, text in _files(extra):
        try:
            specs.append((name, FileSpec.model_validate(yaml.load(text, Loader=_YamlLoader) or {})))
        except (yaml.YAMLError, ValueError) as exc:
            raise ValueError(f"screening lexicon {name}: {exc}") from exc
    return build(specs)
