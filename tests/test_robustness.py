"""Hostile and broken input: every outcome is a Report or an ApkError, never anything else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.api import scan
from hegui.errors import ApkError
from hegui.report.model import Report

from .conftest import FIXTURES

SEED = (FIXTURES / "apk" / "pi_device_id.apk").read_bytes()


def _scan_bytes(tmp: Path, data: bytes) -> Report | ApkError:
    p = tmp / "mutant.apk"
    p.write_bytes(data)
    try:
        return scan(p)
    except ApkError as exc:
        assert "\n" not in str(exc)
        return exc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(SEED) - 1), st.integers(0, 255)), min_size=1, max_size=12
    )
)
def test_mutated_bytes_never_crash(tmp_path, edits):
    data = bytearray(SEED)
    for pos, value in edits:
        data[pos] = value
    assert isinstance(_scan_bytes(tmp_path, bytes(data)), Report | ApkError)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(SEED)))
def test_truncated_never_crash(tmp_path, cut):
    assert isinstance(_scan_bytes(tmp_path, SEED[:cut]), Report | ApkError)


def _dex_mutant(tmp: Path, edits: list[tuple[int, int]]) -> Path:
    """A valid zip around a mutated classes.dex, so mutations reach the DEX indexer."""
    import zipfile

    with zipfile.ZipFile(FIXTURES / "apk" / "pi_device_id.apk") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    dex = bytearray(parts["classes.dex"])
    for pos, value in edits:
        dex[pos % len(dex)] = value
    parts["classes.dex"] = bytes(dex)
    out = tmp / "dexmutant.apk"
    with zipfile.ZipFile(out, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_dex_never_crashes(tmp_path, edits):
    report = scan(_dex_mutant(tmp_path, edits))
    assert isinstance(report, Report)  # a broken DEX is a note, not an error for the whole APK
