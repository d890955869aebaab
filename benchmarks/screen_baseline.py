"""A learned baseline beside the lexicon screener: a character n-gram logistic regression trained on
the labelled posts, measured on a set it never saw and on real text that breaks no rule.

    python benchmarks/screen_baseline.py [--train dev test independent] [--eval independent2]
                                         [--gate 0.25] [--negatives FILE]
                                         [--out benchmarks/results/screen_baseline.json]

Why it is here: "add a model" is the obvious way to raise recall on unseen wording. This script
measures it in one run, on the same posts, against the lexicon alone (``screener="lexicon"``); it is
the bench for trying model configurations. The model that ships (the default ``gated`` screener) is
trained by ``scripts/train_screen_model.py`` and measured by ``screen_eval.py``:

- ``lexicon``: the lexicon screener's labels;
- ``ngram``: per top-level category, a logistic regression (scikit-learn, class-balanced) on the
  1-3 character n-grams of the normalised post (tf-idf, sublinear), trained on ``--train``;
- ``either``: a post is labelled when the lexicon or the model labels it (the ensemble that helps
  recall most);
- ``gated``: the lexicon's labels, plus the model's where the lexicon already scored the category
  at least ``--gate`` (below its threshold of 0.5): the model only decides the lexicon's near
  misses, so text with none of a category's words is never flagged by the model.

``--negatives FILE``: ordinary text, one sentence per line (e.g. product reviews and news), added as
acceptable posts: the even lines to the training set, the odd lines held out and reported as
``ordinary`` (every flag there is a false positive too).

Every configuration is also run on ``real-benign``, the paragraphs of the real privacy policies in
../shared/policies (when present): real text that breaks no rule, so every flag is a false
positive. Neither ``--train`` nor ``--eval`` may name a blind set (``screen_eval.BLIND``): the
script refuses it.
Needs scikit-learn, which hegui does not depend on (``pip install scikit-learn``). A benchmark:
exit 0 whatever it finds (2 when scikit-learn is missing or the arguments are wrong).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screen_eval  # noqa: E402  (the sets and their loaders)

# screen_eval's sets, the independent set whole rather than in halves
FILES = {("independent" if n in screen_eval.HALVES else n): f for n, f in screen_eval.SETS.items()}
BLIND = screen_eval.BLIND
CATEGORIES = screen_eval.CATEGORIES
DEFAULT_OUT = screen_eval.ROOT / "benchmarks" / "results" / "screen_baseline.json"


def _posts(names: list[str]) -> list[dict[str, Any]]:
    return [p for n in names for p in screen_eval.load(FILES[n])]


def _prf(truth: list[bool], pred: list[bool]) -> dict[str, float | None]:
    tp = sum(t and p for t, p in zip(truth, pred, strict=True))
    fp = sum(p and not t for t, p in zip(truth, pred, strict=True))
    fn = sum(t and not p for t, p in zip(truth, pred, strict=True))
    return screen_eval.prf(tp, fp, fn)


def _negatives(path: Path | None) -> tuple[list[str], list[str]]:
    """(training half, held-out half) of the ordinary sentences in ``path``: screen_eval's halves."""
    if path is None:
        return [], []
    halves = screen_eval.load_ordinary(path)
    return halves["ordinary-guide"], halves["ordinary-holdout"]


