#!/usr/bin/env python
"""Write the JSON Schemas of hegui's output to docs/schema/ (run after changing a model).

python scripts/gen_schema.py          # write the files
python scripts/gen_schema.py --check  # exit 1 if a committed file differs (for CI)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hegui.report.schema import all_schemas

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "docs" / "schema"


def schema_text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--dir", type=Path, default=SCHEMA_DIR, help="output folder (default: docs/schema)")
    args = parser.parse_args(argv)
    stale = []
    for name, schema in all_schemas().items():
        path = args.dir / name
        text = schema_text(schema)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    for path in stale:
        print(f"{path} is out of date; run: python scripts/gen_schema.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
