"""Turn the lexicon's matches into a 0..1 score per category.

For each subcategory: ``logit = bias + Σ own group weights + Σ shared-context weights + Σ combos``,
``score = 1 / (1 + e^-logit)``. An own group counts once (a pinyin-only match counts
``PINYIN_FACTOR`` of its weight: a homophone is weaker evidence than the word itself), plus
``EXTRA_TERM`` for each further distinct term of the group (at most ``MAX_EXTRA``). Shared context
groups (commerce intent, contact lures, cloud links, warnings, medical context) only count for a
subcategory that has at least one of its own positive groups matched: a WeChat ID alone is not a
category. A top-level score is the highest of its subcategories'. Deterministic: no randomness.
"""

from __future__ import annotations

import math

from hegui.governance.screen.lexicon import Lexicon
from hegui.governance.screen.normalise import FILL, Normalised, ascii_class
from hegui.governance.screen.words import UNRANKED

PINYIN_FACTOR = 0.85
EXTRA_TERM = 0.4
MAX_EXTRA = 2
EXTRA_CONTEXT = 0.25
MAX_EXTRA_WARN = 4  # a long warning names many warning words: each weighs, up to twice the first

Hit = tuple[tuple[str, ...], int, int, bool]  # group ids, original start, original end, exact


BREAKS = frozenset('，。！？；、,.!?;\n（）()【】[]「」《》“”"')
MAX_WORD = 4  # the longest common word (data/screen/words.txt)


def _whole(offsets: list[int] | None, i: int, j: int) -> bool:
    """True when ``text[i:j]`` was written in one piece: no space, symbol or punctuation that the
    poster wrote inside it (``单 打`` in ``带单 打水`` is no word: the poster wrote 带单 and 打水)."""
    return offsets is None or offsets[j - 1] - offsets[i] == j - 1 - i


def _crosses(words: dict[str, int], text: str, s: int, e: int, offsets: list[int] | None = None) -> bool:
    """True when a common word more frequent than ``text[s:e]`` itself runs across an edge of it: it
    begins before ``s`` and ends inside, or begins inside and ends after ``e`` (出行|服务 holds 行服务,
    面包|夜 holds 包夜). Then ``text[s:e]`` is a chance reading of two of the post's own words, not a
    term; a term that is the more common word stands (初中|小 is not 中小, 空降|服 not 降服). A word
    counts only as written in one piece (``_whole``; ``offsets``: the character view's map into the
    post)."""
    own = words.get(text[s:e], UNRANKED)
    get = words.get
    for i in range(max(0, s - MAX_WORD + 1), s):
        for j in range(s + 1, min(e, i + MAX_WORD + 1)):
            if get(text[i:j], own) < own and _whole(offsets, i, j):
                return True
    n = len(text)
    for i in range(s + 1, e):
        for j in range(e + 1, min(n, i + MAX_WORD) + 1):
            if get(text[i:j], own) < own and _whole(offsets, i, j):
                return True
    return False


# (start, end) of the 2-4 character windows that hold the character at offset 0
_AROUND = ((-3, 1), (-2, 1), (-2, 2), (-1, 1), (-1, 2), (-1, 3), (0, 2), (0, 3), (0, 4))


def _inside(words: dict[str, int], text: str, s: int, offsets: list[int] | None = None) -> bool:
    """True when the single character ``text[s]`` belongs to a common word written in one piece
    (收 in 收集, 出 in 出行)."""
    n = len(text)
    for a, b in _AROUND:
        i, j = s + a, s + b
        if i >= 0 and j <= n and text[i:j] in words and _whole(offsets, i, j):
            return True
    return False


def _latin_edge(o: str, start: int, end: int) -> bool:
    """True when a match that begins or ends with an ASCII letter (digit) touches another letter
    (digit) in the original: ``av`` in ``java``, ``91`` in ``4916``."""
    if start > 0:
        c = ascii_class(o[start])
        if c and c == ascii_class(o[start - 1]):
            return True
    if end < len(o):
        c = ascii_class(o[end - 1])
        return bool(c) and c == ascii_class(o[end])
    return False


