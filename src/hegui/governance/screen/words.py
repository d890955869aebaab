"""The common words next to a short term: which characters, standing just before or just after a
term of one or two characters, could make a common word with it (``data/screen/words.txt``).

``score.find_hits`` drops a short term that is a chance reading of the post's own words (收 in 收集,
包夜 in 面包夜宵: ``score._inside`` and ``score._crosses``); these sets let it look the words up only
when such a character stands next to the match, which is rare.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hegui.governance.screen.normalise import common_words

UNRANKED = 1 << 30  # the rank of a text that is no common word


def word_neighbours(term: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """For a term of one or two characters, the characters that must stand just before or just
    after it for a common word to run into it (score.py's ``_inside`` and ``_crosses``): one
    character, the characters next to it inside some common word; two characters, those before the
    first in a more frequent word ending with it, and those after the second in a more frequent word
    beginning with it. Neither neighbour in its set: no such word, and no dictionary lookup."""
    if len(term) > 2:
        return None
    index = _word_index()
    if len(term) == 1:
        return index.inside.get(term, (_NONE, _NONE))
    own = common_words().get(term, UNRANKED)  # only more frequent words count (all, if it is none)
    before = frozenset(c for rank, c in index.ending.get(term[0], ()) if rank < own)
    after = frozenset(c for rank, c in index.starting.get(term[1], ()) if rank < own)
    return before, after


_NONE: frozenset[str] = frozenset()


@dataclass(slots=True)
class _WordIndex:
    """The common words by the characters that stand next to a given one (built once)."""

    inside: dict[str, tuple[frozenset[str], frozenset[str]]]  # c -> (chars before c, chars after c)
    ending: dict[str, list[tuple[int, str]]]  # c -> (rank, char before c) of the words ending with c
    starting: dict[str, list[tuple[int, str]]]  # c -> (rank, char after c) of the words beginning with c


@functools.cache
def _word_index() -> _WordIndex:
    before: dict[str, set[str]] = {}
    after: dict[str, set[str]] = {}
    ending: dict[str, list[tuple[int, str]]] = {}
    starting: dict[str, list[tuple[int, str]]] = {}
    for w, rank in common_words().items():
        for i in range(1, len(w)):
            before.setdefault(w[i], set()).add(w[i - 1])
            after.setdefault(w[i - 1], set()).add(w[i])
        ending.setdefault(w[-1], []).append((rank, w[-2]))
        starting.setdefault(w[0], []).append((rank, w[1]))
    return _WordIndex(
        inside={c: (frozenset(before.get(c, ())), frozenset(after.get(c, ()))) for c in {*before, *after}},
        ending=ending,
        starting=starting,
    )