def run(
    train_names: list[str], eval_names: list[str], gate: float = 0.25, negatives: Path | None = None
) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from hegui.governance.screen import screen_many
    from hegui.governance.screen.normalise import normalise

    train, evals = _posts(train_names), _posts(eval_names)
    neg_train, neg_held = _negatives(negatives)
    train += [{"text": t, "labels": []} for t in neg_train]
    real = [p["text"] for p in screen_eval.load_real_benign()] if screen_eval.POLICIES.is_dir() else []
    texts = {"eval": [p["text"] for p in evals], "real_benign": real, "ordinary": neg_held}

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    x_train = vec.fit_transform([normalise(p["text"]).text for p in train])
    x = {k: vec.transform([normalise(t).text for t in v]) for k, v in texts.items() if v}
    lex = {k: list(screen_many(v, screener="lexicon")) for k, v in texts.items()}  # the lexicon alone
    per_cat: dict[str, dict[str, Any]] = {}
    flagged: dict[str, dict[str, set[int]]] = {
        k: {c: set() for c in CONFIGS} for k in ("real_benign", "ordinary")
    }
    for c in CATEGORIES:
        model = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced")
        model.fit(x_train, [c in p["labels"] for p in train])
        labels = {k: _labels(model, x[k], lex[k], c, gate) for k in x}
        truth = [c in p["labels"] for p in evals]
        per_cat[c] = {name: _prf(truth, labels["eval"][name]) for name in CONFIGS}
        for k in flagged:
            for name in CONFIGS:
                flagged[k][name] |= {i for i, hit in enumerate(labels.get(k, {}).get(name, [])) if hit}
    return {
        "train": train_names,
        "train_posts": len(train),
        "negatives": {
            "file": str(negatives) if negatives else None,
            "train": len(neg_train),
            "held_out": len(neg_held),
        },
        "eval": eval_names,
        "eval_posts": len(evals),
        "features": len(vec.vocabulary_),
        "gate": gate,
        "categories": per_cat,
        "real_benign": {"posts": len(real), **{k: len(v) for k, v in flagged["real_benign"].items()}},
        "ordinary": {"posts": len(neg_held), **{k: len(v) for k, v in flagged["ordinary"].items()}},
    }


CONFIGS = ("lexicon", "ngram", "either", "gated")


def _labels(model: Any, x: Any, results: list[Any], c: str, gate: float) -> dict[str, list[bool]]:
    """Category ``c``'s label per post under each configuration."""
    ngram = [bool(v) for v in model.predict_proba(x)[:, 1] >= 0.5]
    lex = [c in r.labels() for r in results]
    near = [r.categories[c].score >= gate for r in results]
    return {
        "lexicon": lex,
        "ngram": ngram,
        "either": [a or b for a, b in zip(lex, ngram, strict=True)],
        "gated": [a or (b and n) for a, b, n in zip(lex, ngram, near, strict=True)],
    }


def print_table(doc: dict[str, Any]) -> None:
    print(
        f"trained on {'+'.join(doc['train'])} ({doc['train_posts']} posts, {doc['features']} n-grams); "
        f"measured on {'+'.join(doc['eval'])} ({doc['eval_posts']} posts)"
    )
    print(f"{'category':<18}" + "".join(f"{name + ' P/R (F1)':>22}" for name in CONFIGS))
    for c, row in doc["categories"].items():
        cells = "".join(
            f"{m['precision'] or 0:.3f}/{m['recall'] or 0:.3f} ({m['f1']:.3f})".rjust(22)
            for m in (row[name] for name in CONFIGS)
        )
        print(f"{c:<18}{cells}")
    print(f"gated: the model counts where the lexicon scored the category >= {doc['gate']}")
    for key, what in (
        ("real_benign", "paragraphs of real privacy policies"),
        ("ordinary", "held-out ordinary sentences (--negatives)"),
    ):
        r = doc[key]
        if r["posts"]:
            counts = ", ".join(f"{name} {r[name]}" for name in CONFIGS)
            print(f"{key} ({r['posts']} {what}; every flag is false): {counts} flagged")
        else:
            print(f"{key}: not measured")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--train", nargs="+", default=["dev", "test", "independent"], choices=list(FILES))
    p.add_argument("--eval", nargs="+", default=["independent2"], choices=list(FILES))
    p.add_argument("--gate", type=float, default=0.25, help="lexicon score from which the model counts")
    p.add_argument("--negatives", type=Path, help="ordinary sentences, one a line (half trained on)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    if BLIND & {*args.train, *args.eval}:  # never trained on, never measured here
        names = ", ".join(sorted(BLIND & {*args.train, *args.eval}))
        print(f"{names}: a blind set (benchmarks/README.md), not used here", file=sys.stderr)
        return 2
    if set(args.train) & set(args.eval):
        print("--train and --eval overlap", file=sys.stderr)
        return 2
    if screen_eval.file_missing("--negatives", args.negatives) or screen_eval.sklearn_missing("this baseline"):
        return 2
    import sklearn
    started = time.time()
    doc = {
        "benchmark": "screen_baseline",
        "sklearn": sklearn.__version__,
        **run(args.train, args.eval, args.gate, args.negatives),
    }
    doc["elapsed_seconds"] = round(time.time() - started, 2)
    print_table(doc)
    screen_eval.write_results(doc, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
