"""The screener's n-gram model (``screen/ngram.py``) and the ``gated`` screener built on it: the
arithmetic against a hand-computed model, the bundled file, bad model files, and what the gate
promises (the model only adds labels the lexicon nearly gave)."""

from __future__ import annotations

import gzip
import json
import math
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.cli.main import app
from hegui.governance.screen import available_screeners, screen, screen_many
from hegui.governance.screen.ngram import FORMAT, load_model, parse_model
from hegui.governance.screen.normalise import normalise
from tests.governance.test_screen_benchmarks import _module

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
TOPS = ("porn", "prohibited_goods", "black_market", "gambling", "fraud", "minors")


def _lines(weights: dict[str, tuple[float, ...]], intercepts=(0.5, -1.0), **head) -> list[str]:
    header = {
        "format": FORMAT,
        "categories": ["a", "b"],
        "intercepts": list(intercepts),
        "max_n": 2,
        "gate": 0.2,
        "threshold": 0.6,
        "low_gate": 0.1,
        "low_threshold": 0.8,
        "veto": 0.05,
        "veto_below": 0.95,
        "veto_max_chars": 10,
        "veto_explained": 0.3,
        "sure": 0.9,
        **head,
    }
    return [json.dumps(header)] + ["\t".join([g, *map(str, row)]) for g, row in weights.items()]


def test_probabilities_follow_the_documented_formula() -> None:
    # n-gram -> (idf, weight of a, weight of b)
    model = parse_model(_lines({"约": (1.5, 2.0, -1.0), "约约": (2.0, 1.0, 0.5), "x": (3.0, -4.0, 4.0)}))
    # "约约约q": 约 and 约约 are present (how often does not count); "q" and "约约约" are not in the model
    x1, x2 = 1.5, 2.0
    norm = math.sqrt(x1 * x1 + x2 * x2)
    za = (x1 * 2.0 + x2 * 1.0) / norm + 0.5
    zb = (x1 * -1.0 + x2 * 0.5) / norm - 1.0
    got = model.probabilities("约约约q")
    assert got["a"] == pytest.approx(1 / (1 + math.exp(-za)), abs=1e-12)
    assert got["b"] == pytest.approx(1 / (1 + math.exp(-zb)), abs=1e-12)
    assert model.probabilities("q约约") == got


def test_text_with_no_known_ngram_gets_the_intercepts() -> None:
    model = parse_model(_lines({"约": (1.0, 1.0, 1.0)}, intercepts=(0.0, -2.0)))
    got = model.probabilities("天气")
    assert got["a"] == pytest.approx(0.5) and got["b"] == pytest.approx(1 / (1 + math.exp(2.0)))
    assert model.probabilities("") == got


def test_decide_follows_the_gates_and_the_veto() -> None:
    # gate 0.2 / threshold 0.6, low gate 0.1 / 0.8, veto 0.05 below 0.95, to 10 characters
    model = parse_model(_lines({"约": (1.0, 1.0, 1.0)}))

    def decide(score: float, label: bool, p: float, n_chars: int = 5) -> tuple[list[str], list[str]]:
        asked = {"a": p} if model.asks(score, label) else {}
        d = model.decide({"a": (score, label), "b": (0.0, False)}, asked, n_chars)
        return d.added, d.removed

    assert decide(0.2, False, 0.6) == (["a"], [])  # a near miss, the model sure enough
    assert decide(0.2, False, 0.59) == ([], [])
    assert decide(0.1, False, 0.8) == (["a"], [])  # a fainter match: the model must be surer
    assert decide(0.19, False, 0.79) == ([], [])
    assert decide(0.09, False, 1.0) == ([], [])  # the lexicon saw (almost) nothing: never labelled
    assert decide(0.9, True, 0.04) == ([], ["a"])  # the model nearly sure the label is wrong
    assert decide(0.9, True, 0.05) == ([], [])
    assert decide(0.9, True, 0.0, n_chars=11) == ([], [])  # longer than what it learned from: kept
    assert decide(0.95, True, 0.0) == ([], [])  # the lexicon sure: kept
    assert decide(0.9, True, 1.0) == ([], [])
    asks = [(0.09, False), (0.1, False), (0.2, False), (0.9, True), (0.95, True)]
    assert [model.asks(s, lab) for s, lab in asks] == [False, True, True, True, False]


