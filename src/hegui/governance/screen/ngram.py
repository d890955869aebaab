"""The screener's learned part: a character n-gram model that decides the lexicon's near misses and
faint matches, and overrules the lexicon's labels it is nearly sure are wrong (``NgramModel.decide``).

A logistic regression per top-level category over the tf-idf of the 1-3 character n-grams of the
normalised post (``normalise(post).text``), trained by ``scripts/train_screen_model.py`` on the
labelled posts of ``tests/governance/data`` with ordinary sentences and hegui's own rule texts as
negatives. It is stored as data (``data/screen/ngram_model.tsv.gz``: a JSON header line, then one
line per n-gram: the n-gram, its idf and one weight per category) and applied here in plain Python,
so hegui needs no machine-learning library to use it, and the same post always gets the same
probabilities. The post's n-grams are found with an Aho-Corasick automaton of the model's n-grams
(pyahocorasick, as for the lexicon): one pass in C instead of a lookup per n-gram.

The arithmetic is scikit-learn's ``TfidfVectorizer(analyzer="char", ngram_range=(1, 3),
binary=True)`` followed by ``LogisticRegression.predict_proba``: a feature's weight is its idf when
the n-gram is in the post (how often does not count), the vector is scaled to unit length, and a
category's probability is the logistic of its weights' dot product plus its intercept. Counting
presence rather than ``1 + ln count`` scored the same when one author's set was left out (mean F1
0.9154 against 0.9161 on six sets), and a post's rows are then summed without counting them. The
training script checks this module against scikit-learn on every post it trained on before writing
the file.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import ahocorasick

MODEL_FILE = "ngram_model.tsv.gz"
FORMAT = 3  # 3: presence of n-grams (binary tf), the low band and the explained veto


@dataclass(frozen=True)
class NgramModel:
    categories: tuple[str, ...]
    intercepts: tuple[float, ...]
    # per n-gram, its row (idf², then idf x the weight of each category) as packed doubles: one
    # compact object per n-gram, so that summing a post's rows reads little scattered memory
    rows: list[bytes]
    automaton: Any  # an ahocorasick.Automaton of the n-grams, each with its row's index
    gate: float  # the lexicon's score of a category from which the model may label it ...
    threshold: float  # ... when its probability reaches this
    low_gate: float  # a fainter score from which it may label it ...
    low_threshold: float  # ... only when it is surer than that
    veto: float  # a lexicon label is removed when the model's probability is below this ...
    veto_below: float  # ... when the lexicon's score is below this ...
    veto_max_chars: int  # ... and the post is no longer than the posts the model was trained on
    veto_explained: float  # below this, a label is removed (as above) when another category
    sure: float  # explains the post: labelled with a lexicon score >= veto_below or a probability >= sure
    meta: dict[str, Any]

    def probabilities(self, text: str, only: Iterable[str] | None = None) -> dict[str, float]:
        """The probability of each category (or of the categories ``only``) for the normalised post
        ``text``. Asking for fewer categories costs less: a category is one sum over the post's rows."""
        cats = self.categories if only is None else tuple(only)
        columns = [self.categories.index(c) + 1 for c in cats]  # ValueError for an unknown category
        intercepts = [self.intercepts[j - 1] for j in columns]
        # the n-grams the model knows, found in one pass, each once (the model counts presence)
        found = dict.fromkeys([i for _, i in self.automaton.iter(text)]) if text and self.rows else {}
        if not found:
            return {c: _logistic(b) for c, b in zip(cats, intercepts, strict=True)}
        width = len(self.categories) + 1
        x = array("d", b"".join(map(self.rows.__getitem__, found)))  # the post's rows, one after another
        norm = sum(x[0::width])
        dots = [sum(x[j::width]) for j in columns]
        scale = 1.0 / math.sqrt(norm)
        return {c: _logistic(dot * scale + b) for c, dot, b in zip(cats, dots, intercepts, strict=True)}

    def asks(self, score: float, label: bool) -> bool:
        """Whether the model has a say on a category the lexicon scored so."""
        return self.gate <= score < self.veto_below if label else score >= self.low_gate

    def decide(
        self, lexicon: dict[str, tuple[float, bool]], probs: dict[str, float], n_chars: int
    ) -> Decision:
        """What the model changes, for the lexicon's ``(score, label)`` of every category, the model's
        probabilities of the categories it ``asks`` about and the normalised post's length."""
        added: list[str] = []
        kept: list[str] = []  # the labels that stay
        doubtful: list[str] = []  # lexicon labels removed if another category explains the post
        vetoed: list[str] = []
        for cid, (score, label) in lexicon.items():
            p = probs.get(cid)
            if p is None:  # not asked: a lexicon label the lexicon is sure of, or nothing near one
                if label:
                    kept.append(cid)
            elif label:
                overrulable = n_chars <= self.veto_max_chars and score < self.veto_below
                if overrulable and p < self.veto:
                    vetoed.append(cid)
                else:
                    kept.append(cid)
                    if overrulable and p < self.veto_explained:
                        doubtful.append(cid)
            elif p >= (self.threshold if score >= self.gate else self.low_threshold):
                added.append(cid)
        explaining = [
            c for c in kept + added if lexicon[c][0] >= self.veto_below or probs.get(c, 0.0) >= self.sure
        ]
        explained = {c: next(o for o in explaining if o != c) for c in doubtful if set(explaining) - {c}}
        return Decision(added, vetoed + list(explained), explained)


