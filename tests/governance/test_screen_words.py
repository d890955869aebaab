"""Word boundaries: a short match that runs across one of the post's own common words is a chance
reading, not a term (data/screen/words.txt, score._crosses / score._inside)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from hegui.governance.screen import screen
from hegui.governance.screen.lexicon import load_lexicon
from hegui.governance.screen.normalise import common_words, normalise
from hegui.governance.screen.score import MAX_WORD, _crosses, _inside, find_hits
from hegui.governance.screen.words import word_neighbours


def _groups(text: str) -> dict[str, set[str]]:
    """matched text -> the group ids matched on it"""
    out: dict[str, set[str]] = {}
    for gids, a, b, _exact in find_hits(load_lexicon(), normalise(text)):
        out.setdefault(text[a:b], set()).update(gids)
    return out


def test_word_list_is_common_two_to_four_character_words() -> None:
    words = common_words()
    assert len(words) >= 10_000
    assert {"出行", "收集", "面包"} <= words.keys()
    assert sorted(words.values()) == list(range(len(words)))  # frequency ranks, 0 the most frequent
    assert words["收集"] < words["面包"]  # 1603 and 884 uses in jieba's corpus
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", w) for w in words)


def test_a_homophone_across_a_word_boundary_is_not_read() -> None:
    # 出行|服务 holds 行服务, the sound of 性服务
    assert "porn.solicitation/strong" not in set().union(*_groups("为您提供出行服务").values())
    assert "porn" not in screen("当您使用打车等出行服务时，可联系客服").labels()
    # written as such it still counts
    assert "porn.solicitation/strong" in _groups("提供性服务")["性服务"]


def test_a_two_character_term_across_a_word_boundary_is_not_read() -> None:
    assert "包夜" not in _groups("面包夜宵都有，欢迎来店")
    assert "porn.solicitation/strong" in _groups("今晚包夜，加薇 lily520")["包夜"]


def test_a_term_more_common_than_the_word_it_crosses_stands() -> None:
    # 初中|小姐姐: 中小 crosses 初中, but 初中 is the more common word
    assert "minors.on_camera/age" in _groups("初中小姐姐直播，才艺跳舞")["初中"]
    # 代开|发票 reads 开发 across 代开; the longer term holds the offer
    assert "fraud" in screen("代开发票，各种税点低 私聊").labels()


def test_a_single_character_inside_a_word_is_not_an_offer() -> None:
    assert "收" not in _groups("我们会收集您的信息")  # 收 in 收集 is not 收 (to buy)
    assert "context/commerce" in _groups("高价收号")["收"]
    r = screen("为了保障你的帐号安全，我们会收集设备信息")
    assert r.labels() == []


def _signals(text: str) -> set[tuple[str, str]]:
    return {(e.text, e.signal) for e in screen(text).evidence}


def test_a_homophone_written_as_a_common_word_is_that_word() -> None:
    # 体现 (to show) sounds like 提现 (to cash out): written as the everyday word, it is that word
    assert not any(sig.endswith("~pinyin") for _, sig in _signals("这体现了价值"))
    assert ("维信", "context/lure~pinyin") in _signals("加维信看片")  # 维信 is no word: a homophone


def test_a_homophone_is_not_read_across_brackets_or_quotes() -> None:
    assert ("维信", "context/lure~pinyin") in _signals("加维信看片")
    assert not any(t.startswith("维") and sig.endswith("~pinyin") for t, sig in _signals("加维（信）看片"))
    assert not any(t.startswith("维") and sig.endswith("~pinyin") for t, sig in _signals("加维“信”看片"))


def test_a_word_split_by_the_poster_is_no_word() -> None:
    # 单打 runs across 带单 only in the character view: the poster wrote 带单 and 打水 apart
    got = screen("带单 打水")
    assert "gambling" in got.labels()
    assert any(e.text == "带单" for e in got.evidence)
    assert not screen("带单打水").labels()  # written together, 单打 may be what was meant
    words = common_words()
    n = normalise("带单 打水")
    assert _crosses(words, n.text, 0, 2) and not _crosses(words, n.text, 0, 2, n.offsets)
    assert "porn" not in screen("面包 夜宵").labels()  # 面包 is whole: 包夜 is still a chance reading


def test_evasions_that_split_a_term_still_match() -> None:
    # the boundary check reads the normalised post: separators and homophones do not hide a term
    assert "porn" in screen("同城约 炮，加薇 lily520").labels()
    assert "porn" in screen("今晚包 夜 上门，➕V：kk0921").labels()


# posts made of common words (3- and 4-character ones included) and single characters, so that
# words do run across the matches
_WORDS = sorted(common_words())
_PIECES = st.lists(
    st.sampled_from(_WORDS) | st.sampled_from(sorted({c for w in _WORDS for c in w})), min_size=1, max_size=5
)


@settings(max_examples=500, deadline=None)
@given(_PIECES.map("".join).filter(lambda t: len(t) >= 2), st.data())
def test_the_word_checks_and_their_shortcut_read_the_same_words(text: str, data) -> None:
    words = common_words()
    s = data.draw(st.integers(0, len(text) - 2))
    # _inside: some common word of 2..MAX_WORD characters covers text[s]
    covered = any(
        text[i:j] in words
        for i in range(max(0, s - MAX_WORD + 1), s + 1)
        for j in range(max(s + 1, i + 2), min(len(text), i + MAX_WORD) + 1)
    )
    assert _inside(words, text, s) == covered
    _assert_neighbours_let_through(words, text, s)


def _assert_neighbours_let_through(words: dict[str, int], text: str, s: int) -> None:
    """The neighbour sets (find_hits' shortcut) never skip a word the full checks would find."""
    for k, found in ((1, _inside(words, text, s)), (2, _crosses(words, text, s, s + 2))):
        before, after = word_neighbours(text[s : s + k])
        near = (s > 0 and text[s - 1] in before) or (s + k < len(text) and text[s + k] in after)
        assert near or not found, (text, s, k)


def test_the_shortcut_lets_through_every_long_word() -> None:
    """Every 3- and 4-character common word, with a character either side, at every offset."""
    words = common_words()
    for w in (w for w in words if len(w) >= 3):
        text = f"我{w}了"
        for s in range(len(text) - 1):
            _assert_neighbours_let_through(words, text, s)


def _brute_neighbours(term: str) -> tuple[set[str], set[str]]:
    words, before, after = common_words(), set(), set()
    own = words.get(term, 1 << 30) if len(term) == 2 else 1 << 30
    for w, rank in words.items():
        if rank >= own:
            continue
        if len(term) == 1:
            before |= {w[i - 1] for i in range(1, len(w)) if w[i] == term}
            after |= {w[i + 1] for i in range(len(w) - 1) if w[i] == term}
        else:
            before |= {w[-2]} if w[-1] == term[0] else set()
            after |= {w[1]} if w[0] == term[1] else set()
    return before, after


def test_neighbour_sets_are_exactly_the_definition() -> None:
    """The index (built once) gives what a scan of every common word gives, for the lexicon's own
    short terms, for common words as terms (ranked: only more frequent words count) and for others."""
    lex = load_lexicon()
    short = sorted({t for pairs in lex.py_short.values() for t, _ in pairs})[::40]
    terms = [*short, "作为", "合作", "作业", "收", "集", "包夜", "的", "龘", "龘龘"]
    for term in terms:
        before, after = word_neighbours(term)
        assert (set(before), set(after)) == _brute_neighbours(term), term


def test_neighbours_of_a_term_are_the_characters_that_make_a_word_with_it() -> None:
    before, after = word_neighbours("集")  # 收集, 集合
    assert "收" in before and "合" in after
    before, _ = word_neighbours("包夜")  # 面包 ends with 包
    assert "面" in before
    # a term that is itself a common word: only more frequent words count
    words = common_words()
    assert words["作为"] < words["合作"] < words["作业"]
    assert "合" not in word_neighbours("作为")[0]  # 合作 is rarer than 作为: 合作为 reads 作为
    assert "合" in word_neighbours("作业")[0]  # 合作 is more frequent than 作业
    assert word_neighbours("约炮了") is None  # three characters: no word check


def test_evidence_shows_each_piece_once() -> None:
    # 微信 and 薇信 (one group, one sound) and 學生/学生 (one key) used to show a span twice
    for text in ("加weixin看照片，学生党也能买烟弹", "同城约pao，加薇信 lily520", "yuepao 加weixin"):
        r = screen(text)
        spans = [(e.signal, e.start, e.end) for e in r.evidence]
        assert spans and len(spans) == len(set(spans)), text
