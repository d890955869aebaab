"""The screener's learned part: a character n-gram model that decides the lexicon's near misses.

A logistic regression per top-level category over the tf-idf of the 1-3 character n-grams of the
normalised post (``normalise(post).text``), trained by ``scripts/train_screen_model.py`` on the
labelled posts of ``tests/governance/data`` with ordinary sentences and hegui's own rule texts as
negatives. It is stored as data (``data/screen/ngram_model.tsv.gz``: a JSON header line, then one
line per n-gram: the n-gram, its idf and one weight per category) and applied here in plain Python,
so hegui needs no machine-learning library to use it, and the same post always gets the same
probabilities.

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
from dataclasses import dataclass
from importlib import resources
from typing import Any

MODEL_FILE = "ngram_model.tsv.gz"
FORMAT = 1


@dataclass(frozen=True)
class NgramModel:
    categories: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]  # n-gram -> (idf, weight of each category)
    max_n: int
    gate: float  # the lexicon's score of a category from which the model may label it
    threshold: float  # the model's probability from which it does
    meta: dict[str, Any]

    def probabilities(self, text: str) -> dict[str, float]:
        """The probability of each category for the normalised post ``text``."""
        counts: dict[str, int] = {}
        n_chars = len(text)
        for n in range(1, self.max_n + 1):
            for i in range(n_chars - n + 1):
                g = text[i : i + n]
                counts[g] = counts.get(g, 0) + 1
        weights = self.weights
        k = len(self.categories)
        dots = [0.0] * k
        norm = 0.0
        for g, c in counts.items():
            w = weights.get(g)
            if w is None:
                continue
            x = (1.0 + math.log(c)) * w[0]
            norm += x * x
            for j in range(k):
                dots[j] += x * w[j + 1]
        scale = 1.0 / math.sqrt(norm) if norm else 0.0
        return {
            cid: _logistic(dot * scale + b)
            for cid, dot, b in zip(self.categories, dots, self.intercepts, strict=True)
        }


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
    if head.get("format") != FORMAT:
        raise ValueError(f"model format {head.get('format')!r}, expected {FORMAT}")
    cats = tuple(head["categories"])
    weights: dict[str, tuple[float, ...]] = {}
    for no, line in enumerate(lines[1:], start=2):
        parts = line.split("\t")
        if len(parts) != len(cats) + 2:
            raise ValueError(f"line {no}: {len(parts)} fields, expected {len(cats) + 2}")
        weights[parts[0]] = tuple(float(v) for v in parts[1:])
    return NgramModel(
        categories=cats,
        intercepts=tuple(float(b) for b in head["intercepts"]),
        weights=weights,
        max_n=int(head["max_n"]),
        gate=float(head["gate"]),
        threshold=float(head["threshold"]),
        meta={k: v for k, v in head.items() if k not in {"categories", "intercepts"}},
    )


@functools.cache
def load_model() -> NgramModel:
    """The bundled model (read once)."""
    ref = resources.files("hegui.governance") / "data" / "screen" / MODEL_FILE
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return parse_model(f.read().splitlines())
