#!/usr/bin/env python
"""Write the rule reference (docs/rules/<ID>.md and docs/rules.md) from the rule registry.

python scripts/gen_rule_docs.py          # write the files (and delete pages of rules that no longer exist)
python scripts/gen_rule_docs.py --check  # exit 1 if a committed file differs (for CI)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hegui.checks.docs import render_all

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"


def stale_pages(docs: Path, pages: dict[str, str]) -> list[Path]:
    """Rule pages on disk that the registry no longer renders (IDs are never reused, so none should be)."""
    return sorted(p for p in (docs / "rules").glob("HG-*.md") if f"rules/{p.name}" not in pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--dir", type=Path, default=DOCS_DIR, help="docs folder (default: docs)")
    args = parser.parse_args(argv)
    pages = render_all()
    if args.check:
        bad = [args.dir / rel for rel, text in pages.items() if _read(args.dir / rel) != text]
        bad += stale_pages(args.dir, pages)
        for path in bad:
            print(f"{path} is out of date; run: python scripts/gen_rule_docs.py", file=sys.stderr)
        return 1 if bad else 0
    for rel, text in pages.items():
        path = args.dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if _read(path) != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    for path in stale_pages(args.dir, pages):
        path.unlink()
        print(f"deleted {path}")
    return 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


if __name__ == "__main__":
    sys.exit(main())
