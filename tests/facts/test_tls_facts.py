"""TLS overrides and cleartext URL attribution (hegui.facts.tls): hand-assembled method bodies, the
fixture APKs' ground truth, and robustness on mutated DEX files."""

from __future__ import annotations

import functools
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.dex.index import DexIndex
from hegui.dex.reader import DexFile
from hegui.errors import DexError
from hegui.facts.extract import extract
from hegui.facts.tls import (
    SSL_ERROR_HANDLER,
    cleartext_url_refs,
    overrides,
    ssl_error_verdict,
    trust_verdict,
    try_ranges,
    verifier_verdict,
)

from ..conftest import FIXTURES, load_truth

TRUTH = load_truth()
WITH_TLS = sorted(k for k, v in TRUTH.items() if "tls" in v)
WITH_URLS = sorted(k for k, v in TRUTH.items() if "cleartext_urls" in v)


def units(*words: int) -> bytes:
    return struct.pack(f"<{len(words)}H", *words)


RETURN_VOID = units(0x000E)
THROW_V0 = units(0x0027)
RETURN_V0 = units(0x000F)


def invoke(op: int, method: int) -> bytes:
    """invoke-kind {v0}, meth@method (35c, one argument)."""
    return units(0x1000 | op, method, 0x0000)


# method index -> (class, name, proto)
METHODS = {
    1: ("Landroid/util/Log;", "d", "(Ljava/lang/String;Ljava/lang/String;)I"),
    2: (
        "Ljavax/net/ssl/X509TrustManager;",
        "checkServerTrusted",
        "([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V",
    ),
    3: (
        "Lkotlin/jvm/internal/Intrinsics;",
        "checkNotNullParameter",
        "(Ljava/lang/Object;Ljava/lang/String;)V",
    ),
    4: (SSL_ERROR_HANDLER, "proceed", "()V"),
    5: (SSL_ERROR_HANDLER, "cancel", "()V"),
    6: (
        "Landroid/webkit/WebViewClient;",
        "onReceivedSslError",
        "(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V",
    ),
    7: ("Ljava/lang/String;", "equals", "(Ljava/lang/Object;)Z"),
}


def resolve(idx: int) -> tuple[str, str, str]:
    return METHODS.get(idx, ("Lcom/example/Helper;", "check", "()V"))


def body(code: bytes, verdict_fn, *args):
    return verdict_fn(code, 0, len(code), *args)


# -- checkServerTrusted ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "code, tries, expected",
    [
        (RETURN_VOID, (), "accepts_all"),  # empty body
        (invoke(0x71, 1) + RETURN_VOID, (), "accepts_all"),  # logging only
        (invoke(0x71, 3) + RETURN_VOID, (), "accepts_all"),  # Kotlin parameter check
        (invoke(0x72, 2) + RETURN_VOID, (), "checks"),  # delegates to another TrustManager
        (invoke(0x71, 99) + RETURN_VOID, (), "checks"),  # calls something that may throw
        (units(0x0038, 0x0003) + THROW_V0 + RETURN_VOID, (), "checks"),  # if-eqz v0 over a throw
        (invoke(0x72, 2) + RETURN_VOID, ((0, 3),), "accepts_all"),  # delegation whose exception is dropped
        (invoke(0x72, 2) + THROW_V0 + RETURN_VOID, ((0, 3),), "checks"),  # ... and rethrown
        (units(0x10FC, 0x0000, 0x0000) + RETURN_VOID, (), "checks"),  # invoke-custom: not modelled
    ],
)
def test_trust_verdict(code, tries, expected):
    assert body(code, trust_verdict, resolve, tries)[0] == expected


def test_trust_verdict_pc_is_the_deciding_instruction():
    code = invoke(0x71, 1) + invoke(0x72, 2) + RETURN_VOID
    assert body(code, trust_verdict, resolve) == ("checks", 3)
    assert body(invoke(0x71, 1) + RETURN_VOID, trust_verdict, resolve) == ("accepts_all", 3)


# -- HostnameVerifier.verify -----------------------------------------------------------------
CONST4_V0_1 = units(0x1012)  # const/4 v0, #1
CONST4_V0_0 = units(0x0012)  # const/4 v0, #0
CONST4_V0_M1 = units(0xF012)  # const/4 v0, #-1


@pytest.mark.parametrize(
    "code, expected",
    [
        (CONST4_V0_1 + RETURN_V0, "accepts_all"),
        (CONST4_V0_M1 + RETURN_V0, "accepts_all"),  # any non-zero value is true
        (units(0x0013, 0x0001) + RETURN_V0, "accepts_all"),  # const/16 v0, #1
        (units(0x0014, 0x0001, 0x0000) + RETURN_V0, "accepts_all"),  # const v0, #1
        (units(0x0015, 0x3F80) + RETURN_V0, "accepts_all"),  # const/high16 v0, #0x3f800000
        (invoke(0x71, 1) + CONST4_V0_1 + RETURN_V0, "accepts_all"),  # logs, then true
        (CONST4_V0_0 + RETURN_V0, "checks"),  # constant false
        (invoke(0x6E, 7) + units(0x000A) + RETURN_V0, "checks"),  # return String.equals(...)
        # if-eqz p1 -> two returns, both constant true
        (units(0x0138, 0x0004) + CONST4_V0_1 + RETURN_V0 + CONST4_V0_1 + RETURN_V0, "accepts_all"),
        # one branch returns false
        (units(0x0138, 0x0004) + CONST4_V0_1 + RETURN_V0 + CONST4_V0_0 + RETURN_V0, "checks"),
        (units(0x0155, 0x0002) + RETURN_V0, "checks"),  # iget-boolean: not modelled
        (units(0x010F), "checks"),  # return v1, never written (a parameter)
        (CONST4_V0_1, "checks"),  # no return at all
        (CONST4_V0_1 + THROW_V0, "checks"),
    ],
)
def test_verifier_verdict(code, expected):
    assert body(code, verifier_verdict)[0] == expected


