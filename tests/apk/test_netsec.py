from __future__ import annotations

import time

import pytest

from hegui.apk.netsec import parse_network_security_config
from tests.apk.zips import data_entries

PLAIN = b"""<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <base-config cleartextTrafficPermitted="false">
        <trust-anchors><certificates src="system"/><certificates src="user"/></trust-anchors>
    </base-config>
    <domain-config cleartextTrafficPermitted="true">
        <domain includeSubdomains="true">api.example.cn</domain>
        <domain includeSubdomains="false">10.0.0.1</domain>
        <domain-config cleartextTrafficPermitted="false"><domain>pay.example.cn</domain></domain-config>
    </domain-config>
    <domain-config><domain>pinned.example.cn</domain><pin-set><pin digest="SHA-256">AAAA</pin></pin-set></domain-config>
</network-security-config>
"""


def test_plain_xml():
    nsc = parse_network_security_config(PLAIN, "res/xml/nsc.xml")
    assert nsc.file == "res/xml/nsc.xml" and nsc.parse_error is None
    assert nsc.base_cleartext_permitted is False
    assert nsc.cleartext_domains == ["*.api.example.cn", "10.0.0.1"]
    assert nsc.trusts_user_certificates is True and nsc.debug_overrides is False


def test_binary_axml():
    data = dict(data_entries("edge.zip"))["res/xml/netsec.xml"]
    nsc = parse_network_security_config(data, "res/xml/netsec.xml")
    assert nsc.parse_error is None
    assert nsc.base_cleartext_permitted is True
    assert nsc.cleartext_domains == ["*.example.com", "inherit.example.net"]  # nested config inherits
    assert nsc.trusts_user_certificates is True and nsc.debug_overrides is True


def test_empty_config_has_no_opinions():
    nsc = parse_network_security_config(b"<network-security-config/>")
    assert nsc.base_cleartext_permitted is None and nsc.cleartext_domains == [] and nsc.parse_error is None


@pytest.mark.parametrize(
    "data",
    [b"", b"not xml", b"<other/>", b"\x03\x00\x08\x00" + bytes(40), bytes(range(256)), b"<a><b></a>"],
    ids=["empty", "text", "wrong-root", "axml-garbage", "binary", "malformed"],
)
def test_bad_input_is_a_parse_error(data):
    nsc = parse_network_security_config(data, "res/xml/x.xml")
    assert nsc.parse_error and nsc.file == "res/xml/x.xml"


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE network-security-config [<!ENTITY e SYSTEM "file://{secret}">]>
<network-security-config><domain-config cleartextTrafficPermitted="true">
<domain>&e;</domain><domain>ok.example</domain></domain-config></network-security-config>""".encode()
    nsc = parse_network_security_config(data)
    assert "TOPSECRET" not in repr(nsc)


def test_entity_expansion_bomb_is_harmless():
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = f"""<?xml version="1.0"?><!DOCTYPE n [<!ENTITY l0 "lol">{lol}]>
<network-security-config><domain-config cleartextTrafficPermitted="true"><domain>&l9;</domain>
</domain-config></network-security-config>""".encode()
    started = time.perf_counter()
    nsc = parse_network_security_config(data)
    assert time.perf_counter() - started < 1
    assert all(len(d) < 1000 for d in nsc.cleartext_domains)
