"""Every registered rule's metadata, validated (the schema is checks/model.py; these are the
project's extra requirements)."""

from __future__ import annotations

import re

import pytest

from hegui.checks.legal import INSTRUMENTS
from hegui.checks.registry import RULE_ID, all_checks

CHECKS = {c.rule.id: c for c in all_checks()}
CJK = re.compile(r"[\u4e00-\u9fff]")
HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## References")
# Article forms per instrument: laws by 第X条, 认定方法 by 类、项, standards by clause or annex;
# 164号文 by problem category name.
ARTICLE = {
    "PIPL": re.compile(r"^第[一二三四五六七八九十百]+条$"),
    "网络安全法": re.compile(r"^第[一二三四五六七八九十百]+条$"),
    "认定方法": re.compile(r"^[一二三四五六]、[1-9]$"),
    "164号文": re.compile(r"^\S+$"),
    "2021专项": re.compile(r"^\S+$"),
    "必要个人信息范围规定": re.compile(r"^第[一二三四五六七八九十]+条(（[一二三四五六七八九十]+）)?$"),
    "GB/T 35273-2020": re.compile(r"^(\d+(\.\d+)*|附录[A-Z])$"),
    "GB/T 41391-2022": re.compile(r"^(\d+(\.\d+)*|附录[A-Z])$"),
}


def test_some_rules_are_registered():
    assert len(CHECKS) >= 15


@pytest.mark.parametrize("rule_id", sorted(CHECKS))
def test_metadata(rule_id):
    c = CHECKS[rule_id]
    r = c.rule
    assert RULE_ID.match(r.id) and r.id.split("-")[1] == r.family
    for text in (r.title, r.description, r.advice):
        assert text.zh.strip() and text.en.strip()
        assert CJK.search(text.zh), f"{r.id}: Chinese text without Chinese"
        assert not CJK.search(text.en), f"{r.id}: English text with Chinese"
    assert len(r.advice.en) > 40 and len(r.advice.zh) > 20, f"{r.id}: advice must say what to change"
    assert all(h in c.doc for h in HEADINGS), f"{r.id}: docstring needs {HEADINGS}"
    if r.family != "INT":
        assert r.legal_basis, f"{r.id}: a non-internal rule needs a legal basis"
    for b in r.legal_basis:
        assert b.law in INSTRUMENTS, f"{r.id}: unknown instrument {b.law!r}"
        assert ARTICLE[b.law].match(b.article), f"{r.id}: {b.law} article {b.article!r} not in its numbering"
    for ref in r.references:
        assert ref.startswith("https://"), ref
