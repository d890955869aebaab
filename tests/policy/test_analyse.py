from __future__ import annotations

import time

import pytest

from hegui.errors import HeguiError
from hegui.policy import analyse, load
from hegui.policy.analysers import available
from hegui.policy.lexicon import pi_matcher, policy_pi_ids
from hegui.policy.model import ELEMENTS, PolicyAnalysis
from hegui.policy.third_parties import match_sdk
from tests.policy.conftest import SAMPLE_HTML, SAMPLE_MD, SAMPLE_TEXT


def _types(a: PolicyAnalysis) -> set[str]:
    return {c.pi_type for c in a.collected}


def test_collected_with_evidence_and_negation() -> None:
    a = analyse(load("p.txt", text=SAMPLE_TEXT))
    types = _types(a)
    assert {
        "phone_number",
        "device.info",
        "device_id.imei",
        "device_id.oaid",
        "device_id.android_id",
    } <= types
    assert {"location.precise", "camera"} <= types
    assert "contacts" not in types and "clipboard" not in types
    assert {"contacts", "clipboard"} <= {n.pi_type for n in a.not_collected}
    imei = next(c for c in a.collected if c.pi_type == "device_id.imei")
    assert "IMEI" in imei.evidence.text
    assert a.discloses("device_id.imei")


def test_evidence_offsets_point_into_cleaned_text() -> None:
    doc = load("p.txt", text=SAMPLE_TEXT)
    a = analyse(doc)
    assert a.text_chars == len(doc.text)
    for c in a.collected:
        assert doc.text[c.evidence.start : c.evidence.end] == c.evidence.text
        assert c.term.lower() in c.evidence.text.lower()


def test_misspellings_and_synonyms() -> None:
    text = "我们会读取您的剪切版内容，并获取已安装应用列表和设备标志符。"
    types = _types(analyse(load("m.txt", text=text)))
    assert {"clipboard", "installed_apps", "device_id"} <= types


def test_channel_and_definition_mentions_are_not_collection() -> None:
    text = (
        "个人信息是指以电子方式记录的各种信息，包括姓名、身份证件号码。\n"
        "我们会通过短信或电子邮件等方式通知您政策的更新。\n"
        "我们不会收集用户的任何个人信息，包括但不限于电话号码或位置数据。"
    )
    a = analyse(load("d.txt", text=text))
    assert not _types(a) & {
        "identity.name",
        "identity.id_number",
        "contact.email",
        "phone_number",
        "location",
    }


def test_sdk_table_rows_and_prose() -> None:
    a = analyse(load("p.md", text=SAMPLE_MD))
    names = {t.name: t.sdk_id for t in a.third_parties}
    assert names.get("极光推送SDK") == "jiguang_jpush"
    assert "示例地图SDK" in names and names["示例地图SDK"] is None
    jp = next(t for t in a.third_parties if t.name == "极光推送SDK")
    assert "device_id" in jp.pi_types and jp.purpose == "推送消息"
    assert jp.vendor == "深圳市和讯华谷信息技术有限公司"
    assert any(c.by == "极光推送SDK" for c in a.collected)
    assert "sms" not in _types(a)
    prose = analyse(load("p.txt", text=SAMPLE_TEXT))
    assert [t.sdk_id for t in prose.third_parties] == ["umeng_common"]


def test_sdk_matching_by_alias() -> None:
    assert match_sdk("个推SDK") == "getui_push"
    assert match_sdk("小米PUSH") == "xiaomi_push"
    assert match_sdk("完全不存在的某某SDK") is None


def test_elements_every_id_and_presence() -> None:
    a = analyse(load("p.txt", text=SAMPLE_TEXT))
    assert set(a.elements) == set(ELEMENTS)
    for el in (
        "operator_identity",
        "operator_contact",
        "right_access",
        "right_correct",
        "right_delete",
        "account_cancellation",
        "consent_withdrawal",
        "response_time",
        "effective_date",
        "purposes",
    ):
        assert a.elements[el].present, el
        assert a.elements[el].evidence is not None
    for el in ("cross_border", "minors", "pi_officer"):
        assert not a.elements[el].present, el
    short = analyse(load("s.txt", text="本应用不联网。"))
    assert not any(r.present for r in short.elements.values())


def test_permissions_with_purpose() -> None:
    a = analyse(load("p.txt", text=SAMPLE_TEXT))
    groups = {p.group for p in a.permissions}
    assert {"LOCATION", "CAMERA"} <= groups
    assert "CONTACTS" not in groups


def test_html_policy() -> None:
    a = analyse(load("p.html", text=SAMPLE_HTML))
    assert {"network.ip", "device.info", "installed_apps", "device_id"} <= _types(a)
    assert [t.sdk_id for t in a.third_parties] == ["getui_push"]
    assert a.elements["operator_contact"].present


def test_deterministic_and_json_round_trip() -> None:
    a = analyse(load("p.txt", text=SAMPLE_TEXT))
    b = analyse(load("p.txt", text=SAMPLE_TEXT))
    assert a == b
    assert PolicyAnalysis.model_validate(a.model_dump(mode="json")) == a


def test_fast_on_a_long_policy() -> None:
    doc = load("long.txt", text=SAMPLE_TEXT * 40)  # ~20k chars
    analyse(doc)
    started = time.perf_counter()
    analyse(doc)
    assert time.perf_counter() - started < 1.0


def test_lexicon_ids_are_known() -> None:
    known = policy_pi_ids()
    assert set(pi_matcher().ids.values()) - {None} <= known


def test_analyser_registry() -> None:
    assert "lexicon" in available()
    with pytest.raises(HeguiError, match="unknown policy analyser"):
        analyse(load("p.txt", text=SAMPLE_TEXT), analyser="nope")


def test_hostile_repetitive_input_is_linear_and_bounded() -> None:
    hostile = [
        ("友盟" * 10 + "SDK、") * 5000,
        "（如" + "小米、" * 20000 + "）推送SDK",
        "我们收集IMEI，" * 20000,
        ("微软的《隐私政策》") * 10000,
    ]
    for text in hostile:
        started = time.perf_counter()
        a = analyse(load("h.txt", text=text))
        assert time.perf_counter() - started < 20
        assert len(a.third_parties) <= 400


def test_plugin_analyser_through_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    import hegui.policy.analysers as reg

    def fake(doc):  # type: ignore[no-untyped-def]
        return reg.lexicon_analyser(doc).model_copy(update={"analyser": "fake"})

    class EP:
        def __init__(self, name: str, obj: object) -> None:
            self.name, self.obj = name, obj

        def load(self) -> object:
            if isinstance(self.obj, Exception):
                raise self.obj
            return self.obj

    monkeypatch.setattr(reg, "entry_points", lambda group: [EP("fake", fake), EP("broken", ImportError("x"))])
    reg.available.cache_clear()
    try:
        assert set(reg.available()) == {"lexicon", "fake"}  # a broken plug-in is skipped
        assert analyse(load("p.txt", text=SAMPLE_TEXT), analyser="fake").analyser == "fake"
    finally:
        reg.available.cache_clear()
