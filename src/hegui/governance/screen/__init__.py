"""The Chinese text screener (内容初筛): a score per category and the evidence spans of a post.

    screen(text) -> ScreenResult          one post
    screen_many(texts) -> Iterator        many posts, same screener
    available_screeners() -> list[str]    "lexicon", "gated" and the plug-ins

Scores only order the review queue: nothing is sanctioned on a score alone (docs/governance-screening.md).
The default screener, ``gated``, is the lexicon plus a bundled n-gram model (``ngram.py``) that decides
the lexicon's near misses and faint matches and vetoes its surest mistakes; ``lexicon`` is the
lexicon alone. Both are deterministic. Another screener is a plug-in: an entry point in the group
``hegui.screeners`` naming a callable ``(text: str) -> ScreenResult``.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import entry_points

from hegui.governance.screen.lexicon import Lexicon, load_lexicon
from hegui.governance.screen.model import CategoryScore, ScreenResult, Span, build
from hegui.governance.screen.ngram import NgramModel, load_model
from hegui.governance.screen.normalise import normalise
from hegui.governance.screen.score import default_scores, find_hits, score_hits

__all__ = ["CategoryScore", "ScreenResult", "Span", "available_screeners", "screen", "screen_many"]

ENTRY_POINT_GROUP = "hegui.screeners"
_HIT_ORDER = operator.itemgetter(1, 2, 0)  # evidence in the post's order: start, end, groups
MAX_CHARS = 10_000  # longer posts are screened on their first MAX_CHARS characters, with a note
Screener = Callable[[str], ScreenResult]


def lexicon_screener(text: str) -> ScreenResult:
    """The built-in screener: normalise, match the lexicon, score."""
    return _lexicon(text)[0]


def gated_screener(text: str) -> ScreenResult:
    """The default screener: the lexicon, with the n-gram model (``ngram.py``) deciding where the
    lexicon is unsure (``NgramModel.decide``). The model labels a top-level category that the lexicon
    scored below its threshold but at least ``gate`` when the model's probability reaches
    ``threshold``, or at least ``low_gate`` when it reaches ``low_threshold``; the score becomes that
    probability. In a post no longer than ``veto_max_chars`` (the length of the posts it learned
    from), it removes a lexicon label scored below ``veto_below`` when its probability is below
    ``veto``, or below ``veto_explained`` while another labelled category explains the post (the
    lexicon scored it at least ``veto_below`` or the model gives it ``sure``); that category and its
    subcategories are unlabelled and their scores capped at that probability. ``note`` names every
    category the model decided. A category of which the lexicon found nothing is never labelled:
    ``low_gate`` is above every category's score without a match, so every label has evidence spans."""
    return _gated(text, load_model())


def gated_with(model: NgramModel) -> Screener:
    """The ``gated`` screener with another model than the bundled one: one trained without some
    posts, to measure it on them (``benchmarks/screen_loao.py``)."""
    return functools.partial(_gated, model=model)


def _gated(text: str, model: NgramModel) -> ScreenResult:
    result, norm = _lexicon(text, "gated")
    cats = result.categories
    lexicon = {c: ((s := cats[c]).score, s.label) for c in model.categories}
    asked = [c for c, (score, label) in lexicon.items() if model.asks(score, label)]
    if not asked:
        return result
    probs = model.probabilities(norm, asked)
    decision = model.decide(lexicon, probs, len(norm))
    added, removed = decision.added, decision.removed
    if not added and not removed:
        return result
    changed = dict(cats)
    for c in added:
        changed[c] = _category_score(round(max(cats[c].score, probs[c]), 4), True)
    for c in removed:
        for cid, s in cats.items():
            if cid == c or cid.startswith(c + "."):
                changed[cid] = _category_score(round(min(s.score, probs[c]), 4), False)
    said = [result.note] if result.note else []
    if added:
        said.append("labelled by the n-gram model: " + ", ".join(f"{c} ({probs[c]:.2f})" for c in added))
    if removed:
        why = decision.explained_by
        said.append(
            "unlabelled by the n-gram model: "
            + ", ".join(
                f"{c} ({probs[c]:.2f}" + (f", {why[c]} explains the post)" if c in why else ")")
                for c in removed
            )
        )
    data = {**result.__dict__, "categories": changed, "screener": "gated", "note": "; ".join(said)}
    return build(ScreenResult, data)


