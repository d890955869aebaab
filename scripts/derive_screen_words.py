"""Derive ``src/hegui/governance/data/screen/words.txt``, the screener's common-word list, from
jieba's dictionary (MIT). Run once by a maintainer; nothing is fetched at run time.

    pip download jieba==0.42.1 --no-deps && tar xzf jieba-0.42.1.tar.gz
    python scripts/derive_screen_words.py jieba-0.42.1/jieba/dict.txt [--top 20000]

The list: the ``--top`` most frequent words of two to four Chinese characters, one a line, most
frequent first. The screener uses it to tell a match that runs across a word boundary (出行|服务
is not 性服务; 收 in 收集 is not an offer to buy) from one that stands as written.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/hegui/governance/data/screen/words.txt"
HAN = re.compile(r"[\u4e00-\u9fff]{2,4}")
HEADER = """\
# Common Chinese words, 2-4 characters, the {top} most frequent of jieba 0.42.1's dict.txt
# (MIT License, Sun Junyi and the jieba contributors), most frequent first; derived once by
# scripts/derive_screen_words.py. Used to reject matches that cross a word boundary.
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dict_txt", type=Path, help="jieba's dict.txt (word frequency tag, a line)")
    p.add_argument("--top", type=int, default=20_000)
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args(argv)
    words: list[tuple[int, str]] = []
    for line in args.dict_txt.read_text("utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and HAN.fullmatch(parts[0]):
            words.append((int(parts[1]), parts[0]))
    words.sort(key=lambda fw: (-fw[0], fw[1]))
    body = "\n".join(w for _, w in words[: args.top])
    args.out.write_text(HEADER.format(top=args.top) + body + "\n", encoding="utf-8")
    print(f"{min(args.top, len(words))} words written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