def _kept(seg: str, terms: tuple[tuple[str, str], ...], gids: tuple[str, ...]) -> tuple[str, ...]:
    """The groups of the short terms (two characters) read in ``seg`` that share a character with it
    at the same place: with both characters swapped (有货 for 诱惑) a match is mostly chance."""
    if any(c.isascii() for c in seg):
        return gids  # typed pinyin mixed in: 约pao
    ok = {g for t, g in terms if any(a == b for a, b in zip(t, seg, strict=False))}
    return tuple(g for g in gids if g in ok)


def _in_handle(o: str, start: int, end: int) -> bool:
    """True when typed pinyin touches digits, as in a contact handle (``xiaomei25453``, ``lily520``):
    an ID is not a word of the post."""
    if end < len(o) and ascii_class(o[end - 1]) == "l" and ascii_class(o[end]) == "d":
        return True
    return start > 0 and ascii_class(o[start]) == "l" and ascii_class(o[start - 1]) == "d"


def find_hits(lex: Lexicon, n: Normalised) -> list[Hit]:
    hits: list[Hit] = []
    exact: dict[tuple[int, int], tuple[str, ...]] | None = None  # (start, end) -> groups, when needed
    found: set[str] = set()  # groups matched exactly somewhere
    written: list[tuple[int, int]] = []  # character-view spans of the terms matched as written
    text, o = n.text, n.original
    offsets = n.offsets
    words = lex.words
    last = len(text) - 1
    if lex.char_ac is not None:
        for e, (k, gids, latin, near) in lex.char_ac.iter(text):  # every term, overlaps included
            s = e - k + 1
            if (
                near is not None  # a term of one or two characters; its neighbours may make a word
                and ((s and text[s - 1] in near[0]) or (e < last and text[e + 1] in near[1]))
                and (_inside(words, text, s, offsets) if k == 1 else _crosses(words, text, s, e + 1, offsets))
            ):
                continue  # 收 in 收集, 包夜 in 面包夜宵: the post's own words, read across
            a, b = (s, s + k) if offsets is None else (offsets[s], offsets[s + k - 1] + 1)
            if latin and _latin_edge(o, a, b):
                continue
            hits.append((gids, a, b, True))
            found.update(gids)
            written.append((s, s + k))
    if lex.py_ac is not None and text:
        pyterms, short = lex.py_terms, lex.py_short
        for start, end, key in _pinyin_matches(lex, n.pinyin()):
            gids = pyterms[key]
            if found.issuperset(gids):
                continue  # every group of this reading already matched as written
            if any(s2 <= start and end <= e2 and (s2, e2) != (start, end) for s2, e2 in written):
                continue  # inside a term written as such: 返本金 is not 翻本 (a homophone) + 金
            if key in short and end - start == len(key):  # not typed: 机是 is not 技师 (_kept)
                gids = _kept(text[start:end], short[key], gids)
                if not gids:
                    continue
            if _crosses(words, text, start, end, offsets):
                continue  # 出行服务 does not hold 性服务
            if text[start:end] in words:
                continue  # written as a common word of its own: 体现 is not 提现, 信号 not 新号
            a, b = n.span(start, end)
            if _latin_edge(o, a, b) or _in_handle(o, a, b) or not BREAKS.isdisjoint(o[a:b]):
                continue  # a homophone is written in one piece, not across a comma
            if exact is None:  # the groups of each span matched as written (most posts never ask)
                exact = {}
                for got, a2, b2, _ in hits:
                    exact[a2, b2] = exact.get((a2, b2), ()) + got
            have = exact.get((a, b), ())
            gids = tuple(g for g in gids if g not in have)
            if gids:
                hits.append((gids, a, b, False))
    if lex.symbol_re is not None:
        symbols = lex.symbol_terms
        for m in lex.symbol_re.finditer(o):
            hits.append((symbols[m.group()], m.start(), m.end(), True))
    if lex.pattern_re is not None:
        hits.extend(_pattern_hits(lex, n))
    return hits