# -- WebViewClient.onReceivedSslError --------------------------------------------------------
@pytest.mark.parametrize(
    "code, expected",
    [
        (invoke(0x6E, 4) + RETURN_VOID, "proceeds"),
        (
            units(0x0038, 0x0005) + invoke(0x6E, 4) + RETURN_VOID + invoke(0x6E, 5) + RETURN_VOID,
            "conditional",
        ),
        (invoke(0x6E, 5) + RETURN_VOID, "checks"),
        (invoke(0x6F, 6) + RETURN_VOID, "checks"),  # only super: cancels
        (
            units(0x0038, 0x0005) + invoke(0x6E, 4) + RETURN_VOID + invoke(0x6F, 6) + RETURN_VOID,
            "conditional",
        ),
        (RETURN_VOID, "checks"),
    ],
)
def test_ssl_error_verdict(code, expected):
    assert body(code, ssl_error_verdict, resolve)[0] == expected


def test_try_ranges_read_after_padding():
    # code item: registers, ins, outs, tries_size=1, debug_info, insns_size=3 (odd: 2 bytes padding)
    insns = units(0x0000, 0x0000, 0x000E)
    item = struct.pack("<HHHHII", 1, 0, 0, 1, 0, 3) + insns + b"\0\0" + struct.pack("<IHH", 1, 2, 0)
    assert try_ranges(item, 0) == [(1, 3)]
    no_tries = struct.pack("<HHHHII", 1, 0, 0, 0, 0, 1) + units(0x000E)
    assert try_ranges(no_tries, 0) == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120).map(lambda b: b[: len(b) & ~1]))
def test_verdicts_never_raise_on_any_body(code):
    for fn, args in ((trust_verdict, (resolve,)), (verifier_verdict, ()), (ssl_error_verdict, (resolve,))):
        verdict, pc = fn(code, 0, len(code), *args)
        assert verdict in {"accepts_all", "checks", "proceeds", "conditional"}
        assert 0 <= pc <= len(code) // 2


def test_verdicts_reject_bounds_outside_the_data():
    with pytest.raises(DexError):
        trust_verdict(RETURN_VOID, 0, 10, resolve)


# -- the fixtures ----------------------------------------------------------------------------
@functools.cache
def facts_of(name: str):
    return extract(FIXTURES / TRUTH[name]["file"])


@pytest.mark.parametrize("name", WITH_TLS)
def test_tls_overrides_exact(name):
    expected = {(t["kind"], t["method"], t["interface"], t["verdict"]) for t in TRUTH[name]["tls"]}
    found = {(o.kind, o.method, o.interface, o.verdict) for o in facts_of(name).tls}
    assert found == expected
    for o in facts_of(name).tls:
        assert o.owner == "app" and o.dex == "classes.dex"
        assert o.method.startswith(o.declaring_class + "->")


@pytest.mark.parametrize("name", WITH_URLS)
def test_cleartext_urls_exact(name):
    expected = {(u["url"], u["caller"]) for u in TRUTH[name]["cleartext_urls"]}
    assert {(u.url, u.caller) for u in facts_of(name).cleartext_urls} == expected


def test_no_tls_facts_without_overrides():
    for name in ("clean", "pi_device_id", "sdk_obfuscated"):
        assert facts_of(name).tls == [] and facts_of(name).cleartext_urls == []


def test_facts_round_trip_through_json():
    from hegui.facts.model import Facts

    f = facts_of("tls_trust_all")
    assert Facts.model_validate_json(f.model_dump_json()) == f


def test_url_owner_follows_the_attributor():
    dex = _dex("tls_trust_all")
    refs, notes = cleartext_url_refs(
        DexIndex([dex]), ["http://api.tlsall-example.cn/v1/report?id="], lambda c: "x"
    )
    assert notes == [] and [(r.url, r.owner) for r in refs] == [
        ("http://api.tlsall-example.cn/v1/report?id=", "x")
    ]
    assert cleartext_url_refs(DexIndex([dex]), ["https://a.example.cn/"], lambda c: "x") == ([], [])


# -- robustness ------------------------------------------------------------------------------
def _dex(name: str) -> DexFile:
    with zipfile.ZipFile(FIXTURES / "apk" / f"{name}.apk") as z:
        return DexFile(z.read("classes.dex"), "classes.dex")


SEED = _dex("tls_trust_all").data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0x70, len(SEED) - 1), st.integers(0, 255)), min_size=1, max_size=12))
def test_overrides_never_raise_on_mutated_dex(edits):
    data = bytearray(SEED)
    for pos, value in edits:
        data[pos] = value
    try:
        dex = DexFile(bytes(data), "classes.dex")
    except DexError:
        return
    index = DexIndex([dex])
    found, notes = overrides(index, lambda c: "app")
    assert all(o.verdict in {"accepts_all", "checks", "proceeds", "conditional"} for o in found)
    assert all(n.code.startswith("tls-") for n in notes)
    cleartext_url_refs(index, ["http://api.tlsall-example.cn/v1/report?id="], lambda c: "app")
