"""Finding the bundled privacy policy (hegui.facts.policy): choice, bounds and hostile candidates."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from hegui.apk import resources
from hegui.apk.archive import Apk, open_apk
from hegui.facts import policy as fp
from hegui.facts.extract import extract
from hegui.facts.model import AnalysisNote

from ..conftest import FIXTURES

POLICY = (
    "<html><body><h1>隐私政策</h1><p>我们会在您同意后收集您的位置信息，用于展示附近门店。</p>"
    "<p>您可以在设置中注销账号。</p></body></html>"
)


def make_apk(tmp_path: Path, entries: dict[str, bytes], *, stored: bool = False) -> Path:
    path = tmp_path / "t.apk"
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as z:
        z.writestr("AndroidManifest.xml", b"not parsed here")
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def find(path: Path) -> tuple[object, object, list[AnalysisNote]]:
    notes: list[AnalysisNote] = []
    with open_apk(path) as apk:
        analysis, source = fp.find_policy(apk, notes)
    return analysis, source, notes


def test_prefers_privacy_over_agreement_and_records_why(tmp_path):
    path = make_apk(
        tmp_path,
        {
            "assets/user_agreement.html": "<p>用户协议：请遵守法律。</p>".encode(),
            "assets/privacy.html": POLICY.encode(),
            "assets/readme.txt": b"nothing to see",
        },
    )
    analysis, source, notes = find(path)
    assert analysis is not None and source.kind == "asset" and source.path == "assets/privacy.html"
    assert "privacy" in source.reason and source.chars == analysis.text_chars
    assert set(source.candidates) == {"assets/privacy.html", "assets/user_agreement.html"}
    assert notes == []


def test_res_raw_and_content_match(tmp_path):
    path = make_apk(tmp_path, {"res/raw/index.html": POLICY.encode("gb18030")})
    analysis, source, _ = find(path)
    assert analysis is not None and source.kind == "raw" and "content" in source.reason


def test_nothing_found_is_recorded(tmp_path):
    path = make_apk(tmp_path, {"assets/readme.txt": b"hello", "assets/font.ttf": b"\x00\x01"})
    analysis, source, notes = find(path)
    assert analysis is None and source.kind == "none" and source.candidates == [] and notes == []


def test_binary_candidate_is_a_note_and_the_next_one_is_used(tmp_path):
    path = make_apk(
        tmp_path, {"assets/privacy.html": b"\x00\x01\x02" * 100, "assets/privacy_policy.txt": POLICY.encode()}
    )
    analysis, source, notes = find(path)
    assert source.path == "assets/privacy_policy.txt" and analysis is not None
    assert [n.code for n in notes] == ["policy-candidate-binary"]


def test_huge_candidate_is_not_read(tmp_path, monkeypatch):
    path = make_apk(tmp_path, {"assets/privacy.html": b" " * (fp.MAX_POLICY_BYTES + 1)})
    reads: list[str] = []
    real = Apk.read
    monkeypatch.setattr(
        Apk, "read", lambda self, name, max_size=None: reads.append(name) or real(self, name, max_size)
    )
    analysis, source, notes = find(path)
    assert analysis is None and source.kind == "none" and reads == []
    assert [n.code for n in notes] == ["policy-candidate-too-large"]


def test_damaged_candidate_is_a_note(tmp_path):
    path = make_apk(tmp_path, {"assets/privacy.html": POLICY.encode()}, stored=True)
    data = bytearray(path.read_bytes())
    i = data.find("隐私政策".encode())
    data[i : i + 3] = b"XXX"  # the CRC no longer matches
    path.write_bytes(bytes(data))
    analysis, source, notes = find(path)
    assert analysis is None and source.kind == "none"
    assert [n.code for n in notes] == ["policy-candidate-unreadable"] and "CRC" in notes[0].message


def test_content_peeks_are_bounded(tmp_path, monkeypatch):
    path = make_apk(tmp_path, {f"assets/page{i}.html": b"<p>hello</p>" for i in range(fp.MAX_PEEKS + 30)})
    heads: list[str] = []
    real = Apk.head
    monkeypatch.setattr(Apk, "head", lambda self, name, n: heads.append(name) or real(self, name, n))
    find(path)
    assert len(heads) == fp.MAX_PEEKS


def test_hostile_resource_table_is_a_note(tmp_path):
    # the word is there, so the table is parsed: garbage after it must become a note (or nothing)
    path = make_apk(tmp_path, {"resources.arsc": b"\x02\x00\x0c\x00" + "隐私政策".encode() + b"\xff" * 64})
    analysis, source, notes = find(path)
    assert analysis is None and source.kind == "none"
    assert [n.code for n in notes] in ([], ["policy-strings-unreadable"])


def test_resource_table_without_policy_words_is_not_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "ARSCParser", lambda data: pytest.fail("parsed"))
    analysis, source, notes = find(make_apk(tmp_path, {"resources.arsc": b"\x02\x00\x0c\x00" + b"\xff" * 64}))
    assert analysis is None and source.kind == "none" and notes == []


def test_the_resource_table_is_parsed_once_for_the_manifest_and_the_dialog(monkeypatch):
    # policy_dialog: the manifest's label is @string/app_name and the consent text is a string
    real, parsed = resources.ARSCParser, []
    monkeypatch.setattr(resources, "ARSCParser", lambda data: parsed.append(len(data)) or real(data))
    facts = extract(FIXTURES / "apk" / "policy_dialog.apk")
    assert facts.policy_source is not None and facts.policy_source.kind == "string_resource"
    assert facts.manifest.label and not facts.manifest.label.startswith("@")
    assert len(parsed) == 1


def test_analyser_crash_is_a_note(tmp_path, monkeypatch):
    import hegui.policy

    def boom(doc, **kw):
        raise RuntimeError("analyser bug")

    monkeypatch.setattr(hegui.policy, "analyse", boom)
    analysis, source, notes = find(make_apk(tmp_path, {"assets/privacy.html": POLICY.encode()}))
    assert analysis is None and source.kind == "none"
    assert [n.code for n in notes] == ["policy-analysis-failed"]


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"\xef\xbb\xbfabc", "abc"),
        ("隐私".encode("gb18030"), "隐私"),
        (b"a\x00b", None),
        ("x".encode("utf-16"), "x"),
    ],
)
def test_decode(data, expected):
    assert fp.decode(data) == expected


def test_consent_dialog_in_string_resources():
    f = extract(FIXTURES / "apk" / "policy_dialog.apk")
    assert f.policy_source is not None and f.policy_source.kind == "string_resource"
    assert f.policy_source.path == "string/privacy_dialog"
    assert f.policy is not None and f.policy.discloses("location.precise")


def test_no_policy_search_when_one_is_given():
    f = extract(FIXTURES / "apk" / "policy_gaps.apk", bundled_policy=False)
    assert f.policy is None and f.policy_source is None