def _lexicon(text: str, screener: str = "lexicon") -> tuple[ScreenResult, str]:
    """The lexicon's result (named ``screener``) and the normalised post (for the model)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    truncated = len(text) > MAX_CHARS
    post = text[:MAX_CHARS] if truncated else text
    lex = load_lexicon()
    norm = normalise(post)
    hits = find_hits(lex, norm)
    scores = score_hits(lex, hits, post)
    cats = dict(_default_categories(lex))
    thresholds = lex.thresholds
    for cid, s in scores.items():
        cats[cid] = _category_score(round(s, 4), s >= thresholds[cid])
    evidence = []
    if scores:
        used = _context_used(lex, scores)
        shown = set()  # a term and a pattern of one group may match the same piece: show it once
        for gids, a, b, exact in sorted(hits, key=_HIT_ORDER):
            for gid in gids:
                cat = lex.groups[gid].category
                if cat not in scores and gid not in used:
                    continue
                signal = gid if exact else gid + "~pinyin"
                if (signal, a, b) in shown:
                    continue
                shown.add((signal, a, b))
                evidence.append(
                    build(Span, {"category": cat, "start": a, "end": b, "text": post[a:b], "signal": signal})
                )
    note = f"screened the first {MAX_CHARS} of {len(text)} characters" if truncated else None
    data = {
        "categories": cats,
        "evidence": evidence,
        "screener": screener,
        "truncated": truncated,
        "note": note,
    }
    return build(ScreenResult, data), norm.text


def _default_categories(lex: Lexicon) -> dict[str, CategoryScore]:
    """Shared, frozen score objects of the categories that matched nothing (built once)."""
    cached = _DEFAULTS.get(id(lex))
    if cached is None:
        cached = {}
        base = default_scores(lex)
        for cid, s in sorted(base.items(), key=lambda kv: _order().get(kv[0], (len(_order()), kv[0]))):
            cached[cid] = CategoryScore(score=round(s, 4), label=s >= lex.thresholds[cid])
        _DEFAULTS[id(lex)] = cached
    return cached


_DEFAULTS: dict[int, dict[str, CategoryScore]] = {}
_SCORES: dict[tuple[float, bool], CategoryScore] = {}  # at most 2 x 10,001: scores have 4 decimals


def _category_score(score: float, label: bool) -> CategoryScore:
    """A shared, frozen score object: posts share most of their scores (built once each)."""
    got = _SCORES.get((score, label))
    if got is None:
        got = _SCORES[score, label] = build(CategoryScore, {"score": score, "label": label})
    return got


@functools.cache
def _order() -> dict[str, tuple[int, str]]:
    """Output order of the categories: that of data/categories.yaml."""
    from hegui.governance.categories import load_categories

    return {c.id: (i, c.id) for i, c in enumerate(load_categories())}


def _context_used(lex: Lexicon, scores: dict[str, float]) -> set[str]:
    """The shared context groups that the matched subcategories weigh (their evidence is shown)."""
    used: set[str] = set()
    for sid in scores:
        used |= lex.sub_context.get(sid, frozenset())
    return used


@functools.cache
def _plugins() -> dict[str, Screener]:
    found: dict[str, Screener] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            obj = ep.load()
        except Exception:  # noqa: BLE001 - a broken plug-in must not break the built-in screener
            continue
        fn = getattr(obj, "screen", obj)
        if callable(fn):
            found[ep.name] = fn
    return found


BUILT_IN: dict[str, Screener] = {"lexicon": lexicon_screener, "gated": gated_screener}
DEFAULT_SCREENER = "gated"


def available_screeners() -> list[str]:
    return [*BUILT_IN, *sorted(n for n in _plugins() if n not in BUILT_IN)]


def get_screener(screener: str | Screener | None = None) -> Screener:
    if screener is None:
        return BUILT_IN[DEFAULT_SCREENER]
    if isinstance(screener, str) and screener in BUILT_IN:
        return BUILT_IN[screener]
    if callable(screener):
        return screener
    try:
        return _plugins()[screener]
    except KeyError:
        raise ValueError(
            f"unknown screener {screener!r}; available: {', '.join(available_screeners())}"
        ) from None


def screen(text: str, *, screener: str | Screener | None = None) -> ScreenResult:
    """Scores per category (top levels and subcategories) and the evidence spans of ``text``."""
    return get_screener(screener)(text)


def screen_many(texts: Iterable[str], *, screener: str | Screener | None = None) -> Iterator[ScreenResult]:
    fn = get_screener(screener)
    for text in texts:
        yield fn(text)
