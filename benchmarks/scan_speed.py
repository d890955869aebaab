"""hegui against androguard on the same APKs: wall time, peak memory and the call sites each finds.

    python benchmarks/scan_speed.py [FOLDER_OR_APKS...] [--out benchmarks/results/scan_speed.json]
                                    [--repeat N] [--no-androguard] [--timeout S]

Every (tool, APK) runs in a fresh subprocess (benchmarks/_measure.py), so peak RSS is per run and
imports are not timed. hegui is measured twice: ``extract(path)`` (the facts, the part comparable to
androguard) and the full ``scan(path)``. androguard is ``AnalyzeAPK(path)``, which builds the
cross-references; the catalogued call sites are then read from them.

The results are ratios measured in one run on one machine. They are a benchmark, never a timed
assertion: the exit status is 0 even when the tools disagree, and 1 only when hegui itself crashed.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MEASURE = Path(__file__).resolve().parent / "_measure.py"
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
TRUTH = FIXTURES / "truth.yaml"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "scan_speed.json"

SUBCLASS = "explained: inherited API via app subclass"
# androguard 4.1 cross-references a field only when the APK defines it (see _measure.py), so it never
# sees reads of framework fields such as Build.SERIAL. Only applied to fields whose class the APK
# does not define, as reported by the androguard child.
EXTERNAL_FIELD = "explained: androguard does not xref fields of classes outside the APK"
# The targets (see benchmarks/README.md). Reported, never asserted.
TARGET_SPEEDUP = 10.0
TARGET_MEDIAN_S = 0.5
TARGET_PEAK_MIB = 1536.0


# -- inputs -------------------------------------------------------------------------------------------


def _apks_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.apk") if p.is_file())


def collect_inputs(args: list[str]) -> tuple[list[Path], str]:
    """The APKs to measure and a label saying where they came from."""
    if args:
        found: list[Path] = []
        for a in args:
            p = Path(a)
            if p.is_dir():
                found.extend(_apks_in(p))
            elif p.is_file():
                found.append(p)
            else:
                raise SystemExit(f"scan_speed: {a}: no such file or folder")
        return [p.resolve() for p in found], "arguments"
    corpus = _apks_in(CORPUS) if CORPUS.is_dir() else []
    if corpus:
        return corpus, f"corpus {CORPUS}"
    fixtures = sorted(p for p in (FIXTURES / "apk").glob("*.apk") if not p.name.startswith("bad_"))
    why = "absent" if not CORPUS.is_dir() else "empty"
    print(
        f"corpus {CORPUS} is {why}: measuring the {len(fixtures)} fixture APKs in {FIXTURES / 'apk'} instead"
    )
    return fixtures, f"fixtures (corpus {why})"


# -- one child ------------------------------------------------------------------------------------------


def measure(tool: str, apk: Path, timeout: float) -> dict[str, Any]:
    """Run one tool on one APK in a fresh interpreter and return what the child reported."""
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, str(MEASURE), tool, str(apk)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"tool": tool, "status": "timeout", "error": f"killed after {timeout:g} s", "sites": []}
    lines = proc.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        result = None
    if proc.returncode != 0 or not isinstance(result, dict):
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        return {
            "tool": tool,
            "status": "crash",
            "error": f"child exited with {proc.returncode}: {tail or 'no output'}",
            "sites": [],
        }
    result["process_seconds"] = time.perf_counter() - started
    return result


def measure_repeated(tool: str, apk: Path, timeout: float, repeat: int) -> dict[str, Any]:
    """Median wall time and the highest peak over ``repeat`` fresh runs; sites from the first good run."""
    runs = [measure(tool, apk, timeout) for _ in range(repeat)]
    good = [r for r in runs if r["status"] == "ok"]
    if not good:
        first = runs[0]
        return {
            "status": first["status"],
            "error": first.get("error"),
            "traceback": first.get("traceback"),
            "seconds": first.get("seconds"),
            "peak_mib": _mib(first.get("rss_peak_kib")),
            "sites": [],
        }
    out: dict[str, Any] = {
        "status": "ok",
        "error": None,
        "failed_runs": [
            {"status": r["status"], "error": r.get("error")} for r in runs if r["status"] != "ok"
        ],
        "runs": len(good),
        "seconds": statistics.median(r["seconds"] for r in good),
        "seconds_all": [r["seconds"] for r in good],
        "peak_mib": max(_mib(r["rss_peak_kib"]) for r in good),
        "baseline_mib": min(_mib(r["rss_baseline_kib"]) for r in good),
        "increment_mib": max(_mib(r["rss_peak_kib"] - r["rss_baseline_kib"]) for r in good),
        "vm_hwm_mib": max((_mib(r.get("vm_hwm_kib")) or 0.0) for r in good) or None,
        "sites": good[0]["sites"],
    }
    for key in ("derive_seconds", "warm_seconds"):
        if key in good[0]:
            out[key] = statistics.median(r[key] for r in good)
    if "external_field_classes" in good[0]:
        out["external_field_classes"] = good[0]["external_field_classes"]
    return out


def _mib(kib: int | None) -> float | None:
    return None if kib is None else kib / 1024.0


# -- comparison ---------------------------------------------------------------------------------------


def compare(
    hegui_sites: list[list[Any]], androguard_sites: list[list[Any]], external_fields: Iterable[str] = ()
) -> dict[str, Any]:
    """Compare the (api, caller) pairs. Two kinds of pair only hegui has are explained: a call through an
    app subclass of the API's class (hegui's ``via``), and a read of a framework field androguard
    cannot cross-reference. Everything else is unexplained."""
    external = set(external_fields)
    h = {(api, caller): (kind, via) for api, kind, caller, via in hegui_sites}
    a = {(api, caller): kind for api, kind, caller, _ in androguard_sites}
    explained: list[dict[str, Any]] = []
    unexplained: list[dict[str, Any]] = []
    for api, caller in sorted(h.keys() - a.keys()):
        kind, via = h[(api, caller)]
        row = {"only": "hegui", "api": api, "kind": kind, "caller": caller, "via": via}
        if kind == "invoke" and via:
            explained.append(dict(row, reason=SUBCLASS))
        elif kind == "field" and api.split("->", 1)[0] in external:
            explained.append(dict(row, reason=EXTERNAL_FIELD))
        else:
            unexplained.append(row)
    for api, caller in sorted(a.keys() - h.keys()):
        unexplained.append({"only": "androguard", "api": api, "kind": a[(api, caller)], "caller": caller})
    agree = "NO" if unexplained else ("explained" if explained else "yes")
    return {
        "agree": agree,
        "common": len(h.keys() & a.keys()),
        "explained": explained,
        "unexplained": unexplained,
    }


def load_truth() -> dict[Path, dict[str, Any]]:
    """truth.yaml entries with call sites, by resolved APK path ({} when the file is absent)."""
    if not TRUTH.is_file():
        return {}
    import yaml

    doc = yaml.safe_load(TRUTH.read_text(encoding="utf-8")) or {}
    out: dict[Path, dict[str, Any]] = {}
    for name, entry in (doc.get("apks") or {}).items():
        if entry.get("error") or "file" not in entry:
            continue
        out[(FIXTURES / entry["file"]).resolve()] = dict(entry, name=name)
    return out


def against_truth(entry: dict[str, Any], sites: list[list[Any]]) -> dict[str, Any]:
    expected = {(c["api"], c["kind"], c["caller"]) for c in entry.get("call_sites") or []}
    found = {(api, kind, caller) for api, kind, caller, _ in sites}
    return {
        "fixture": entry["name"],
        "equal": expected == found,
        "expected": len(expected),
        "missing": sorted(map(list, expected - found)),
        "extra": sorted(map(list, found - expected)),
    }


# -- one APK ------------------------------------------------------------------------------------------


def bench_apk(apk: Path, args: argparse.Namespace, truth: dict[Path, dict[str, Any]]) -> dict[str, Any]:
    row: dict[str, Any] = {"apk": apk.name, "path": str(apk), "size": apk.stat().st_size}
    row["hegui"] = measure_repeated("hegui", apk, args.timeout, args.repeat)
    row["hegui_scan"] = measure_repeated("hegui-scan", apk, args.timeout, args.repeat)
    if not args.no_androguard:
        row["androguard"] = measure_repeated("androguard", apk, args.timeout, args.repeat)
    h, a = row["hegui"], row.get("androguard")
    if a and h["status"] == "ok" and a["status"] == "ok":
        row["speed_ratio"] = a["seconds"] / h["seconds"] if h["seconds"] else None
        hs = row["hegui_scan"]
        row["speed_ratio_scan"] = (
            a["seconds"] / hs["seconds"] if hs["status"] == "ok" and hs["seconds"] else None
        )
        w = h.get("warm_seconds")
        row["speed_ratio_warm"] = a["seconds"] / w if w else None
        row["memory_ratio"] = a["peak_mib"] / h["peak_mib"] if h["peak_mib"] else None
        row["comparison"] = compare(h["sites"], a["sites"], a.get("external_field_classes", ()))
    entry = truth.get(apk.resolve())
    if entry is not None:
        row["truth"] = {}
        if h["status"] == "ok":
            row["truth"]["hegui"] = against_truth(entry, h["sites"])
        if a and a["status"] == "ok":
            row["truth"]["androguard"] = against_truth(entry, a["sites"])
    return row


# -- output -------------------------------------------------------------------------------------------


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _secs(m: dict[str, Any] | None) -> str:
    if m is None:
        return "-"
    if m["status"] != "ok":
        return m["status"]
    return f"{m['seconds']:.3f}"


def _warm(m: dict[str, Any]) -> str:
    return f"{m['warm_seconds']:.3f}" if "warm_seconds" in m else "-"


def _peak(m: dict[str, Any] | None) -> str:
    if m is None or m["status"] != "ok":
        return "-"
    return f"{m['peak_mib']:.0f} (+{m['increment_mib']:.0f})"


def _ratio(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.2f}x" if x < 1 else f"{x:.1f}x"


def _agree(row: dict[str, Any]) -> str:
    if "comparison" in row:
        return row["comparison"]["agree"]
    return "-"


def _sites(row: dict[str, Any]) -> str:
    h, a = row["hegui"], row.get("androguard")
    hs = str(len({(s[0], s[2]) for s in h["sites"]})) if h["status"] == "ok" else "-"
    as_ = str(len({(s[0], s[2]) for s in a["sites"]})) if a and a["status"] == "ok" else "-"
    return f"{hs} / {as_}"


COLUMNS = (
    "APK",
    "size",
    "hegui s",
    "warm s",
    "scan s",
    "androguard s",
    "speed x",
    "hegui peak MiB",
    "androguard peak MiB",
    "memory x",
    "call sites h / a",
    "agree?",
)


def table_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            r["apk"],
            _size(r["size"]),
            _secs(r["hegui"]),
            _warm(r["hegui"]),
            _secs(r["hegui_scan"]),
            _secs(r.get("androguard")),
            _ratio(r.get("speed_ratio")),
            _peak(r["hegui"]),
            _peak(r.get("androguard")),
            _ratio(r.get("memory_ratio")),
            _sites(r),
            _agree(r),
        ]
        for r in rows
    ]


def print_table(rows: list[dict[str, Any]]) -> None:
    cells = table_rows(rows)
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(COLUMNS)]
        for line in [list(COLUMNS), *cells]:
            print("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)))
        return
    table = Table(title="hegui vs androguard (peak MiB: total (+analysis increment over imports))")
    for i, c in enumerate(COLUMNS):
        table.add_column(c, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for line in cells:
        table.add_row(*line)
    console = Console() if sys.stdout.isatty() else Console(width=200)
    console.print(table)


def _median(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def _hegui_peak(row: dict[str, Any]) -> float | None:
    """The higher peak of the two hegui runs (extract, full scan) on this APK."""
    peaks = [row[k]["peak_mib"] for k in ("hegui", "hegui_scan") if row[k]["status"] == "ok"]
    return max(peaks) if peaks else None


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in rows if r["hegui"]["status"] == "ok"]
    scan_ok = [r for r in rows if r["hegui_scan"]["status"] == "ok"]
    compared = [r for r in rows if "comparison" in r]
    largest = max(rows, key=lambda r: r["size"]) if rows else None
    peaked = [r for r in rows if _hegui_peak(r) is not None]
    peak_row = max(peaked, key=_hegui_peak) if peaked else None
    agree = {k: sum(1 for r in compared if r["comparison"]["agree"] == k) for k in ("yes", "explained", "NO")}
    truth_rows = [r for r in rows if "hegui" in r.get("truth", {})]
    ratio_scan = _median(r.get("speed_ratio_scan") for r in compared)
    scan_median = _median(r["hegui_scan"]["seconds"] for r in scan_ok)
    largest_peak = _hegui_peak(largest) if largest else None
    return {
        "apks": len(rows),
        "hegui_ok": len(ok),
        "failures": [
            {"tool": k, "apk": r["apk"], "status": r[k]["status"], "error": r[k].get("error")}
            for r in rows
            for k in ("hegui", "hegui_scan", "androguard")
            if k in r and r[k]["status"] != "ok"
        ],
        "median_hegui_seconds": _median(r["hegui"]["seconds"] for r in ok),
        "median_scan_seconds": scan_median,
        "median_hegui_warm_seconds": _median(r["hegui"].get("warm_seconds") for r in ok),
        "median_speed_ratio": _median(r.get("speed_ratio") for r in compared),
        "median_speed_ratio_warm": _median(r.get("speed_ratio_warm") for r in compared),
        "median_speed_ratio_scan": ratio_scan,
        "median_memory_ratio": _median(r.get("memory_ratio") for r in compared),
        "max_hegui_peak_mib": _hegui_peak(peak_row) if peak_row else None,
        "max_hegui_peak_apk": peak_row["apk"] if peak_row else None,
        "largest_apk": largest["apk"] if largest else None,
        "largest_apk_size": largest["size"] if largest else None,
        "largest_apk_hegui_peak_mib": largest_peak,
        "compared": len(compared),
        "agree": agree,
        "truth_checked": len(truth_rows),
        "truth_equal": sum(1 for r in truth_rows if r["truth"]["hegui"]["equal"]),
        "targets": {
            "median_scan_speedup_ge_10x": None if ratio_scan is None else ratio_scan >= TARGET_SPEEDUP,
            "median_scan_le_0.5s": None if scan_median is None else scan_median <= TARGET_MEDIAN_S,
            "largest_apk_peak_le_1.5GiB": None if largest_peak is None else largest_peak <= TARGET_PEAK_MIB,
        },
    }


def _f(x: float | None, fmt: str) -> str:
    return "-" if x is None else format(x, fmt)


def _met(v: bool | None) -> str:
    return "not measured" if v is None else ("met" if v else "NOT met")


def print_summary(s: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    t = s["targets"]
    print(
        f"median hegui seconds: extract {_f(s['median_hegui_seconds'], '.3f')} "
        f"(warm, repeated in the same process: {_f(s['median_hegui_warm_seconds'], '.3f')}), "
        f"full scan {_f(s['median_scan_seconds'], '.3f')} "
        f"(target scan <= {TARGET_MEDIAN_S} s: {_met(t['median_scan_le_0.5s'])})"
    )
    print(
        f"median speed ratio androguard/hegui: {_f(s['median_speed_ratio'], '.2f')} x vs extract, "
        f"{_f(s['median_speed_ratio_scan'], '.2f')} x vs full scan, "
        f"{_f(s['median_speed_ratio_warm'], '.1f')} x vs warm extract "
        f"(target >= {TARGET_SPEEDUP:g} x vs full scan: {_met(t['median_scan_speedup_ge_10x'])}); "
        f"median memory ratio {_f(s['median_memory_ratio'], '.1f')} x"
    )
    print(
        f"max hegui peak (extract or scan): {_f(s['max_hegui_peak_mib'], '.0f')} MiB "
        f"({s['max_hegui_peak_apk']}); "
        f"largest APK {s['largest_apk']} ({_size(s['largest_apk_size'] or 0)}): "
        f"hegui peak {_f(s['largest_apk_hegui_peak_mib'], '.0f')} MiB "
        f"(target <= 1.5 GiB: {_met(t['largest_apk_peak_le_1.5GiB'])})"
    )
    a = s["agree"]
    print(
        f"agreement on (api, caller): {a['yes']} yes, {a['explained']} explained, {a['NO']} NO "
        f"of {s['compared']} compared"
    )
    for f in s["failures"]:
        print(f"{f['tool']} {f['status']} on {f['apk']}: {f['error']}")
    for r in rows:
        for only in r.get("comparison", {}).get("unexplained", []):
            print(f"  {r['apk']}: only {only['only']}: {only['kind']} {only['api']} in {only['caller']}")
    if s["truth_checked"]:
        print(
            f"ground truth (tests/fixtures/truth.yaml): hegui equals it on {s['truth_equal']} of "
            f"{s['truth_checked']} fixtures"
        )
        for r in rows:
            parts = []
            for tool, t in r.get("truth", {}).items():
                verdict = "equal" if t["equal"] else f"{len(t['missing'])} missing, {len(t['extra'])} extra"
                parts.append(f"{tool} {verdict}")
            if parts:
                t = r["truth"].get("hegui") or r["truth"]["androguard"]
                print(f"  {t['fixture']:<20} {t['expected']:>3} planted: {'; '.join(parts)}")
            h = r.get("truth", {}).get("hegui")
            for m in h["missing"] if h else ():
                print(f"      hegui missed {m[1]} {m[0]} in {m[2]}")
            for m in h["extra"] if h else ():
                print(f"      hegui extra  {m[1]} {m[0]} in {m[2]}")


# -- main ---------------------------------------------------------------------------------------------


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="*", help=f"APK files or folders (default: {CORPUS}, else the fixtures)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results (default: %(default)s)")
    p.add_argument("--repeat", type=int, default=1, help="fresh runs per (tool, APK); median time, max peak")
    p.add_argument("--no-androguard", action="store_true", help="measure hegui only")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds before a child is killed")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def _crashed(m: dict[str, Any]) -> bool:
    """A crash in any of the repeated runs counts (a timeout or a typed rejection does not)."""
    return m["status"] == "crash" or any(f["status"] == "crash" for f in m.get("failed_runs", ()))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    apks, label = collect_inputs(args.inputs)
    if not apks:
        print("scan_speed: no APKs to measure", file=sys.stderr)
        return 2
    truth = load_truth()
    started = time.time()
    rows = []
    for i, apk in enumerate(apks, 1):
        print(f"[{i}/{len(apks)}] {apk.name}", file=sys.stderr, flush=True)
        rows.append(bench_apk(apk, args, truth))
    print_table(rows)
    summary = summarise(rows)
    print_summary(summary, rows)
    doc = {
        "benchmark": "scan_speed",
        "input": label,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "elapsed_seconds": time.time() - started,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "hegui_version": _version("hegui"),
        "androguard_version": _version("androguard"),
        "repeat": args.repeat,
        "timeout": args.timeout,
        "androguard": not args.no_androguard,
        "summary": summary,
        "apks": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results written to {args.out}")
    crashed = [r["apk"] for r in rows if any(_crashed(r[k]) for k in ("hegui", "hegui_scan"))]
    if crashed:
        print(f"hegui crashed on {', '.join(crashed)}", file=sys.stderr)
        for r in rows:
            for key in ("hegui", "hegui_scan"):
                if _crashed(r[key]):
                    err = r[key]["error"] or next(
                        f["error"] for f in r[key]["failed_runs"] if f["status"] == "crash"
                    )
                    print(f"  {key} {r['apk']}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
