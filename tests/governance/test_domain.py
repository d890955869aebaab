"""Pure rules: the ladder, masking, categories, notice counts."""

from __future__ import annotations

import pytest

from hegui.governance.domain import categories
from hegui.governance.domain.ladder import default_ladder, parse, propose
from hegui.governance.domain.masking import mask_id, mask_identifier, mask_name, mask_phone
from hegui.governance.domain.notice_counts import Row, count
from hegui.service.errors import InvalidInputError


def test_ladder_escalates_to_permanent_on_the_configured_repeat() -> None:
    ladder = default_ladder()
    kinds = [
        propose(ladder, target_type="account", severity="medium", category="porn", active_strikes=n).sanction
        for n in range(3)
    ]
    assert kinds == ["warning", "restriction", "permanent_ban"]
    assert (
        propose(ladder, target_type="account", severity="medium", category="porn", active_strikes=1).days == 7
    )


def test_group_ladder_ends_in_disband() -> None:
    ladder = default_ladder()
    kinds = [
        propose(ladder, target_type="group", severity="medium", category="porn", active_strikes=n).sanction
        for n in range(3)
    ]
    assert kinds == ["warning", "restriction", "disband"]


def test_severity_first_offence_and_category_multiplier() -> None:
    ladder = default_ladder()
    severe = propose(ladder, target_type="account", severity="severe", category="porn", active_strikes=0)
    assert severe.sanction == "permanent_ban"
    minors = propose(
        ladder, target_type="account", severity="medium", category="minors.tipping", active_strikes=0
    )
    assert minors.strikes == 2
    grp = propose(ladder, target_type="group", severity="severe", category="porn", active_strikes=0)
    assert grp.sanction == "disband"
    high = propose(
        ladder, target_type="account", severity="high", category="prohibited_goods", active_strikes=0
    )
    assert (high.sanction, high.days) == ("temp_ban", 7)
    high_group = propose(ladder, target_type="group", severity="high", category="porn", active_strikes=0)
    assert (high_group.sanction, high_group.days) == ("restriction", 7)
    restricted = propose(ladder, target_type="account", severity="low", category="fraud", active_strikes=1)
    assert restricted.features == ("post", "forward", "group_create")


def test_evasion_is_permanent_and_accounts_only() -> None:
    ladder = default_ladder()
    p = propose(
        ladder, target_type="account", severity="low", category="fraud", active_strikes=0, evasion=True
    )
    assert p.sanction == "permanent_ban"
    with pytest.raises(InvalidInputError):
        propose(ladder, target_type="group", severity="low", category="fraud", active_strikes=0, evasion=True)


def test_ladder_config_is_validated() -> None:
    with pytest.raises((ValueError, KeyError)):
        parse({"severities": {"low": {"strikes": 1}}})
    data = {
        "strike_expiry_days": 1,
        "appeal_window_days": 1,
        "severities": {s: {"strikes": 1} for s in ("low", "medium", "high", "severe")},
        "account": {"permanent_at": 2, "ladder": [{"strikes": 1, "sanction": "disband"}]},
        "group": {"permanent_at": 2},
    }
    with pytest.raises(ValueError):
        parse(data)


def test_masking() -> None:
    assert mask_id("wxid_abcdef12yz") == "wxid_ab****yz"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_identifier("13812345678") == "138****5678"
    assert mask_id("ab") == "a****"
    assert "cdef" not in mask_identifier("wxid_abcdefgh")


def test_categories_validate() -> None:
    assert categories.validate("porn") == "porn"
    assert categories.validate("prohibited_goods.tobacco") == "prohibited_goods.tobacco"
    for bad in ("", "nope", "porn.<script>", "PORN", "x" * 200, "porn.a.b"):
        with pytest.raises(InvalidInputError):
            categories.validate(bad)


def test_notice_counts_distinct_targets_heaviest_sanction() -> None:
    rows = [
        Row(1, "account", 1, "wxid_abcdefyz", "张三", "porn", "warning"),
        Row(2, "account", 1, "wxid_abcdefyz", "张三", "porn", "permanent_ban"),
        Row(3, "account", 2, "13812345678", "李四", "porn", "restriction"),
        Row(4, "group", 7, "g_12345678", "家长群", "porn", "disband"),
    ]
    c = count(rows)
    assert (c["accounts"], c["groups"], c["decisions"]) == (2, 1, 4)
    assert c["by_sanction"] == {"disband": 1, "permanent_ban": 1, "restriction": 1}
    assert c["by_category"] == {"porn": {"accounts": 2, "groups": 1}}
    idents = [e["identifier"] for e in c["examples"]]
    assert "wxid_ab****yz" in idents and "138****5678" in idents
    assert all(e["name"] != "张三" for e in c["examples"])