def test_a_doubtful_label_goes_when_another_category_explains_the_post() -> None:
    # veto 0.05, explained below 0.3 by a category the lexicon scored >= 0.95 or the model gives 0.9
    model = parse_model(_lines({"约": (1.0, 1.0, 1.0)}))
    sure_lexicon = model.decide({"a": (0.6, True), "b": (0.97, True)}, {"a": 0.2}, 5)
    assert sure_lexicon.removed == ["a"] and sure_lexicon.explained_by == {"a": "b"}
    sure_model = model.decide({"a": (0.6, True), "b": (0.6, True)}, {"a": 0.2, "b": 0.95}, 5)
    assert sure_model.removed == ["a"] and sure_model.explained_by == {"a": "b"}
    added = model.decide({"a": (0.6, True), "b": (0.3, False)}, {"a": 0.2, "b": 0.95}, 5)
    assert added.added == ["b"] and added.removed == ["a"]  # a label the model gave explains it too
    unsure = model.decide({"a": (0.6, True), "b": (0.6, True)}, {"a": 0.2, "b": 0.85}, 5)
    assert unsure.removed == []  # nothing sure enough to explain the post
    alone = model.decide({"a": (0.6, True), "b": (0.0, False)}, {"a": 0.2}, 5)
    assert alone.removed == []  # no other category: the label stays
    doubtful = model.decide({"a": (0.6, True), "b": (0.97, True)}, {"a": 0.3}, 5)
    assert doubtful.removed == []  # not doubtful enough
    long = model.decide({"a": (0.6, True), "b": (0.97, True)}, {"a": 0.2}, 11)
    assert long.removed == []  # longer than what it learned from


_SCORED = st.tuples(st.floats(0, 1), st.booleans())


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries({c: _SCORED for c in TOPS}),
    st.fixed_dictionaries({c: st.floats(0, 1) for c in TOPS}),
    st.integers(0, 400),
)
def test_decide_only_adds_near_misses_and_only_removes_unsure_labels(lexicon, model_probs, n_chars) -> None:
    model = load_model()
    asked = {c: p for c, p in model_probs.items() if model.asks(*lexicon[c])}
    d = model.decide(lexicon, asked, n_chars)
    labels = {c for c, (_, label) in lexicon.items() if label}
    assert set(d.added) <= set(asked) - labels  # only categories it was asked about, never a label again
    assert all(lexicon[c][0] >= model.low_gate for c in d.added)  # never where the lexicon saw nothing
    assert set(d.removed) <= labels & set(asked) and len(set(d.removed)) == len(d.removed)
    assert all(lexicon[c][0] < model.veto_below for c in d.removed) and (
        not d.removed or n_chars <= model.veto_max_chars
    )
    assert set(d.explained_by) <= set(d.removed)
    for c, other in d.explained_by.items():  # the explaining category stays labelled
        assert other != c and other not in d.removed and (other in labels or other in d.added)


def test_the_low_gate_is_above_every_score_without_a_match() -> None:
    # so the model never labels a category of which the lexicon found nothing: every label has evidence
    from hegui.governance.screen.lexicon import load_lexicon
    from hegui.governance.screen.score import default_scores

    assert load_model().low_gate > max(default_scores(load_lexicon()).values())


@pytest.mark.parametrize(
    "lines, message",
    [
        ([], "empty"),
        ([json.dumps({"format": 99})], "format"),
        ([json.dumps({"format": 1})], "format"),
        (["[2]"], "format"),
        ([json.dumps({"format": FORMAT, "categories": ["a"]})], "header"),
        (_lines({"约": (1.0, 2.0)}), "fields"),
        (_lines({"": (1.0, 2.0, 3.0)}), "n-gram"),
        (_lines({"约": (1.0, 2.0, 3.0)}) + ["约\t1\t2\t3"], "again"),
    ],
)
def test_a_bad_model_file_is_a_value_error(lines: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_model(lines)


def test_the_bundled_model() -> None:
    model = load_model()
    assert model.categories == TOPS
    assert 0 < model.low_gate <= model.gate < model.threshold <= model.low_threshold < 1
    assert model.veto <= model.veto_explained < model.sure
    assert 0 < model.veto < 0.5 and model.veto_max_chars >= 100
    assert len(model.rows) == len(model.automaton) == model.meta["features"] >= 10_000
    assert model.meta["parity_max_abs_diff"] <= 1e-4  # checked against scikit-learn when trained
    trained = model.meta["trained_on"]
    assert {"dev", "test", "ordinary-guide", "knowledge"} <= set(trained)
    assert not set(trained) & _screen_eval().BLIND, "the model must never be trained on a blind set"
    violating = model.probabilities(normalise("同城约炮，学生少妇都有，私聊").text)
    ordinary = model.probabilities(normalise("今天的红烧肉做得很好吃，孩子吃了两碗饭").text)
    assert violating["porn"] > 0.9 > max(ordinary.values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="约炮微信加vx12 ，私聊赌博彩票代实名", max_size=40), st.sets(st.sampled_from(TOPS)))
def test_probabilities_of_some_categories_are_those_of_all(text: str, only: set[str]) -> None:
    model = load_model()
    everything = model.probabilities(normalise(text).text)
    some = model.probabilities(normalise(text).text, sorted(only))
    assert some == {c: everything[c] for c in sorted(only)}


