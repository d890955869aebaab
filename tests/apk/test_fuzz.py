"""Hostile inputs: mutated zips, manifests, network configs and signing blocks must give results or
ApkError (never another exception), quickly."""

from __future__ import annotations

import contextlib
import shutil
import struct
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.apk.archive import Limits, open_apk
from hegui.apk.manifest import parse_manifest
from hegui.apk.netsec import parse_network_security_config
from hegui.apk.signing import read_signing
from hegui.errors import ApkError
from tests.apk.zips import FIXTURE_APKS, data_entries, make_zip

SMALL_LIMITS = Limits(max_entry_size=4 << 20, max_total_inflated=64 << 20, max_manifest_size=1 << 20)
FUZZ = settings(
    max_examples=200, deadline=2000, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
EDGE = data_entries("edge.zip")
SMALL_ZIP = make_zip([*EDGE, ("classes.dex", b"dex\n035\x00" + bytes(200)), ("assets/a.jar", b"PK\x03\x04")])
WORKDIR = Path(tempfile.mkdtemp(prefix="hegui-fuzz-"))


def teardown_module() -> None:
    shutil.rmtree(WORKDIR, ignore_errors=True)


def mutations(size: int, tail: int = 512):
    """(position, xor mask) pairs, half of them aimed at the end (central directory, end record)."""
    anywhere = st.integers(0, size - 1)
    near_end = st.integers(max(0, size - tail), size - 1)
    return st.lists(st.tuples(st.one_of(anywhere, near_end), st.integers(1, 255)), min_size=1, max_size=8)


def mutate(data: bytes, changes: list[tuple[int, int]], cut: int | None = None) -> bytes:
    out = bytearray(data)
    for pos, mask in changes:
        out[pos] ^= mask
    return bytes(out[:cut] if cut else out)


def analyse(data: bytes) -> None:
    """Everything the apk package does to an input; ApkError is the only allowed failure."""
    path = WORKDIR / "fuzz.apk"
    path.write_bytes(data)
    started = time.perf_counter()
    try:
        with open_apk(path, SMALL_LIMITS) as apk:
            _ = apk.hidden_dex, apk.dex_names, apk.native_libs, apk.assets, apk.unsafe_names
            read_signing(apk)
            for name in apk.names:
                with contextlib.suppress(ApkError):
                    apk.read(name)
            parse_manifest(apk)
    except ApkError as exc:
        assert exc.kind in {"corrupt", "zip_bomb", "not_apk", "too_large", "unsupported", "io"}
        assert exc.message and "\n" not in exc.message
    assert time.perf_counter() - started < 2


@FUZZ
@given(changes=mutations(len(SMALL_ZIP)), cut=st.none() | st.integers(1, len(SMALL_ZIP)))
def test_mutated_small_zip(changes, cut):
    analyse(mutate(SMALL_ZIP, changes, cut))


def _clean() -> bytes:
    path = FIXTURE_APKS / "clean.apk"
    return path.read_bytes() if path.exists() else b""


CLEAN = _clean()


@pytest.mark.skipif(not CLEAN, reason="fixture clean.apk not built")
@FUZZ
@given(changes=mutations(max(len(CLEAN), 1), tail=4096), cut=st.none() | st.integers(1, max(len(CLEAN), 1)))
def test_mutated_fixture_apk(changes, cut):
    analyse(mutate(CLEAN, changes, cut))


def _signing_block() -> tuple[int, int]:
    if not CLEAN:
        return 0, 1
    eocd = CLEAN.rfind(b"PK\x05\x06")
    cd = struct.unpack_from("<I", CLEAN, eocd + 16)[0]
    return cd - struct.unpack_from("<Q", CLEAN, cd - 24)[0] - 8, cd


BLOCK = _signing_block()


@pytest.mark.skipif(not CLEAN, reason="fixture clean.apk not built")
@FUZZ
@given(
    changes=st.lists(
        st.tuples(st.integers(BLOCK[0], BLOCK[1] - 1), st.integers(1, 255)), min_size=1, max_size=6
    )
)
def test_mutated_signing_block(changes):
    path = WORKDIR / "sig.apk"
    path.write_bytes(mutate(CLEAN, changes))
    with open_apk(path) as apk:
        schemes, certs, problem = read_signing(apk)
    assert all(s in {"v1", "v2", "v3", "v3.1"} for s in schemes)


MANIFEST = dict(EDGE)["AndroidManifest.xml"]
NETSEC = dict(EDGE)["res/xml/netsec.xml"]


@FUZZ
@given(changes=mutations(len(MANIFEST), tail=len(MANIFEST)), cut=st.none() | st.integers(8, len(MANIFEST)))
def test_mutated_binary_manifest(changes, cut):
    """The manifest bytes themselves are hostile (the zip around them is valid)."""
    entries = [(n, mutate(MANIFEST, changes, cut) if n == "AndroidManifest.xml" else d) for n, d in EDGE]
    analyse(make_zip(entries))


@FUZZ
@given(changes=mutations(len(NETSEC), tail=len(NETSEC)), cut=st.none() | st.integers(1, len(NETSEC)))
def test_mutated_network_security_config(changes, cut):
    nsc = parse_network_security_config(mutate(NETSEC, changes, cut), "res/xml/netsec.xml")
    assert nsc.file == "res/xml/netsec.xml"


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes(data):
    analyse(data)