@dataclass(frozen=True)
class Decision:
    added: list[str]  # categories the model labels
    removed: list[str]  # lexicon labels it removes
    explained_by: dict[str, str]  # of those, the ones removed because another category explains the post


def _logistic(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def parse_model(lines: list[str]) -> NgramModel:
    """The model of a file's lines (the header first); ValueError when the file is not one."""
    if not lines:
        raise ValueError("empty model file")
    head = json.loads(lines[0])
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        got = head.get("format") if isinstance(head, dict) else head
        raise ValueError(f"model format {got!r}, expected {FORMAT}")
    try:
        return _model(head, lines[1:])
    except (KeyError, TypeError) as e:
        raise ValueError(f"model header: {e!r} missing or of the wrong type") from None


def _model(head: dict[str, Any], lines: list[str]) -> NgramModel:
    cats = tuple(head["categories"])
    rows: list[bytes] = []
    automaton = ahocorasick.Automaton()
    for no, line in enumerate(lines, start=2):
        parts = line.split("\t")
        if len(parts) != len(cats) + 2 or not parts[0]:
            raise ValueError(f"line {no}: {len(parts)} fields, expected {len(cats) + 2} and an n-gram")
        if not automaton.add_word(parts[0], len(rows)):
            raise ValueError(f"line {no}: the n-gram {parts[0]!r} again")
        idf = float(parts[1])
        rows.append(array("d", [idf * idf, *(idf * float(v) for v in parts[2:])]).tobytes())
    if rows:
        automaton.make_automaton()
    return NgramModel(
        categories=cats,
        intercepts=tuple(float(b) for b in head["intercepts"]),
        rows=rows,
        automaton=automaton,
        gate=float(head["gate"]),
        threshold=float(head["threshold"]),
        low_gate=float(head["low_gate"]),
        low_threshold=float(head["low_threshold"]),
        veto=float(head["veto"]),
        veto_below=float(head["veto_below"]),
        veto_max_chars=int(head["veto_max_chars"]),
        veto_explained=float(head["veto_explained"]),
        sure=float(head["sure"]),
        meta={k: v for k, v in head.items() if k not in {"categories", "intercepts"}},
    )


@functools.cache
def load_model() -> NgramModel:
    """The bundled model (read once)."""
    ref = resources.files("hegui.governance") / "data" / "screen" / MODEL_FILE
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return parse_model(f.read().splitlines())
