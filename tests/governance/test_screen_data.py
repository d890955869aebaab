"""The category list, the screening lexicon and the labelled post sets are well-formed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hegui.governance.categories import load_categories
from hegui.governance.screen.lexicon import load_lexicon

DATA = Path(__file__).parent / "data"
FIXED = {
    "porn", "porn.vulgar", "porn.solicitation", "porn.cloud_links",
    "prohibited_goods", "prohibited_goods.health_products", "prohibited_goods.aphrodisiacs",
    "prohibited_goods.drugs_devices", "prohibited_goods.tobacco", "prohibited_goods.weapons",
    "black_market", "black_market.account_trading", "black_market.real_name",
    "black_market.sms_codes", "black_market.click_farming",
    "gambling", "fraud", "minors", "minors.on_camera", "minors.tipping",
}  # fmt: skip
TRICKS = {
    "homophone",
    "pinyin",
    "split",
    "fullwidth",
    "traditional",
    "contact_lure",
    "cloud_link",
    "emoji",
    "none",
}


def test_categories_are_the_fixed_ids_with_names_and_sources() -> None:
    cats = load_categories()
    assert {c.id for c in cats} == FIXED
    for c in cats:
        assert c.name.zh and c.name.en and c.description and c.source
        assert c.parent is None or c.parent in FIXED


def test_extra_categories_file_adds_categories(tmp_path: Path) -> None:
    extra = tmp_path / "more.yaml"
    extra.write_text(
        "categories:\n  - id: spam\n    name: {zh: 垃圾广告, en: Spam}\n    description: d\n    source: 平台规则\n"
        "  - id: spam.seo\n    name: {zh: 黑帽SEO, en: SEO spam}\n    description: d\n    source: 平台规则\n",
        encoding="utf-8",
    )
    ids = [c.id for c in load_categories((str(extra),))]
    assert ids[-2:] == ["spam", "spam.seo"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("categories:\n  - id: porn\n    name: {zh: x, en: x}\n    description: d\n    source: s\n")
    with pytest.raises(ValueError, match="twice"):
        load_categories((str(bad),))


def test_lexicon_covers_exactly_the_categories() -> None:
    lex = load_lexicon()
    assert set(lex.subs) | set(lex.tops) == FIXED
    for group in lex.groups.values():
        assert group.why.strip()


def test_lexicon_patterns_have_no_nested_quantifiers() -> None:
    lex = load_lexicon()
    assert lex.pattern_re is not None
    # a quantified group that itself contains a quantifier is the shape of catastrophic backtracking
    assert not re.search(r"\([^()]*[+*][^()]*\)[+*{]", lex.pattern_re.pattern)


def test_extra_lexicon_file_adds_a_configured_category(tmp_path: Path) -> None:
    extra = tmp_path / "spam.yaml"
    extra.write_text(
        "category: spam\nthreshold: 0.5\nsubcategories:\n  spam.seo:\n    bias: -4\n"
        "    groups:\n      strong: {w: 5, why: test, terms: [快速排名, 黑帽]}\n",
        encoding="utf-8",
    )
    from hegui.governance.screen.normalise import normalise
    from hegui.governance.screen.score import find_hits, score_hits

    lex = load_lexicon((str(extra),))
    text = "百度快速排名，黑帽技术"
    scores = score_hits(lex, find_hits(lex, normalise(text)), text)
    assert scores["spam"] > 0.5


@pytest.mark.parametrize("name", ["posts_dev.jsonl", "posts_test.jsonl"])
def test_labelled_posts(name: str) -> None:
    rows = [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines()]
    assert len(rows) >= 600
    tops = {c for c in FIXED if "." not in c}
    seen = set()
    for row in rows:
        assert set(row) == {"text", "labels", "trick", "benign_lookalike"}
        assert isinstance(row["text"], str) and row["text"]
        assert set(row["labels"]) <= tops and row["trick"] in TRICKS
        assert not (row["benign_lookalike"] and row["labels"])
        seen |= {(c, row["trick"]) for c in row["labels"]}
    assert {(c, t) for c in tops for t in TRICKS} <= seen  # every category x every trick
    assert sum(r["benign_lookalike"] for r in rows) >= 150
    assert len({r["text"] for r in rows}) == len(rows)


def test_independent_set() -> None:
    """Written by someone who never saw the screener (see benchmarks/README.md): well-formed,
    every category and trick ("mixed": several at once) present, benign look-alikes, no duplicates."""
    rows = [json.loads(line) for line in (DATA / "posts_independent.jsonl").read_text("utf-8").splitlines()]
    tops = {c for c in FIXED if "." not in c}
    for row in rows:
        assert set(row) == {"text", "labels", "trick", "benign_lookalike"}
        assert set(row["labels"]) <= tops and row["trick"] in TRICKS | {"mixed"}
        assert not (row["benign_lookalike"] and row["labels"])
    assert {c for r in rows for c in r["labels"]} == tops
    assert {r["trick"] for r in rows} == TRICKS | {"mixed"}
    assert sum(r["benign_lookalike"] for r in rows) >= 100 and len(rows) >= 500
    assert len({r["text"] for r in rows}) == len(rows)


def test_test_set_is_not_a_copy_of_the_dev_set() -> None:
    dev = {json.loads(line)["text"] for line in (DATA / "posts_dev.jsonl").read_text("utf-8").splitlines()}
    test = {json.loads(line)["text"] for line in (DATA / "posts_test.jsonl").read_text("utf-8").splitlines()}
    assert len(dev & test) <= 5


LATER_TRICKS = {
    "none",
    "homophone",
    "pinyin",
    "split",
    "fullwidth",
    "traditional",
    "emoji",
    "contact",
    "link",
}
LATER_TRICKS |= {"slang", "mixed"}


@pytest.mark.parametrize(
    ("name", "tricks"),
    [
        ("posts_independent2.jsonl", LATER_TRICKS),
        *((f"posts_independent{n}.jsonl", LATER_TRICKS | {"abbreviation"}) for n in range(3, 27)),
    ],
)
def test_later_independent_sets(name: str, tricks: set[str]) -> None:
    """Written blind by other authors (their own trick names, see docs/governance-screening.md): well
    formed, every category, every trick, benign look-alikes and ordinary posts, no copy of another set."""
    rows = [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines()]
    tops = {c for c in FIXED if "." not in c}
    for row in rows:
        assert set(row) == {"text", "labels", "trick", "benign_lookalike"}
        assert isinstance(row["text"], str) and row["text"]
        assert set(row["labels"]) <= tops and row["trick"] in tricks
        assert not (row["benign_lookalike"] and row["labels"])
    assert {c for r in rows for c in r["labels"]} == tops
    assert {r["trick"] for r in rows if r["labels"]} == tricks
    assert sum(r["benign_lookalike"] for r in rows) >= 150
    assert sum(not r["labels"] and not r["benign_lookalike"] for r in rows) >= 100  # ordinary posts
    texts = {r["text"] for r in rows}
    assert len(texts) == len(rows) >= 700
    others = set()
    for other in sorted(DATA.glob("posts_*.jsonl")):
        if other.name != name:
            others |= {json.loads(line)["text"] for line in other.read_text("utf-8").splitlines()}
    assert not texts & others
