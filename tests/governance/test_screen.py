"""The Chinese text screener: evasion tricks, evidence spans into the original text, benign
look-alikes, determinism and hostile input. (CLI: test_screen_cli.py; data: test_screen_data.py.)"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.governance.screen import (
    MAX_CHARS,
    ScreenResult,
    available_screeners,
    get_screener,
    screen,
    screen_many,
)
from hegui.governance.screen.model import CategoryScore
from hegui.governance.screen.normalise import normalise

TOPS = ("porn", "prohibited_goods", "black_market", "gambling", "fraud", "minors")


def labels(text: str, screener: str | None = None) -> set[str]:
    return set(screen(text, screener=screener).labels())


def assert_spans_index_original(text: str, result: ScreenResult) -> None:
    for span in result.evidence:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text


# -- every category, plainly -----------------------------------------------------------------------

PLAIN = [
    ("同城约炮，学生少妇都有，私聊", "porn"),
    ("福利视频合集 链接: https://pan.baidu.com/s/1abc 提取码: x8k2", "porn"),
    ("迷药无色无味，喝下就睡，货到付款", "prohibited_goods"),
    ("电子烟批发，水果味烟弹，私聊下单", "prohibited_goods"),
    ("仿真枪全金属能打钢珠，现货出售", "prohibited_goods"),
    ("出售微信号，老号实名，价格私聊", "black_market"),
    ("接码平台，各平台验证码秒到", "black_market"),
    ("刷单兼职，一单一结，日入三百", "black_market"),
    ("真人百家乐，首存送彩金，提现秒到", "gambling"),
    ("无抵押贷款，黑户也能下款，先交手续费", "fraud"),
    ("我家闺女才十岁，开播了，求关注求礼物", "minors"),
    ("小朋友们，拿爸妈手机给主播刷火箭", "minors"),
]


@pytest.mark.parametrize(("text", "category"), PLAIN)
def test_each_category_is_caught(text: str, category: str) -> None:
    result = screen(text)
    assert category in result.labels()
    assert result.categories[category].score >= 0.5
    assert any(s.category.split(".")[0] == category for s in result.evidence)


def test_subcategory_scores_and_top_level_is_their_max() -> None:
    result = screen("电子烟批发，水果味烟弹，私聊下单")
    assert result.categories["prohibited_goods.tobacco"].label
    assert not result.categories["prohibited_goods.weapons"].label
    subs = [v.score for k, v in result.categories.items() if k.startswith("prohibited_goods.")]
    assert result.categories["prohibited_goods"].score == max(subs)
    assert set(TOPS) <= set(result.categories)


# -- evasion tricks --------------------------------------------------------------------------------

TRICKS = [
    ("homophone", "同城约泡，加薇 lily520", "porn"),
    ("homophone", "百家乐真人荷官，威信 abc123 上分", "gambling"),
    ("pinyin", "本地yuepao，妹子多，加v详聊", "porn"),
    ("pinyin", "mi yao 无色无味 货到付款", "prohibited_goods"),
    ("split", "约 炮 妹子 上门，私聊", "porn"),
    ("split", "接.码.平.台，验证码秒到", "black_market"),
    ("emoji", "代🌸实🔥名认证，人脸代过", "black_market"),
    ("emoji", "冰🍬毒 麻🍬古 现货", "prohibited_goods"),
    ("fullwidth", "ＶＸ：ａｂｃ１２３ 电子烟批发 私聊", "prohibited_goods"),
    ("traditional", "網上賭場，百家樂真人荷官，首存送彩金", "gambling"),
    ("traditional", "迷藥無色無味，喝下就睡", "prohibited_goods"),
    ("contact_lure", "刷单兼职 日结 ➕V：abc888", "black_market"),
    ("cloud_link", "网红流出完整版 夸克网盘 https://pan.quark.cn/s/abc", "porn"),
]


@pytest.mark.parametrize(
    ("trick", "text", "category"), TRICKS, ids=[f"{t[0]}-{i}" for i, t in enumerate(TRICKS)]
)
def test_evasion_tricks(trick: str, text: str, category: str) -> None:
    result = screen(text)
    assert category in result.labels(), (trick, result.categories[category])
    assert_spans_index_original(text, result)


def test_homophone_match_is_marked_and_weaker_than_the_word() -> None:
    exact = screen("约炮")
    homophone = screen("约泡")
    assert any(s.signal.endswith("~pinyin") for s in homophone.evidence)
    assert not any(s.signal.endswith("~pinyin") for s in exact.evidence if s.text == "约炮")
    assert homophone.categories["porn"].score <= exact.categories["porn"].score


def test_normalise_maps_back_to_the_original() -> None:
    text = "約 🔥炮，加ＶＸ：ab12 ①薇信"
    n = normalise(text)
    assert n.text == "约炮加vxab121薇信"
    for i, ch in enumerate(n.text):
        assert text[n.orig(i)] in (ch, "約", "Ｖ", "Ｘ", "①") or ch.isascii()
    assert n.span(0, 2) == (0, 4)  # 约炮 covers "約 🔥炮" in the original
    assert len(n.pinyin()) == len(n.text)  # aligned with the character view
    assert n.pinyin()[:2] == normalise("月泡").pinyin() == normalise("yuepao").pinyin()[::3]


def test_evidence_spans_index_the_original_post() -> None:
    text = "［廣告］ 約~炮 📱加ＶＸ：ｌｉｌｙ５２０，網 盤 pan.baidu.com/s/1x 提取碼 ab12"
    result = screen(text)
    assert "porn" in result.labels()
    assert result.evidence
    assert_spans_index_original(text, result)
    assert any(s.text == "約~炮" for s in result.evidence)


def test_latin_terms_need_word_edges() -> None:
    # "av", "vx", "91" must not fire inside other words or numbers
    assert labels("I have a java avatar; call 4916 2025") == set()
    result = screen("java avatar 4916")
    assert not result.evidence


def test_meaningful_emoji_are_read_in_the_original() -> None:
    # normalisation drops emoji; the few that carry meaning (❄ 🚬 🔞) are lexicon terms matched in the original
    text = "❄️冰到货，同城面交"
    result = screen(text)
    assert "prohibited_goods" in result.labels()
    assert any(s.text == "❄" for s in result.evidence)
    assert_spans_index_original(text, result)


def test_short_homophones_keep_a_character_and_handles_are_not_words() -> None:
    # 机是 reads ji shi like 技师, but shares no character with it: chance, not evasion
    assert not [s for s in screen("检查一下手机是否拦截了短信").evidence if s.signal.endswith("~pinyin")]
    # typed pinyin inside a contact handle (xiaomei39285) is not the word 小妹
    result = screen("二手手机出售 微信xiaomei39285")
    assert result.labels() == [] and not [s for s in result.evidence if s.category.startswith("porn")]
    assert "porn" in labels("约泡，妹子多")  # one character kept: still a homophone


def test_the_pinyin_view_reads_every_term_at_a_start() -> None:
    # typed pinyin: the longest reading at 福li (a longer term that does not apply) used to hide 福利
    assert any(s.text == "福li" for s in screen("福li视频合集已更新").evidence)
    assert "porn" in labels("福li视频合集已更新")


def test_a_homophone_inside_a_term_written_as_such_is_not_read() -> None:
    # 返本金 is written as a term (black market's task farming); 返本 inside it is not 翻本 (betting)
    result = screen("淘宝刷单返佣，每单立返本金加佣金，日入三百")
    assert not [s for s in result.evidence if s.text == "返本" and s.signal.endswith("~pinyin")]
    assert "返本金" in {s.text for s in result.evidence}


SCAMS = [
    "我是你领导，在开会不方便接电话，先转两万到这个账户",  # 冒充领导
    "您好，我是京东客服，您的白条需要注销，请下载会议软件屏幕共享",  # 冒充客服
    "恭喜你成为幸运用户，点击链接领取奖品，需先交299运费",  # 虚假中奖
    "居家兼职手机打字员，日结三百，先交98元押金",  # 兼职押金
    "无视征信，当天下款，先交保证金",  # 贷款先交费
    "导师带单炒币，日收益10%，稳赚不亏",  # 虚假投资
]


@pytest.mark.parametrize("text", SCAMS)
def test_scam_scripts_are_fraud(text: str) -> None:
    assert "fraud" in labels(text)


# -- benign look-alikes ----------------------------------------------------------------------------

BENIGN = [
    "本药店出售感冒药、退烧药，处方药凭处方购买，欢迎到店咨询",
    "医院提醒：安眠药属于处方药，请遵医嘱服用",
    "戒烟第一百天，感觉呼吸都顺畅了",
    "吸烟有害健康，电子烟也不例外，青少年请远离",
    "厨房刀具套装，德国进口不锈钢，切菜很顺手",
    "青春期性教育很重要，家长要正确引导孩子",
    "晚上约跑，五公里配速六分",
    "体育彩票开奖公告：本期大乐透一等奖开出两注",
    "警惕网络赌博，十赌九输",
    "防骗指南：自称客服要你转账的都是诈骗",
    "兼职刷单都是诈骗！警方提醒：凡是要你先垫付的都是骗局",
    "我家闺女今天学会骑自行车了",
    "家长注意：不要让孩子用你的手机打赏主播，可以开启青少年模式",
    "二手手机出售，自用九成新，微信 abc123",
    "新游戏上线，充值首充双倍，礼包码在评论区",
    "警方破获一起迷药案，提醒女性夜间注意饮品安全",
    "成人高考报名开始了",
    "考研资料整理好了 链接: https://pan.baidu.com/s/1abc 提取码 x8k2",
    "这个接口的秘钥放在哪里？",
    "今天天气真好，去公园散步了",
    "淘宝客服说退款三天到账，等等看吧",
    "银行提醒：不要把验证码告诉任何人，官方不会索要",
    "女儿今天跳舞比赛拿了第一名",
    "孩子偷偷给主播打赏了两千，平台能退吗",
    "周末和家人打麻将，冰美式真好喝",
    "军事博物馆里看到了退役的枪炮",
]


@pytest.mark.parametrize("text", BENIGN)
def test_benign_lookalikes_are_not_labelled_by_the_lexicon(text: str) -> None:
    result = screen(text, screener="lexicon")
    assert result.labels() == [], {k: v.score for k, v in result.categories.items() if v.label}


# -- structure over single words -------------------------------------------------------------------

# (a generic word alone, the same word inside the structure of an offer or a scam script)
STRUCTURE = [
    (
        "有没有稳赚不赔的职业，求推荐",
        "导师带单炒币，稳赚不赔，加微信进群",
        "fraud",
    ),  # a sure-win pitch needs an investment
    ("二手书全套，九成新，已包邮", "全套服务，妹子上门，加微信详聊", "porn"),  # 全套 needs an act or a girl
    ("这个主播唱歌真好听，关注了", "12岁女儿开直播唱歌，求关注求礼物", "minors"),  # streaming needs a child
    (
        "尊敬的客户，您的退款已到账",
        "尊敬的客户，您的快递丢失需理赔，请联系客服加微办理",
        "fraud",
    ),  # notice + private contact
    (
        "这个游戏不查年龄，谁都能玩",
        "一次性电子烟，不查年龄，微信下单",
        "prohibited_goods",
    ),  # sale to minors needs tobacco
    (
        "周末带孩子去溜冰，有需要拼车的吗",
        "有需要溜冰的老板吗，货纯，叶子也有",
        "prohibited_goods",
    ),  # slang needs a deal
]


@pytest.mark.parametrize(("plain", "offer", "category"), STRUCTURE)
def test_generic_words_need_a_structure(plain: str, offer: str, category: str) -> None:
    assert labels(plain, "lexicon") == set()
    assert category in labels(offer, "lexicon")
    assert category in labels(offer)


# The default screener's n-gram model labels this look-alike, which the lexicon scored near its
# threshold: the model reads the words of a scam (a notice about money). Listed so that a retrained
# model that errs on more of them, or on fewer, is noticed.
GATED_ERRORS = {"尊敬的客户，您的退款已到账": ["fraud"]}


def test_the_default_screener_errs_only_on_known_lookalikes() -> None:
    texts = BENIGN + [plain for plain, _, _ in STRUCTURE]
    flagged = {t: r.labels() for t, r in zip(texts, screen_many(texts), strict=True) if r.labels()}
    assert flagged == GATED_ERRORS
    for text in GATED_ERRORS:
        assert "n-gram model" in (screen(text).note or "")


def test_scam_told_in_the_third_person_is_a_warning() -> None:
    # the same script (公检法 + 安全账户 + 转账), told as the victim meets it vs described by a warning
    assert "fraud" in labels("我是公安局的，你涉嫌洗钱，需要把钱转到安全账户配合调查")
    assert labels("诈骗分子冒充公检法，要求转账到安全账户，请大家提高警惕") == set()


def test_task_farming_that_takes_a_deposit_is_fraud() -> None:
    # categories.yaml: 刷单 that boosts sales is click farming; 刷单返利 that takes the worker's money is fraud
    assert labels("刷手招募，垫付后返本金加佣金，私信") == {"black_market"}
    assert labels("刷单返利，日赚五百，先交押金") == {"fraud"}


def test_betting_words_in_an_investment_pitch_are_not_gambling() -> None:
    assert labels("理财保本，日收益3%，导师带单，加vx了解") == {"fraud"}
    assert labels("今晚欧冠，跟我买的私聊，带你上岸") == {"gambling"}


def test_no_match_gives_low_scores_and_no_evidence() -> None:
    result = screen("今天天气真好")
    assert result.evidence == []
    assert all(not v.label and v.score < 0.1 for v in result.categories.values())


# -- determinism, library shape, plug-ins ----------------------------------------------------------


def test_deterministic_and_serialisable() -> None:
    text = "同城约炮，加薇 lily520，网盘 pan.baidu.com/s/1x"
    first = screen(text).model_dump_json()
    assert all(screen(text).model_dump_json() == first for _ in range(5))
    again = ScreenResult.model_validate_json(first)
    assert again.labels() == screen(text).labels()


def test_screen_many_matches_screen() -> None:
    texts = [t for t, _ in PLAIN] + BENIGN
    assert [r.model_dump() for r in screen_many(texts)] == [screen(t).model_dump() for t in texts]


def test_screener_registry() -> None:
    assert "lexicon" in available_screeners()
    with pytest.raises(ValueError, match="unknown screener"):
        screen("x", screener="no-such-model")

    def fake(text: str) -> ScreenResult:
        return ScreenResult(categories={"fraud": CategoryScore(score=1.0, label=True)}, screener="fake")

    assert screen("x", screener=fake).labels() == ["fraud"]
    assert get_screener(None) is get_screener("gated")
    assert screen("同城约炮，加薇 lily520").screener == "gated"


# -- hostile input ---------------------------------------------------------------------------------


def test_not_a_string_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        screen(b"bytes")  # type: ignore[arg-type]


def test_huge_post_is_truncated_with_a_note_and_is_fast() -> None:
    text = ("约" * 3 + "a" * 50 + "，" * 20 + "1" * 30) * 200_000  # ~20 MB
    start = time.process_time()
    result = screen(text)
    assert time.process_time() - start < 5
    assert result.truncated and result.note and str(MAX_CHARS) in result.note
    assert all(s.end <= MAX_CHARS for s in result.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "1" * MAX_CHARS,
        "十" * MAX_CHARS,
        "加" * MAX_CHARS,
        "瘦" + "一" * MAX_CHARS,
        "\u200b" * MAX_CHARS,
        "🔥" * MAX_CHARS,
        "yue" * (MAX_CHARS // 3),
    ],
)
def test_pathological_posts_are_linear(text: str) -> None:
    start = time.process_time()
    screen(text)
    assert time.process_time() - start < 2


HOSTILE = st.text(
    alphabet=st.sampled_from(
        list("约炮微信薇加vVxX+ 　.,，🔥①０1５岁年级元块瘦斤十二aq\u200b\ufe0f網盤") + ["\U0001f235"]
    ),
    max_size=300,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE)
def test_any_text_gives_a_valid_result(text: str) -> None:
    result = screen(text)
    assert_spans_index_original(text, result)
    for v in result.categories.values():
        assert 0.0 <= v.score <= 1.0
    assert screen(text) == result


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_gives_a_valid_result(text: str) -> None:
    assert_spans_index_original(text, screen(text))


def test_a_term_with_typed_pinyin_inside_reads_through_the_pinyin_view(tmp_path) -> None:
    """加line: the typed syllables leave fillers inside the term's pinyin key (a KeyError once)."""
    from hegui.governance.screen.lexicon import load_lexicon
    from hegui.governance.screen.normalise import normalise
    from hegui.governance.screen.score import find_hits

    extra = tmp_path / "probe.yaml"
    extra.write_text(
        "category: porn\nsubcategories:\n  porn.solicitation:\n    groups:\n"
        '      probe: {w: 1.0, why: "test", terms: [加line, 约pao妹]}\n',
        encoding="utf-8",
    )
    lex = load_lexicon(extra=(str(extra),))
    for text, piece in (("加line看照片", "加line"), ("加 li ne", "加 li ne"), ("jia line 123", "jia line"),
                        ("约pao妹子", "约pao妹")):  # fmt: skip
        found = {text[a:b] for gids, a, b, _ in find_hits(lex, normalise(text)) if "porn.solicitation/probe" in gids}
        assert found == {piece}, text