def _pinyin_matches(lex: Lexicon, py: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of every term in the pinyin view ``py``, overlaps and prefixes included; a
    typed syllable's fillers inside or after a match belong to it (``yue pao`` reads 约炮)."""
    if FILL not in py:
        return [(e - k + 1, e + 1, key) for e, (k, key) in lex.py_ac.iter(py)]
    where = [i for i, c in enumerate(py) if c != FILL]  # the codes' places in ``py``
    out = []
    n = len(py)
    for e, (k, key) in lex.py_ac.iter(py.replace(FILL, "")):
        end = where[e] + 1
        while end < n and py[end] == FILL:
            end += 1  # the rest of the last typed syllable
        out.append((where[e - k + 1], end, key))
    return out


def _pattern_hits(lex: Lexicon, n: Normalised) -> list[Hit]:
    """The patterns' matches, left to right without overlap (as ``finditer``), tried only where a
    pattern can begin (``pattern_first``), and there only the patterns that can begin with that
    character (``pattern_by_first``): a few tries of a few alternatives a post."""
    text, out, end = n.text, [], 0
    assert lex.pattern_re is not None
    if lex.pattern_first is None:
        found = [m for m in lex.pattern_re.finditer(text) if m.end() > m.start()]
    else:
        by_first, found = lex.pattern_by_first, []
        for c in lex.pattern_first.finditer(text):
            p = c.start()
            if p >= end and (m := by_first[c.group()](text, p)) is not None and m.end() > p:
                found.append(m)
                end = m.end()
    for m in found:
        if m.lastgroup:
            a, b = n.span(m.start(), m.end())
            out.append((lex.pattern_groups[m.lastgroup], a, b, True))
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def score_hits(lex: Lexicon, hits: list[Hit], original: str) -> dict[str, float]:
    """Scores of the subcategories that had one of their own positive groups matched, and of their
    top levels (the others keep their bias score: ``default_scores``)."""
    own_of = lex.own_of
    touched: set[str] = set()
    own: dict[str, list[tuple[int, str]]] = {}  # subcategory -> [(place in its own groups, group id)]
    by_group: dict[str, list] = {}  # group id -> [exact?, distinct matched texts]
    for gids, a, b, ex in hits:
        for gid in gids:
            got = by_group.get(gid)
            if got is None:
                by_group[gid] = [ex, {original[a:b]}]
                if gid in own_of:
                    sid, i, positive = own_of[gid]
                    own.setdefault(sid, []).append((i, gid))
                    if positive:
                        touched.add(sid)
            else:
                got[1].add(original[a:b])
                got[0] = got[0] or ex
    if not touched:
        return {}
    names = lex.context_names
    context = {names[g]: len(got[1]) for g, got in by_group.items() if g in names}
    scores: dict[str, float] = {}
    for sid in touched:
        sub = lex.subs[sid]
        present = set(context)
        logit = sub.bias
        for i, gid in sorted(own[sid]):  # in the order of the file: the same sum, bit for bit
            _, name, w = sub.own[i]
            got = by_group[gid]
            present.add(name)
            if w > 0:
                logit += (w if got[0] else w * PINYIN_FACTOR) + EXTRA_TERM * min(MAX_EXTRA, len(got[1]) - 1)
            else:
                logit += w
        for name, w in sub.context.items():
            n = context.get(name)
            if n:  # several warning words weigh more than one (a positive context counts once)
                logit += w * (1 + EXTRA_CONTEXT * min(MAX_EXTRA_WARN, n - 1)) if w < 0 else w
        index = sub.combo_index
        combos = [c for a in present if a in index for c in index[a] if c[1] in present]
        for _, _, w in sorted(combos):  # both names present, in the order of the file
            logit += w
        scores[sid] = _sigmoid(logit)
    base = default_scores(lex)
    members = lex.members
    for top in {lex.subs[sid].top for sid in touched}:
        best = 0.0
        for sid in members[top]:
            s = scores[sid] if sid in scores else base[sid]
            if s > best:
                best = s
        scores[top] = best
    return scores


def default_scores(lex: Lexicon) -> dict[str, float]:
    """Every category's score when nothing of its own matched (its bias), cached on the lexicon."""
    cached = lex.defaults
    if not cached:
        cached.update({sid: _sigmoid(sub.bias) for sid, sub in lex.subs.items()})
        for top in lex.tops:
            cached[top] = max((cached[s] for s, sub in lex.subs.items() if sub.top == top), default=0.0)
    return cached
