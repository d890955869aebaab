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


def _controls(**kw):
    base = {
        "channel": "app",
        "open": True,
        "message": "",
        "resume_on": None,
        "require_phone": False,
        "require_real_name": False,
        "minors_mode": False,
    }
    return base | kw


def test_registration_open_channel_admits_an_adult_with_nothing_bound() -> None:
    from hegui.governance.domain.registration import Applicant, decide

    d = decide(_controls(), Applicant(age=30))
    assert (d.allowed, d.reasons, d.minors_mode, d.limits) == (True, [], False, ())


def test_registration_lists_every_refusal_with_its_rule() -> None:
    from hegui.governance.domain.registration import Applicant, decide

    controls = _controls(open=False, message="合规升级，暂停注册", require_phone=True, require_real_name=True)
    d = decide(controls, Applicant(age=12, streamer=True))
    assert not d.allowed
    assert [r["code"] for r in d.reasons] == [
        "paused",
        "phone_required",
        "real_name_required",
        "guardian_consent_required",
        "no_streamer_under_16",
    ]
    assert d.reasons[0]["message"] == "合规升级，暂停注册" == d.message
    by_code = {r["code"]: r for r in d.reasons}
    assert by_code["guardian_consent_required"]["basis"] == "个人信息保护法 第三十一条"
    assert by_code["no_streamer_under_16"]["basis"] == "未成年人保护法 第七十六条"
    en = decide(controls | {"open": True}, Applicant(phone_bound=True, real_name_verified=True), "en")
    assert (en.allowed, en.reasons) == (True, [])


def test_registration_minors_mode_applies_to_minors_and_needs_an_age() -> None:
    from hegui.governance.domain.registration import MINORS_MODE_LIMITS, Applicant, decide

    on = _controls(minors_mode=True)
    teen = decide(on, Applicant(age=15))
    assert teen.allowed and teen.minors_mode and teen.limits == MINORS_MODE_LIMITS
    assert decide(on, Applicant(age=18)).minors_mode is False
    unknown = decide(on, Applicant())
    assert not unknown.allowed and [r["code"] for r in unknown.reasons] == ["age_unknown_in_minors_mode"]
    # without minors' mode a minor registers normally; under 14 still needs a guardian
    assert decide(_controls(), Applicant(age=15)).minors_mode is False
    assert decide(_controls(), Applicant(age=13, guardian_consent=True)).allowed
    # a 16-year-old may stream; a 15-year-old may register, but not as a streamer
    assert decide(_controls(), Applicant(age=16, streamer=True)).allowed
    assert not decide(_controls(), Applicant(age=15, streamer=True)).allowed
