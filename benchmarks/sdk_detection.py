"""SDK detection: hegui vs the Exodus tracker signatures, against a hand-checked truth.

Usage: python benchmarks/sdk_detection.py [FOLDER_OR_APKS...] [--truth benchmarks/sdk_truth.tsv]
                                          [--out benchmarks/results/sdk_detection.json]

Default input: ../shared/corpus/ (falls back to tests/fixtures/apk when absent). For each APK it
prints the SDKs hegui finds (catalogue id, confidence) and the trackers whose Exodus
``code_signature`` matches a class name (Exodus' own method), then scores both against
``sdk_truth.tsv``: one row per (APK, SDK) in the union of what either tool reported, checked by
hand (column ``how_verified``). Rows name the SDK by hegui id and/or Exodus name, so a tracker
hegui does not catalogue still counts against hegui's recall. Detections with no truth row are
listed as UNLABELLED: label them before trusting the numbers.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXODUS = ROOT.parent / "shared" / "reference" / "exodus-trackers" / "trackers.json"
CORPUS = ROOT.parent / "shared" / "corpus"


def inputs(args: list[str]) -> tuple[list[Path], str]:
    if args:
        paths: list[Path] = []
        for a in args:
            p = Path(a)
            paths.extend(sorted(p.rglob("*.apk")) if p.is_dir() else [p])
        return paths, "arguments"
    if CORPUS.is_dir():
        return sorted(CORPUS.rglob("*.apk")), str(CORPUS)
    print(f"corpus {CORPUS} is absent: using the fixture APKs instead", file=sys.stderr)
    fixtures = ROOT / "tests" / "fixtures" / "apk"
    return sorted(p for p in fixtures.glob("*.apk") if not p.name.startswith("bad_")), "fixtures (corpus absent)"


def exodus_trackers() -> list[tuple[str, re.Pattern[str]]]:
    data = json.loads(EXODUS.read_text(encoding="utf-8"))["trackers"]
    out = []
    for t in data.values():
        sig = (t.get("code_signature") or "").strip()
        if sig:
            out.append((t["name"], re.compile(sig)))
    return out


def class_names(path: Path) -> list[str]:
    from hegui.apk.archive import open_apk
    from hegui.dex.index import DexIndex
    from hegui.dex.reader import DexFile

    with open_apk(path) as apk:
        dexes = [DexFile(apk.read(n), n) for n in apk.dex_names]
    return [d[1:-1].replace("/", ".") for d in DexIndex(dexes).classes]


def exodus_detect(classes: list[str], trackers: list[tuple[str, re.Pattern[str]]]) -> list[str]:
    return sorted({name for name, pat in trackers if any(pat.search(c) for c in classes)})


def load_truth(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")]


def score(rows: list[dict[str, Any]], truth: list[dict[str, str]]) -> dict[str, Any]:
    by_apk: dict[str, list[dict[str, str]]] = {}
    for t in truth:
        by_apk.setdefault(t["apk_sha256"], []).append(t)
    tally = {"hegui": {"tp": 0, "fp": 0, "fn": 0}, "exodus": {"tp": 0, "fp": 0, "fn": 0}}
    unlabelled: list[str] = []
    for r in rows:
        labels = by_apk.get(r["sha256"], [])
        for tool, found, key in (("hegui", set(r["hegui"]), "hegui_id"), ("exodus", set(r["exodus"]), "exodus_name")):
            labelled = {t[key] for t in labels if t[key]}
            for t in labels:
                present = t["present"] == "yes"
                hit = bool(t[key]) and t[key] in found
                if present and hit:
                    tally[tool]["tp"] += 1
                elif present:
                    tally[tool]["fn"] += 1
                elif hit:
                    tally[tool]["fp"] += 1
            unlabelled += [f"{r['apk']}: {tool} {x}" for x in sorted(found - labelled)]
    out: dict[str, Any] = {"unlabelled": unlabelled}
    for tool, t in tally.items():
        found, real = t["tp"] + t["fp"], t["tp"] + t["fn"]
        out[tool] = {
            **t,
            "precision": t["tp"] / found if found else None,
            "recall": t["tp"] / real if real else None,
        }
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--truth", type=Path, default=ROOT / "benchmarks" / "sdk_truth.tsv")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "sdk_detection.json")
    ap.add_argument("--min-confidence", choices=["low", "medium", "high"], default="medium")
    ns = ap.parse_args(argv)

    from hegui.errors import ApkError
    from hegui.facts.extract import extract

    paths, source = inputs(ns.paths)
    trackers = exodus_trackers()
    rank = {"low": 0, "medium": 1, "high": 2}
    rows: list[dict[str, Any]] = []
    for p in paths:
        try:
            facts = extract(p)
            classes = class_names(p)
        except ApkError as exc:
            print(f"{p.name}: not analysed: {exc}", file=sys.stderr)
            continue
        found = [s for s in facts.sdks if rank[s.confidence] >= rank[ns.min_confidence]]
        rows.append(
            {
                "apk": p.name,
                "sha256": facts.sha256,
                "hegui": [s.id for s in found],
                "hegui_confidence": {s.id: s.confidence for s in found},
                "exodus": exodus_detect(classes, trackers),
            }
        )
    for r in rows:
        print(f"{r['apk']}  {r['sha256'][:12]}")
        conf = r["hegui_confidence"]
        print("  hegui : " + (", ".join(f"{i} ({conf[i]})" for i in r["hegui"]) or "-"))
        print(f"  exodus: {', '.join(r['exodus']) or '-'}")
    result = score(rows, load_truth(ns.truth))
    print()
    for tool in ("hegui", "exodus"):
        m = result[tool]
        p = "n/a" if m["precision"] is None else f"{m['precision']:.1%}"
        r = "n/a" if m["recall"] is None else f"{m['recall']:.1%}"
        print(f"{tool:7} precision {p:>7}  recall {r:>7}   (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
    if result["unlabelled"]:
        print(f"\nUNLABELLED detections ({len(result['unlabelled'])}): add them to {ns.truth.name}")
        for u in result["unlabelled"]:
            print("  " + u)
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    ns.out.write_text(json.dumps({"input": source, "apks": rows, "score": result}, indent=2, ensure_ascii=False))
    print(f"\nresults written to {ns.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
