"""How often each rule fires, and what verdict every APK gets.

Usage: python benchmarks/findings_per_rule.py [FOLDER_OR_APKS...] [--out benchmarks/results/findings_per_rule.json]

Default input: ../shared/corpus/ (falls back to tests/fixtures/apk when absent). Every APK must get
a verdict and a report in every format without error; a failure is listed, never hidden. The table
gives, per rule, the APKs it fires on and its findings; a rule that fires on every APK or on none
is flagged (ALL / NONE) so the note can explain it (a rule that always fires says nothing; one that
never fires may be dead, or the inputs may lack the case).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sdk_detection import inputs  # noqa: E402 - same input rules as the other benchmarks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "findings_per_rule.json"))
    ap.add_argument("--formats", default="json,sarif,html,dual-list-csv", help="formats every report must render in")
    args = ap.parse_args(argv)

    from hegui.api import scan
    from hegui.checks.registry import all_rules
    from hegui.errors import HeguiError
    from hegui.report import get_formatter

    paths, source = inputs(args.paths)
    formats = [get_formatter(n) for n in args.formats.split(",") if n]
    apks_with: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    failures: list[dict[str, str]] = []
    per_apk = []
    for p in paths:
        started = time.perf_counter()
        try:
            report = scan(p)
            for f in formats:
                f.render(report, lang="zh")
        except HeguiError as exc:  # an input hegui refuses with a clear error (e.g. the bad_* fixtures)
            failures.append({"apk": p.name, "kind": "refused", "error": f"{type(exc).__name__}: {exc}"})
            continue
        except Exception as exc:  # a bug: report it, go on
            failures.append({"apk": p.name, "kind": "BUG", "error": traceback.format_exception_only(exc)[-1].strip()})
            continue
        rules_here = Counter(f.rule_id for f in report.findings)
        for rid, n in rules_here.items():
            apks_with[rid] += 1
            findings[rid] += n
        verdicts[report.verdict.status] += 1
        per_apk.append(
            {
                "apk": p.name,
                "verdict": report.verdict.status,
                "findings": dict(sorted(rules_here.items())),
                "seconds": round(time.perf_counter() - started, 3),
            }
        )

    n = len(per_apk)
    rows = []
    for rule in all_rules():
        if rule.status == "removed":
            continue
        fired = apks_with[rule.id]
        flag = "NONE" if fired == 0 else ("ALL" if n and fired == n else "")
        rows.append(
            {"rule": rule.id, "judgement": rule.judgement, "apks": fired, "findings": findings[rule.id], "flag": flag}
        )
    print(f"inputs: {source} ({len(paths)} files, {n} scanned, {len(failures)} refused or failed)")
    print(f"verdicts: {dict(verdicts)}")
    print(f"| rule | judgement | APKs ({n}) | findings | flag |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['rule']} | {r['judgement']} | {r['apks']} | {r['findings']} | {r['flag']} |")
    for f in failures:
        print(f"{f['kind']}: {f['apk']}: {f['error']}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"source": source, "scanned": n, "verdicts": verdicts, "rules": rows, "failures": failures, "apks": per_apk},
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {out}")
    return 1 if any(f["kind"] == "BUG" for f in failures) else 0


if __name__ == "__main__":
    raise SystemExit(main())