def test_probabilities_of_an_unknown_category_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        load_model().probabilities("约", ["nonsense"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_any_text_gets_probabilities_in_range(text: str) -> None:
    probs = load_model().probabilities(normalise(text).text)
    assert set(probs) == set(TOPS) and all(0.0 <= p <= 1.0 for p in probs.values())


def _posts(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines()]


def test_gated_changes_only_what_the_model_decided() -> None:
    model = load_model()
    names = ("posts_dev.jsonl", "posts_independent4.jsonl", "posts_independent5.jsonl")
    texts = [p["text"] for name in names for p in _posts(name)]
    added = removed = explained = 0
    for lex, gated in zip(screen_many(texts, screener="lexicon"), screen_many(texts), strict=True):
        explained += " explains the post)" in (gated.note or "")
        assert gated.screener == "gated" and lex.evidence == gated.evidence
        assert (gated.note is None) == (gated.categories == lex.categories)
        gone = {c for c in TOPS if lex.categories[c].label and not gated.categories[c].label}
        for cid, s in gated.categories.items():
            before = lex.categories[cid]
            if s == before:
                continue
            top = cid.split(".")[0]
            if top in gone:  # removed: the top level and its subcategories unlabelled, scores capped
                assert not s.label and s.score <= before.score
                assert "unlabelled by the n-gram model: " in gated.note and top in gated.note
                removed += cid == top
                continue
            assert "." not in cid, "a subcategory changes only with its removed top level"
            assert not before.label and s.label and before.score >= model.low_gate
            assert s.score >= (model.threshold if before.score >= model.gate else model.low_threshold)
            assert "labelled by the n-gram model: " in gated.note
            added += 1
    assert added > 0, "the model decided none of the near misses: the gates are never used"
    assert removed > 0, "the model removed no label: the veto is never used"
    assert explained > 0, "no label was removed as explained by another category: never used"


def test_a_long_post_keeps_the_lexicon_labels() -> None:
    post = "同城约炮，学生少妇都有，私聊"
    assert screen(post).labels() == ["porn"]
    # the same offer inside a long text unlike the model's training posts: the veto does not apply
    long = "今天的天气很好，我们一家人去公园散步，看到很多人在放风筝。" * 10 + post
    assert "porn" in screen(long).labels()


def test_gated_leaves_text_with_nothing_matched_alone() -> None:
    for text in ("今天天气真好", "周末去爬山，记得带水", ""):
        gated, lex = screen(text), screen(text, screener="lexicon")
        assert gated.model_dump(exclude={"screener"}) == lex.model_dump(exclude={"screener"})


@pytest.mark.parametrize("name", ["posts_dev.jsonl", "posts_test.jsonl"])
def test_gated_keeps_the_targets_on_the_committed_sets(name: str) -> None:
    posts = _posts(name)
    results = list(screen_many((p["text"] for p in posts), screener="gated"))
    for cid in TOPS:
        tp = sum(cid in r.labels() and cid in p["labels"] for r, p in zip(results, posts, strict=True))
        fp = sum(cid in r.labels() and cid not in p["labels"] for r, p in zip(results, posts, strict=True))
        fn = sum(cid not in r.labels() and cid in p["labels"] for r, p in zip(results, posts, strict=True))
        assert tp / (tp + fp) >= 0.9 and tp / (tp + fn) >= 0.9, (cid, tp, fp, fn)


def test_gated_is_a_built_in_screener_of_the_cli() -> None:
    from typer.testing import CliRunner

    assert available_screeners()[:2] == ["lexicon", "gated"]
    result = CliRunner().invoke(
        app, ["screen", "--screener", "gated"], input="同城约炮，加薇 lily520\n今天天气真好\n"
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["labels"] for r in rows] == [["porn"], []]


def test_the_model_file_is_deterministic_gzip() -> None:
    path = ROOT / "src" / "hegui" / "governance" / "data" / "screen" / "ngram_model.tsv.gz"
    raw = path.read_bytes()
    assert raw[4:8] == b"\0\0\0\0", (
        "written with mtime 0, so retraining on the same data gives the same bytes"
    )
    first = gzip.decompress(raw).decode("utf-8").splitlines()[0]
    assert json.loads(first)["format"] == FORMAT


def _screen_eval():
    return _module(ROOT / "benchmarks" / "screen_eval.py")


def _trainer():
    return _module(ROOT / "scripts" / "train_screen_model.py")


def test_training_script_reads_our_own_rule_texts_and_refuses_bad_arguments(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    trainer = _trainer()
    sentences = trainer.knowledge_sentences()
    assert len(sentences) > 500 and len(set(sentences)) == len(sentences)
    assert trainer.TRAIN_SETS and not set(trainer.TRAIN_SETS) & _screen_eval().BLIND
    assert trainer.main(["--ordinary", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("今天天气真好，我们去公园散步\n", "utf-8")
    monkeypatch.setitem(sys.modules, "sklearn", None)  # as on a machine without scikit-learn
    assert trainer.main(["--ordinary", str(ordinary), "--out", str(tmp_path / "m.tsv.gz")]) == 2
    assert "scikit-learn" in capsys.readouterr().err
    assert not (tmp_path / "m.tsv.gz").exists()
