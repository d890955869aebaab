"""A learned baseline beside the lexicon screener: a character n-gram logistic regression trained on
the labelled posts, measured on a set it never saw and on real text that breaks no rule.

    python benchmarks/screen_baseline.py [--train dev test independent] [--eval independent2]
                                         [--out benchmarks/results/screen_baseline.json]

Why it is here: "add a model" is the obvious way to raise recall on unseen wording. This script
measures it in one run, on the same posts, against the lexicon (``hegui.governance.screen``):

- ``lexicon``: the default screener's labels;
- ``ngram``: per top-level category, a logistic regression (scikit-learn, class-balanced) on the
  1-3 character n-grams of the normalised post (tf-idf, sublinear), trained on ``--train``;
- ``either``: a post is labelled when the lexicon or the model labels it (the ensemble that helps
  recall most).

Every configuration is also run on ``real-benign``, the paragraphs of the real privacy policies in
../shared/policies (when present): real text that breaks no rule, so every flag is a false
positive. ``--eval`` must not be the blind set (``independent5``): the script refuses it.
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

FILES = {
    "dev": ["posts_dev.jsonl"],
    "test": ["posts_test.jsonl"],
    "independent": ["posts_independent.jsonl"],
    "independent2": ["posts_independent2.jsonl"],
    "independent3": ["posts_independent3.jsonl"],
    "independent4": ["posts_independent4.jsonl"],
}
BLIND = "independent5"
CATEGORIES = screen_eval.CATEGORIES
DEFAULT_OUT = screen_eval.ROOT / "benchmarks" / "results" / "screen_baseline.json"


def _posts(names: list[str]) -> list[dict[str, Any]]:
    return [p for n in names for f in FILES[n] for p in screen_eval.load(screen_eval.DATA / f)]


def _prf(truth: list[bool], pred: list[bool]) -> dict[str, float | None]:
    tp = sum(t and p for t, p in zip(truth, pred, strict=True))
    fp = sum(p and not t for t, p in zip(truth, pred, strict=True))
    fn = sum(t and not p for t, p in zip(truth, pred, strict=True))
    prec, rec = screen_eval._ratio(tp, tp + fp), screen_eval._ratio(tp, tp + fn)
    f1 = round(2 * prec * rec / (prec + rec), 4) if prec and rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1}


def run(train_names: list[str], eval_names: list[str]) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from hegui.governance.screen import screen_many
    from hegui.governance.screen.normalise import normalise

    train, evals = _posts(train_names), _posts(eval_names)
    real = screen_eval.load_real_benign() if screen_eval.POLICIES.is_dir() else []

    def lexicon_labels(posts: list[dict[str, Any]]) -> list[set[str]]:
        return [set(r.labels()) for r in screen_many(p["text"] for p in posts)]

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    x_train = vec.fit_transform([normalise(p["text"]).text for p in train])
    x_eval = vec.transform([normalise(p["text"]).text for p in evals])
    x_real = vec.transform([normalise(p["text"]).text for p in real]) if real else None
    lex_eval, lex_real = lexicon_labels(evals), lexicon_labels(real)
    per_cat: dict[str, dict[str, Any]] = {}
    flagged = {"lexicon": set(), "ngram": set(), "either": set()}
    for c in CATEGORIES:
        model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        model.fit(x_train, [c in p["labels"] for p in train])
        truth = [c in p["labels"] for p in evals]
        ngram = list(model.predict_proba(x_eval)[:, 1] >= 0.5)
        lex = [c in got for got in lex_eval]
        per_cat[c] = {
            "lexicon": _prf(truth, lex),
            "ngram": _prf(truth, ngram),
            "either": _prf(truth, [a or b for a, b in zip(lex, ngram, strict=True)]),
        }
        if x_real is not None:
            real_ngram = model.predict_proba(x_real)[:, 1] >= 0.5
            for i, hit in enumerate(real_ngram):
                if hit:
                    flagged["ngram"].add(i)
                    flagged["either"].add(i)
            for i, got in enumerate(lex_real):
                if c in got:
                    flagged["lexicon"].add(i)
                    flagged["either"].add(i)
    return {
        "train": train_names,
        "train_posts": len(train),
        "eval": eval_names,
        "eval_posts": len(evals),
        "features": len(vec.vocabulary_),
        "categories": per_cat,
        "real_benign": {"posts": len(real), **{k: len(v) for k, v in flagged.items()}},
    }


def print_table(doc: dict[str, Any]) -> None:
    print(
        f"trained on {'+'.join(doc['train'])} ({doc['train_posts']} posts, {doc['features']} n-grams); "
        f"measured on {'+'.join(doc['eval'])} ({doc['eval_posts']} posts)"
    )
    print(f"{'category':<18}{'lexicon P/R (F1)':>22}{'ngram P/R (F1)':>22}{'either P/R (F1)':>22}")
    for c, row in doc["categories"].items():
        cells = "".join(
            f"{m['precision'] or 0:.3f}/{m['recall'] or 0:.3f} ({m['f1']:.3f})".rjust(22)
            for m in (row["lexicon"], row["ngram"], row["either"])
        )
        print(f"{c:<18}{cells}")
    r = doc["real_benign"]
    if r["posts"]:
        print(
            f"real-benign ({r['posts']} paragraphs of real privacy policies; every flag is false): "
            f"lexicon {r['lexicon']}, ngram {r['ngram']}, either {r['either']} flagged"
        )
    else:
        print("real-benign: ../shared/policies absent, not measured")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--train", nargs="+", default=["dev", "test", "independent"], choices=list(FILES))
    p.add_argument("--eval", nargs="+", default=["independent2"], choices=[*FILES, BLIND])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    if BLIND in args.eval:
        print(f"{BLIND} is the blind set (benchmarks/README.md): not used here", file=sys.stderr)
        return 2
    if set(args.train) & set(args.eval):
        print("--train and --eval overlap", file=sys.stderr)
        return 2
    try:
        import sklearn
    except ModuleNotFoundError:
        print("this baseline needs scikit-learn: pip install scikit-learn", file=sys.stderr)
        return 2
    started = time.time()
    doc = {"benchmark": "screen_baseline", "sklearn": sklearn.__version__, **run(args.train, args.eval)}
    doc["elapsed_seconds"] = round(time.time() - started, 2)
    print_table(doc)
    screen_eval.write_results(doc, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
