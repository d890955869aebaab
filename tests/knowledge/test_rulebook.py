"""The rulebook (knowledge/data/rulebook/*.yaml) and the 39 app types (knowledge/data/app_types.yaml)."""

from __future__ import annotations

from collections import Counter

import pytest

from hegui.checks.registry import all_rules
from hegui.errors import KnowledgeError
from hegui.knowledge import rulebook as rb
from hegui.knowledge.loaders import pi_types

RULEBOOK_LAWS = {"认定方法", "164号文", "PIPL", "GB/T 41391-2022", "2021专项"}


def _rules() -> dict[str, str]:
    """Rule ID -> judgement of every registered rule."""
    return {r.id: r.judgement for r in all_rules()}


def test_loads_every_source():
    book = rb.rulebook()
    assert {s.law for s in book.sources} == RULEBOOK_LAWS
    assert {s.id for s in book.sources} == {"rending", "m164", "pipl", "gbt41391", "campaign2021"}
    for s in book.sources:
        assert s.url.startswith("http")
        assert s.retrieved


def test_rending_has_all_31_items_in_6_categories():
    items = [it for it in rb.rulebook().items if it.law == "认定方法"]
    assert len(items) == 31
    per_category = Counter(it.article.split("、")[0] for it in items)
    assert per_category == {"一": 4, "二": 4, "三": 9, "四": 6, "五": 3, "六": 5}
    assert all(it.id == "RD-" + "-".join(_rd_numbers(it.article)) for it in items)


def _rd_numbers(article: str) -> list[str]:
    cat, num = article.split("、")
    return [str("一二三四五六".index(cat) + 1), num]


def test_m164_has_10_categories_in_4_aspects():
    items = [it for it in rb.rulebook().items if it.law == "164号文"]
    assert len(items) == 10
    assert len({it.group.zh for it in items if it.group}) == 4
    for name in ("违规收集个人信息", "超范围收集个人信息", "APP强制、频繁、过度索取权限"):
        assert rb.rulebook().find("164号文", name)


def test_pipl_covers_the_duties_apps_implement():
    book = rb.rulebook()
    numbers = "六 七 十三 十四 十五 十六 十七 二十一 二十三 二十四 二十五 二十八 二十九 三十 三十一 三十九"
    numbers += " 四十五 四十六 四十七 四十八 五十 五十一"
    for n in numbers.split():
        assert book.find("PIPL", f"第{n}条"), n
    assert {it.id for it in book.find("PIPL", "第四十五条")} == {"PIPL-45-1", "PIPL-45-2"}


def test_gbt41391_clauses_follow_the_standard():
    articles = {it.article for it in rb.rulebook().items if it.law == "GB/T 41391-2022"}
    assert {"6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7"} <= articles
    assert {f"附录{x}" for x in "ABCDEF"} <= articles


def test_campaign_scenarios_have_a_class_parent():
    book = rb.rulebook()
    for it in book.items:
        if it.law == "2021专项" and it.id.count("-") == 2:
            assert it.parent is not None and book.get(it.parent).parent is None


def test_ids_unique():
    ids = [it.id for it in rb.rulebook().items]
    assert len(ids) == len(set(ids))
    types = [t.id for t in rb.app_types()]
    assert len(types) == len(set(types))


def test_every_linked_rule_exists():
    known = _rules()
    missing = {r for it in rb.rulebook().items for r in it.rules if r not in known}
    assert not missing, f"items link unknown rules: {sorted(missing)}"


def test_judgement_consistency():
    known = _rules()
    for it in rb.rulebook().items:
        if it.judgement == "manual":
            assert not it.rules, it.id
        else:
            assert it.rules, it.id
        if it.judgement == "auto":
            assert any(known.get(r) == "auto" for r in it.rules), f"{it.id} is auto but links no auto rule"
        assert it.how.zh and it.how.en and it.text.zh and it.text.en


def test_every_citation_of_a_registered_rule_resolves():
    book = rb.rulebook()
    unresolved = [
        (r.id, b.law, b.article)
        for r in all_rules()
        for b in r.legal_basis
        if b.law in RULEBOOK_LAWS and not book.find(b.law, b.article)
    ]
    assert not unresolved, f"citations with no rulebook item: {unresolved}"


def test_every_registered_rule_is_linked_from_an_item():
    book = rb.rulebook()
    unlinked = [
        r.id
        for r in all_rules()
        if r.status != "removed" and not r.id.startswith("HG-INT-") and not book.items_for_rule(r.id)
    ]
    assert not unlinked, f"rules no rulebook item links (add them to the items they implement): {unlinked}"


