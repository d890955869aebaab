"""The screener's learned part: a character n-gram model that decides the lexicon's near misses and
overrules the lexicon's labels it is nearly sure are wrong (``NgramModel.decide``).

A logistic regression per top-level category over the tf-idf of the 1-3 character n-grams of the
normalised post (``normalise(post).text``), trained by ``scripts/train_screen_model.py`` on the
labelled posts of ``tests/governance/data`` with ordinary sentences and hegui's own rule texts as
negatives. It is stored as data (``data/screen/ngram_model.tsv.gz``: a JSON header line, then one
line per n-gram: the n-gram, its idf and one weight per category) and applied here in plain Python,
so hegui needs no machine-learning library to use it, and the same post always gets the same
probabilities. The post's n-grams are found with an Aho-Corasick automaton of the model's n-grams
(pyahocorasick, as for the lexicon): one pass in C instead of a lookup per n-gram.

The arithmetic is scikit-learn's ``TfidfVectorizer(analyzer="char", ngram_range=(1, 3),
sublinear_tf=True)`` followed by ``LogisticRegression.predict_proba``: a feature's weight is
``(1 + ln count) * idf``, the vector is scaled to unit length, and a category's probability is the
logistic of its weights' dot product plus its intercept. The training script checks this module
against scikit-learn on every post it trained on before writing the file.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import operator
from array import array
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

import ahocorasick

MODEL_FILE = "ngram_model.tsv.gz"
FORMAT = 2


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
    veto: float  # a lexicon label is removed when the model's probability is below this ...
    veto_below: float  # ... when the lexicon's score is below this ...
    veto_max_chars: int  # ... and the post is no longer than the posts the model was trained on
    meta: dict[str, Any]

    def probabilities(self, text: str) -> dict[str, float]:
        """The probability of each category for the normalised post ``text``."""
        # every occurrence of an n-gram the model knows, found in one pass (overlaps included)
        found = [i for _, i in self.automaton.iter(text)] if text and self.rows else []
        if not found:
            return {cid: _logistic(b) for cid, b in zip(self.categories, self.intercepts, strict=True)}
        width = len(self.categories) + 1
        rows = self.rows
        if len(set(found)) == len(found):  # every n-gram once (most short posts): x = idf
            x = array("d", b"".join(map(rows.__getitem__, found)))
            norm = sum(x[0::width])
            dots = [sum(x[j::width]) for j in range(1, width)]
        else:  # x = (1 + ln count) idf: the n-grams seen once summed as above, the others weighed
            counts = Counter(found)
            once = [i for i, c in counts.items() if c == 1]
            more = [(i, 1.0 + math.log(c)) for i, c in counts.items() if c > 1]
            x = array("d", b"".join(map(rows.__getitem__, once)))
            y = array("d", b"".join([rows[i] for i, _ in more]))
            f = [v for _, v in more]
            norm = sum(x[0::width]) + sum(map(operator.mul, [v * v for v in f], y[0::width]))
            dots = [sum(x[j::width]) + sum(map(operator.mul, f, y[j::width])) for j in range(1, width)]
        scale = 1.0 / math.sqrt(norm)
        return {
            cid: _logistic(dot * scale + b)
            for cid, dot, b in zip(self.categories, dots, self.intercepts, strict=True)
        }

    def asks(self, score: float, label: bool) -> bool:
        """Whether the model has a say on a category the lexicon scored so."""
        return self.gate <= score < self.veto_below if label else score >= self.gate

    def decide(
        self, lexicon: dict[str, tuple[float, bool]], probs: dict[str, float], n_chars: int
    ) -> tuple[list[str], list[str]]:
        """(categories the model labels, lexicon labels it removes) for the lexicon's ``(score,
        label)`` per category, the model's probabilities and the normalised post's length."""
        added, removed = [], []
        for cid, (score, label) in lexicon.items():
            p = probs[cid]
            if label:
                if p < self.veto and score < self.veto_below and n_chars <= self.veto_max_chars:
                    removed.append(cid)
            elif score >= self.gate and p >= self.threshold:
                added.append(cid)
        return added, removed


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
        veto=float(head["veto"]),
        veto_below=float(head["veto_below"]),
        veto_max_chars=int(head["veto_max_chars"]),
        meta={k: v for k, v in head.items() if k not in {"categories", "intercepts"}},
    )


@functools.cache
def load_model() -> NgramModel:
    """The bundled model (read once)."""
    ref = resources.files("hegui.governance") / "data" / "screen" / MODEL_FILE
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return parse_model(f.read().splitlines())
