"""Privacy-policy analyser benchmark: hegui.policy.analyse() against hand labels.

    python benchmarks/policy_eval.py [--policies ../shared/policies] [--truth benchmarks/policy_truth]
                                     [--json benchmarks/results/policy_eval.json] [--verbose]

Reads every ``<truth>/*.yaml`` (format: benchmarks/policy_truth/README.md), analyses the named file
of ``--policies`` and prints per-PI-type precision/recall/support, micro P/R for PI types, SDK names
and permission groups, per-element accuracy, and the median/p95/max analysis time; then analyses
every file of ``--policies`` for "parses" and time. PI-type sets are closed under GENERIC_PARENTS
(``device_id.imei`` also states ``device_id``) on both sides. A predicted SDK name matches a
labelled one when their normalised forms (lowercase, no spaces/punctuation, no trailing "sdk") are
equal or one contains the other, or both carry the same non-null sdk_id (one-to-one).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import yaml

from hegui.policy import analyse
from hegui.policy.model import ELEMENTS, GENERIC_PARENTS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POLICIES = ROOT.parent / "shared" / "policies"
DEFAULT_TRUTH = ROOT / "benchmarks" / "policy_truth"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "policy_eval.json"
_NORM = re.compile(r"[\W_]+")


def close(types: set[str]) -> set[str]:
    out = set(types)
    for t in types:
        for parent, prefix in GENERIC_PARENTS.items():
            if t.startswith(prefix):
                out.add(parent)
    return out


def norm_name(name: str) -> str:
    n = _NORM.sub("", name.lower())
    return n[:-3] if n.endswith("sdk") and len(n) > 3 else n


def match_names(
    pred: list[tuple[str, str | None]], truth: list[tuple[str, str | None]]
) -> tuple[int, int, int, int]:
    """(tp, fp, fn, same sdk_id among the matched pairs) with one-to-one greedy matching."""
    used: set[int] = set()
    tp = same_id = 0
    for name, sid in pred:
        n = norm_name(name)
        for j, (tname, tsid) in enumerate(truth):
            if j in used:
                continue
            tn = norm_name(tname)
            if (sid and sid == tsid) or (n and tn and (n == tn or n in tn or tn in n)):
                used.add(j)
                tp += 1
                same_id += sid == tsid
                break
    return tp, len(pred) - tp, len(truth) - tp, same_id


def _pr(tp: int, fp: int, fn: int) -> tuple[float | None, float | None]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    return p, r


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def _version(dist: str) -> str | None:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def evaluate(policies: Path, truth_dir: Path, verbose: bool) -> dict[str, Any]:
    per_type: dict[str, Counter[str]] = {}
    sdk = Counter[str]()
    perm = Counter[str]()
    elem: dict[str, Counter[str]] = {e: Counter() for e in ELEMENTS}
    files: list[dict[str, Any]] = []
    for tf in sorted(truth_dir.glob("*.yaml")):
        truth = yaml.safe_load(tf.read_text(encoding="utf-8")) or {}
        path = policies / str(truth.get("file", ""))
        if not path.is_file():
            print(f"skip {tf.name}: {path} not found", file=sys.stderr)
            continue
        started = time.perf_counter()
        a = analyse(path)
        seconds = time.perf_counter() - started
        t_types = close({c["pi_type"] for c in truth.get("collected") or []})
        p_types = close({c.pi_type for c in a.collected})
        for t in t_types | p_types:
            c = per_type.setdefault(t, Counter())
            c["tp" if t in t_types and t in p_types else "fp" if t in p_types else "fn"] += 1
        t_names = [(x["name"], x.get("sdk_id")) for x in truth.get("third_parties") or []]
        p_names = [(x.name, x.sdk_id) for x in a.third_parties]
        tp, fp, fn, same_id = match_names(p_names, t_names)
        sdk.update(tp=tp, fp=fp, fn=fn, same_id=same_id)
        t_perm = {p["group"] for p in truth.get("permissions") or []}
        p_perm = {p.group for p in a.permissions}
        perm.update(tp=len(t_perm & p_perm), fp=len(p_perm - t_perm), fn=len(t_perm - p_perm))
        wrong_el = []
        for e, v in (truth.get("elements") or {}).items():
            if e in elem and isinstance(v, dict) and "present" in v:
                ok = bool(v["present"]) == a.elements[e].present
                elem[e]["ok" if ok else "wrong"] += 1
                if not ok:
                    wrong_el.append(f"{e}={'T' if a.elements[e].present else 'F'}")
        row = {
            "file": path.name,
            "seconds": seconds,
            "types_fp": sorted(p_types - t_types),
            "types_fn": sorted(t_types - p_types),
            "sdk": {"tp": tp, "fp": fp, "fn": fn},
            "elements_wrong": wrong_el,
        }
        files.append(row)
        if verbose:
            print(f"{path.name}: FP {row['types_fp']} FN {row['types_fn']} sdk {tp}/{fp}/{fn} el {wrong_el}")
            if fp or fn:
                print(f"   pred {[n for n, _ in p_names]}\n   true {[n for n, _ in t_names]}")
    return {"per_type": per_type, "sdk": sdk, "perm": perm, "elements": elem, "files": files}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--policies", type=Path, default=DEFAULT_POLICIES)
    ap.add_argument("--truth", type=Path, default=DEFAULT_TRUTH)
    ap.add_argument("--json", dest="out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--verbose", action="store_true", help="print each file's errors")
    args = ap.parse_args(argv)
    if not args.policies.is_dir():
        print(f"policy_eval: {args.policies} not found (pass --policies)", file=sys.stderr)
        return 2
    started = time.time()
    r = evaluate(args.policies, args.truth, args.verbose)
    print(f"\nlabelled policies: {len(r['files'])}\n")
    print(f"{'pi_type':28} {'P':>6} {'R':>6} {'support':>7} {'fp':>4}")
    micro = Counter[str]()
    per_type_out = {}
    for t in sorted(r["per_type"]):
        c = r["per_type"][t]
        micro.update(c)
        p, rec = _pr(c["tp"], c["fp"], c["fn"])
        per_type_out[t] = {"precision": p, "recall": rec, "support": c["tp"] + c["fn"], "fp": c["fp"]}
        print(f"{t:28} {_f(p):>6} {_f(rec):>6} {c['tp'] + c['fn']:7d} {c['fp']:4d}")
    summary: dict[str, Any] = {}
    for label, c in (
        ("pi_types (micro)", micro),
        ("sdk_names (micro)", r["sdk"]),
        ("permissions (micro)", r["perm"]),
    ):
        p, rec = _pr(c["tp"], c["fp"], c["fn"])
        summary[label.split()[0]] = {
            "precision": p,
            "recall": rec,
            "tp": c["tp"],
            "fp": c["fp"],
            "fn": c["fn"],
        }
        print(f"{label:28} {_f(p):>6} {_f(rec):>6}   tp={c['tp']} fp={c['fp']} fn={c['fn']}")
    c = r["sdk"]
    summary["sdk_id_agreement"] = c["same_id"] / c["tp"] if c["tp"] else None
    print(
        f"{'sdk_id on matched names':28} {_f(summary['sdk_id_agreement']):>6}   (same catalogue id, or both null)"
    )
    print(f"\n{'element':28} {'accuracy':>8} {'n':>4}")
    el_out = {}
    for e, c in r["elements"].items():
        n = c["ok"] + c["wrong"]
        acc = c["ok"] / n if n else None
        el_out[e] = {"accuracy": acc, "n": n}
        print(f"{e:28} {_f(acc):>8} {n:4d}")
    accs = [v["accuracy"] for v in el_out.values() if v["accuracy"] is not None]
    summary["elements_mean_accuracy"] = statistics.mean(accs) if accs else None
    print(f"{'(mean)':28} {_f(summary['elements_mean_accuracy']):>8}")
    all_files = sorted(
        p for p in args.policies.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".html")
    )
    all_files = [p for p in all_files if p.name != "README.md"]
    times: list[float] = []
    failed: list[str] = []
    for p in all_files:
        t0 = time.perf_counter()
        try:
            analyse(p)
        except Exception as exc:  # noqa: BLE001 - the benchmark reports, never stops
            failed.append(f"{p.name}: {type(exc).__name__}: {exc}")
            continue
        times.append(time.perf_counter() - t0)
    timing = {
        "files": len(all_files),
        "parsed": len(times),
        "failed": failed,
        "median_s": statistics.median(times) if times else None,
        "p95_s": _pct(times, 0.95) if times else None,
        "max_s": max(times) if times else None,
    }
    print(
        f"\nall policies: {timing['parsed']}/{timing['files']} parse; time per policy median "
        f"{_f(timing['median_s'])} s, p95 {_f(timing['p95_s'])} s, max {_f(timing['max_s'])} s"
    )
    for f in failed:
        print(f"  FAILED {f}")
    doc = {
        "benchmark": "policy_eval",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "elapsed_seconds": time.time() - started,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "hegui_version": _version("hegui"),
        "labelled": len(r["files"]),
        "summary": summary,
        "pi_types": per_type_out,
        "elements": el_out,
        "timing": timing,
        "files": r["files"],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results written to {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
