"""Normalise a post for matching while keeping a map back to the original text.

Two views of the post, both one string with an offset map into the original:

* the **character view**: NFKC (full-width → half-width, circled ① → 1, 𝐯 → v), lower case,
  traditional → simplified (OpenCC's single-character table), and every separator removed
  (spaces, punctuation, symbols, emoji, zero-width and variation characters), so that
  ``约 炮``, ``约🔥炮`` and ``約炮`` all read ``约炮``;
* the **pinyin view**, aligned one-to-one with the character view: each Chinese character is
  replaced by a code point standing for its toneless pinyin syllable (``薇`` and ``微`` both become
  the code of ``wei``), and each run of ASCII letters is cut into pinyin syllables, the first letter
  of a syllable becoming its code and the others a filler (``weixin`` → ``<wei>··<xin>··``; a
  lexicon term is converted the same way), so homophone substitutions and typed pinyin meet the
  lexicon's own pinyin.

Everything is table-driven (one ``str.translate`` plus list comprehensions), so it is linear in the
length of the post.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

SEP = "\x00"
FILL = "\x01"  # the pinyin view's filler for the 2nd.. letters of a typed syllable
CODE_BASE = 0xE000  # syllable codes live in the Private Use Area
KEEP = frozenset("+@¥$%")  # symbols that carry meaning: +V, ¥200
PLUS_LIKE = frozenset("➕＋﹢✚✙")
EXTRA_SEPARATORS = "丨丶亅乂〆"  # CJK characters used as visual separators
_RANGES = (
    range(0x20, 0x10000),
    range(0x1D400, 0x1D800),  # mathematical alphanumerics (𝐯𝐱)
    range(0x1F000, 0x1FB00),  # emoji and enclosed alphanumerics (🅥)
    range(0xE0000, 0xE0080),  # tag characters
)


def _data(name: str) -> list[str]:
    text = resources.files("hegui.governance").joinpath("data", "screen", name).read_text("utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def t2s() -> dict[str, str]:
    return {line[0]: line[1] for line in _data("t2s.txt") if len(line) == 2}


@functools.cache
def common_words() -> dict[str, int]:
    """Common words of two to four characters (``data/screen/words.txt``, from jieba's dictionary)
    → their frequency rank (0: the most frequent): a match that runs across a more frequent word
    is not read as written (出行|服务 is not 性服务)."""
    return {w: i for i, w in enumerate(_data("words.txt"))}


@functools.cache
def pinyin_table() -> dict[str, str]:
    """Character → toneless pinyin (simplified and traditional forms)."""
    table: dict[str, str] = {}
    for line in _data("pinyin.txt"):
        syllable, _, chars = line.partition(" ")
        for ch in chars:
            table.setdefault(ch, syllable)
    return table


def _map_char(ch: str, simp: dict[str, str]) -> str:
    if ch in PLUS_LIKE:
        return "+"
    n = unicodedata.normalize("NFKC", ch)
    if unicodedata.category(ch) == "So" and not (n.isascii() and n.isalnum()):
        return SEP  # emoji and symbols, including 🈵 whose NFKC is an ideograph
    if len(n) != 1:
        alnum = [c for c in n if c.isalnum()]
        n = alnum[0] if len(alnum) == 1 else (n if n.isalpha() and len(n) == 1 else "")
        if not n:
            return SEP if not ch.isalnum() else ch
    n = simp.get(n.lower(), n.lower())
    if len(n) != 1:
        return ch
    if n in KEEP:
        return n
    if n in EXTRA_SEPARATORS or unicodedata.category(n)[0] in "PZSCM":
        return SEP
    return n


@functools.cache
def syllable_codes() -> dict[str, str]:
    """Toneless pinyin syllable → its code point in the pinyin view."""
    return {syl: chr(CODE_BASE + i) for i, syl in enumerate(sorted(set(pinyin_table().values())))}


@functools.cache
def pinyin_translate() -> dict[int, str]:
    codes = syllable_codes()
    return {ord(c): codes[syllable] for c, syllable in pinyin_table().items()}


@functools.cache
def _syllable_re() -> re.Pattern[str]:
    return re.compile(trie_regex(list(syllable_codes())))


@functools.cache
def _typed_replacements() -> dict[str, str]:
    return {syl: code + FILL * (len(syl) - 1) for syl, code in syllable_codes().items()}


_ASCII_LETTER = re.compile("[a-z]")


def pinyin_view(text: str) -> str:
    """The pinyin view of a character-view string (same length)."""
    view = text.translate(pinyin_translate())
    if _ASCII_LETTER.search(view) is None:
        return view
    repl = _typed_replacements()
    return _syllable_re().sub(lambda m: repl[m.group()], view)


@functools.cache
def translate_table() -> dict[int, str]:
    """Code point → its normal form (one character, or SEP for a separator); only the changed ones."""
    simp = t2s()
    table: dict[int, str] = {}
    for r in _RANGES:
        for cp in r:
            ch = chr(cp)
            out = _map_char(ch, simp)
            if out != ch:
                table[cp] = out
    for cp in range(0, 0x20):
        table[cp] = SEP
    return table


@dataclass(slots=True)
class Normalised:
    original: str
    text: str  # character view
    offsets: list[int] | None  # text[i] comes from original[offsets[i]]; None: identity
    _pinyin: str | None = None

    def orig(self, i: int) -> int:
        return i if self.offsets is None else self.offsets[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the character-view slice [start, end)."""
        return self.orig(start), self.orig(end - 1) + 1

    def pinyin(self) -> str:
        """The pinyin view (same length as ``text``)."""
        if self._pinyin is None:
            self._pinyin = pinyin_view(self.text)
        return self._pinyin


def trie_regex(words: list[str], gap: str = "") -> str:
    """One regular expression matching any of ``words``, longest first, shaped as a trie so that
    matching costs at most the length of the longest word at each position. ``gap``: a regex
    allowed after each syllable code (the fillers of typed pinyin)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [
            re.escape(ch) + (gap if ord(ch) >= CODE_BASE else "") + build(sub)
            for ch, sub in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie) if trie else "(?!)"


def normalise(text: str) -> Normalised:
    mapped = text.translate(translate_table())
    if SEP not in mapped:
        return Normalised(text, mapped, None)
    offsets = [i for i, c in enumerate(mapped) if c != SEP]
    return Normalised(text, mapped.replace(SEP, ""), offsets)


def term_key(term: str) -> str:
    """A lexicon term in the character view (so terms are written naturally)."""
    return term.translate(translate_table()).replace(SEP, "")


def term_pinyin(key: str) -> str:
    """A term's key in the pinyin view, made exactly as a post's."""
    return pinyin_view(key)


@functools.lru_cache(maxsize=4096)
def ascii_class(ch: str) -> str:
    """ "l" for a letter, "d" for a digit (after normalisation: Ｖ and ① count), else ""."""
    n = ch.translate(translate_table())
    return "l" if "a" <= n <= "z" else "d" if "0" <= n <= "9" else ""