def test_items_for_rule_and_find():
    book = rb.rulebook()
    assert "RD-4-1" in {it.id for it in book.items_for_rule("HG-PERM-001")}
    assert book.items_for_rule("HG-NOPE-999") == []
    assert [it.id for it in book.find("认定方法", "三、1")] == ["RD-3-1"]
    assert [it.id for it in book.find("GB/T 41391-2022", "附录F")] == ["GBT41391-F"]
    assert book.find("认定方法", "九、9") == []
    assert book.get("PIPL-51").article == "第五十一条"
    with pytest.raises(KnowledgeError, match="PIPL-"):
        book.get("PIPL-999")


def test_stats_add_up():
    s = rb.stats()
    assert s.total == len(rb.rulebook().items)
    assert sum(s.per_judgement.values()) == s.total
    assert s.per_source["认定方法"]["total"] == 31
    assert sum(v["total"] for v in s.per_source.values()) == s.total
    for counts in s.per_source.values():
        assert counts["auto"] + counts["assisted"] + counts["manual"] == counts["total"]


def test_39_app_types():
    types = rb.app_types()
    assert len(types) == 39
    assert types[0].id == "map_navigation" and types[0].article == "第五条（一）"
    assert types[-1].article == "第五条（三十九）"
    assert sum(t.needs_no_pi for t in types) == 13
    assert len({t.article for t in types}) == 39


def test_app_type_pi_types_exist():
    known = pi_types()
    for t in rb.app_types():
        assert all(p in known for p in t.pi_types), t.id
        assert "phone_number" not in t.pi_types, f"{t.id}: a typed-in phone number is not the line number"
    assert "location.precise" in rb.get_app_type("map_navigation").pi_types
    assert rb.get_app_type("news").pi_types == []


def test_get_app_type_names_the_choices():
    with pytest.raises(KnowledgeError, match="map_navigation"):
        rb.get_app_type("spaceship")


@pytest.mark.parametrize(
    ("label", "package", "expected"),
    [
        ("百度地图", "com.baidu.BaiduMap", ("map_navigation", "medium")),
        (None, "com.autonavi.minimap", ("map_navigation", "low")),
        ("抖音短视频", "com.ss.android.ugc.aweme", ("short_video", "medium")),
        ("腾讯会议", "com.tencent.wemeet.app", ("remote_meeting", "medium")),
        ("Google Maps", "com.google.android.apps.maps", ("map_navigation", "medium")),
        ("淘宝", "com.taobao.taobao", None),
        ("Deliveroo", "com.deliveroo.orderapp", None),
    ],
)
def test_infer_app_type(label, package, expected):
    got = rb.infer_app_type(label, package)
    assert (None if got is None else (got[0].id, got[1])) == expected


def test_infer_app_type_with_basis_says_why():
    got = rb.infer_app_type_with_basis("抖音短视频", "com.ss.android.ugc.aweme")
    assert got is not None
    t, confidence, basis = got
    assert (t.id, confidence) == ("short_video", "medium")
    assert "短视频" in basis and "online_audio_video" in basis
    assert rb.infer_app_type_with_basis("淘宝", "com.taobao.taobao") is None


def test_items_carry_their_source():
    book = rb.rulebook()
    it = book.get("RD-3-1")
    assert (it.source, it.law) == ("rending", "认定方法")
    assert it.text.get("en").startswith("PI is collected")
    assert {i.source for i in book.items} == {s.id for s in book.sources}


def test_bad_item_names_file_and_entry(monkeypatch):
    doc = {
        "source": {"id": "pipl", "law": "PIPL", "title": "t", "url": "https://x", "retrieved": "2026-01-01"},
        "items": [
            {
                "id": "PIPL-1",
                "article": "第一条",
                "text": {"zh": "z", "en": "e"},
                "judgement": "manual",
                "rules": ["HG-PI-001"],
                "how": {"zh": "z", "en": "e"},
            }
        ],
    }
    monkeypatch.setattr(rb, "_read", lambda path: doc)
    with pytest.raises(KnowledgeError, match=r"rulebook/x\.yaml: item PIPL-1: a manual item links no rule"):
        rb._load_source_file("rulebook/x.yaml")
    doc["items"][0]["judgement"] = "sometimes"
    with pytest.raises(KnowledgeError, match=r"rulebook/x\.yaml: entry 0 \('PIPL-1'\)"):
        rb._load_source_file("rulebook/x.yaml")
