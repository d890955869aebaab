"""Word boundaries: a short match that runs across one of the post's own common words is a chance
reading, not a term (data/screen/words.txt, score._crosses / score._inside)."""

from __future__ import annotations

import re

from hegui.governance.screen import screen
from hegui.governance.screen.lexicon import load_lexicon
from hegui.governance.screen.normalise import common_words, normalise
from hegui.governance.screen.score import find_hits


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


def test_evasions_that_split_a_term_still_match() -> None:
    # the boundary check reads the normalised post: separators and homophones do not hide a term
    assert "porn" in screen("同城约 炮，加薇 lily520").labels()
    assert "porn" in screen("今晚包 夜 上门，➕V：kk0921").labels()
