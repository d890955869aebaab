from __future__ import annotations

import hashlib
import struct
import time
import zipfile
import zlib

import pytest

from hegui.apk.archive import Limits, is_unsafe_name, open_apk
from hegui.errors import ApkError
from tests.apk.zips import (
    FIXTURE_APKS,
    apk_zip,
    central_records,
    local_data_offset,
    make_zip,
    patch_central,
    write,
)

DEX = b"dex\n035\x00" + bytes(0x70)
MiB = 1 << 20


def kind_of(path, limits: Limits | None = None) -> str:
    with pytest.raises(ApkError) as info:
        open_apk(path, limits)
    assert info.value.message and "\n" not in info.value.message
    return info.value.kind


def test_opens_and_reads_a_small_apk(tmp_path):
    data = apk_zip(("classes.dex", DEX), ("res/raw/a.txt", b"hello"), method=zipfile.ZIP_DEFLATED)
    path = write(tmp_path, data)
    with open_apk(path) as apk:
        assert apk.names == ("AndroidManifest.xml", "classes.dex", "res/raw/a.txt")
        assert apk.size == len(data)
        assert apk.sha256 == hashlib.sha256(data).hexdigest()
        assert apk.read("classes.dex") == DEX
        assert apk.read("res/raw/a.txt") == b"hello"
        assert apk.duplicate_names == () and apk.unsafe_names == () and apk.hidden_dex == ()
        with pytest.raises(KeyError):
            apk.read("missing")
    with pytest.raises(ValueError):
        apk.read("classes.dex")  # closed


def test_stored_entries_and_zip64_and_prepended_data(tmp_path):
    stored = apk_zip(("classes.dex", DEX), method=zipfile.ZIP_STORED)
    with open_apk(write(tmp_path, stored)) as apk:
        assert apk.read("classes.dex") == DEX
    zip64 = make_zip([("AndroidManifest.xml", b"m"), ("classes.dex", DEX)], allowZip64=True)
    with open_apk(write(tmp_path, b"#!/bin/sh\nexit 0\n" + zip64, "prepended.apk")) as apk:
        assert apk.read("classes.dex") == DEX


def test_forced_zip64_records(tmp_path):
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("AndroidManifest.xml", b"m")
        with z.open("classes.dex", "w", force_zip64=True) as f:
            f.write(DEX)
    with open_apk(write(tmp_path, buf.getvalue())) as apk:
        assert apk.read("classes.dex") == DEX


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "not_apk"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "not_apk"),
        (make_zip([("classes.dex", DEX)]), "not_apk"),
    ],
    ids=["empty", "png", "zip-without-manifest"],
)
def test_not_an_apk(tmp_path, data, kind):
    assert kind_of(write(tmp_path, data)) == kind


def test_zip_without_manifest_says_so(tmp_path):
    with pytest.raises(ApkError, match="no AndroidManifest.xml"):
        open_apk(write(tmp_path, make_zip([("classes.dex", DEX)])))


def test_missing_file_and_directory_are_io_errors(tmp_path):
    assert kind_of(tmp_path / "nope.apk") == "io"
    assert kind_of(tmp_path) == "io"


def test_truncated_zip_is_corrupt(tmp_path):
    data = apk_zip(("classes.dex", bytes(range(256)) * 40))
    assert kind_of(write(tmp_path, data[: len(data) * 60 // 100])) == "corrupt"
    # central directory cut in the middle, end record intact
    eocd = data.rfind(b"PK\x05\x06")
    cd_size = struct.unpack_from("<I", data, eocd + 12)[0]
    damaged = data[: eocd - cd_size + 10] + data[eocd:]
    assert kind_of(write(tmp_path, damaged, "cd.apk")) == "corrupt"


def test_crc_error_is_corrupt(tmp_path):
    data = bytearray(apk_zip(("classes.dex", DEX), method=zipfile.ZIP_STORED))
    data[local_data_offset(bytes(data), "classes.dex") + 20] ^= 0xFF
    with open_apk(write(tmp_path, bytes(data))) as apk, pytest.raises(ApkError) as info:
        apk.read("classes.dex")
    assert info.value.kind == "corrupt" and "CRC" in info.value.message


def test_unsafe_names_are_listed_not_used(tmp_path):
    names = [
        "../../evil.txt",
        "/abs/evil.txt",
        "a\\..\\b.txt",
        "x/../y",
        "C:/win.txt",
        "nul\x00.txt",
        "ok/..a",
    ]
    # zipfile cuts names at NUL: write a placeholder byte and patch it in the local and central headers
    data = apk_zip(*[(n.replace("\x00", "\x01"), b"x") for n in names]).replace(b"nul\x01", b"nul\x00")
    before = set(tmp_path.rglob("*"))
    with open_apk(write(tmp_path, data)) as apk:
        assert set(apk.unsafe_names) == set(names) - {"ok/..a"}
        for name in apk.unsafe_names:
            assert apk.read(name) == b"x"
    assert set(tmp_path.rglob("*")) - before == {tmp_path / "test.apk"}
    assert not is_unsafe_name("assets/a..b/c.txt")


def test_duplicate_names_keep_the_first(tmp_path):
    data = apk_zip(("classes.dex", DEX), ("classes.dex", b"dex\n035\x00second"), ("x", b"1"), ("x", b"2"))
    with open_apk(write(tmp_path, data)) as apk:
        assert apk.duplicate_names == ("classes.dex", "x")
        assert apk.names.count("classes.dex") == 1
        assert apk.read("classes.dex") == DEX and apk.read("x") == b"1"


def test_ratio_bomb_is_rejected_before_inflating(tmp_path):
    data = apk_zip(("classes.dex", bytes(20 * MiB)))
    assert len(data) < 100_000
    with open_apk(write(tmp_path, data)) as apk:
        started = time.perf_counter()
        with pytest.raises(ApkError) as info:
            apk.read("classes.dex")
        assert time.perf_counter() - started < 0.05  # nothing was inflated
    assert info.value.kind == "zip_bomb" and "zip bomb" in info.value.message


def test_forged_sizes_are_caught_while_inflating(tmp_path):
    data = apk_zip(("classes.dex", bytes(20 * MiB)))
    forged = patch_central(data, "classes.dex", size=1000)
    with open_apk(write(tmp_path, forged)) as apk, pytest.raises(ApkError) as info:
        apk.read("classes.dex")
    assert info.value.kind == "zip_bomb" and "more than the 1000 bytes it declares" in info.value.message


def test_slightly_more_than_declared_is_damage_not_a_bomb(tmp_path):
    data = apk_zip(("classes.dex", bytes(range(256)) * 8))
    forged = patch_central(data, "classes.dex", size=2000)
    with open_apk(write(tmp_path, forged)) as apk, pytest.raises(ApkError) as info:
        apk.read("classes.dex")
    assert info.value.kind == "corrupt" and "2048 bytes, 2000 declared" in info.value.message


def test_forged_compressed_size_is_caught_by_the_ratio_while_inflating(tmp_path):
    # declared 20 MiB out of "3 MiB" (ratio ~7): passes the declared check; the real ratio is ~1000:1
    bomb = zlib.compress(bytes(20 * MiB), 9)[2:-4]
    filler = bytes(3 * MiB)
    data = make_zip(
        [("AndroidManifest.xml", b"m"), ("classes.dex", bytes(20 * MiB)), ("pad", filler)], zipfile.ZIP_STORED
    )
    assert len(bomb) < 100_000
    start = local_data_offset(data, "classes.dex")
    forged = bytearray(data)
    forged[start : start + len(bomb)] = bomb
    forged = patch_central(bytes(forged), "classes.dex", compressed=3 * MiB)
    pos = central_records(forged)["classes.dex"]
    struct.pack_into("<H", forged := bytearray(forged), pos + 10, 8)  # method: deflate
    with open_apk(write(tmp_path, bytes(forged))) as apk, pytest.raises(ApkError) as info:
        apk.read("classes.dex")
    assert info.value.kind == "zip_bomb"


def test_entry_size_limits(tmp_path):
    data = apk_zip(("assets/big.bin", bytes(range(256)) * 64))
    with open_apk(write(tmp_path, data)) as apk:
        with pytest.raises(ApkError) as info:
            apk.read("assets/big.bin", max_size=1000)
        assert info.value.kind == "zip_bomb"
        assert len(apk.read("assets/big.bin", max_size=1 << 20)) == 256 * 64
    with open_apk(write(tmp_path, data), Limits(max_entry_size=100)) as apk, pytest.raises(ApkError):
        apk.read("assets/big.bin")


def test_declared_total_limit(tmp_path):
    data = apk_zip(("a", bytes(3000)), ("b", bytes(3000)))
    assert kind_of(write(tmp_path, data), Limits(max_total_inflated=5000)) == "zip_bomb"
    forged = patch_central(data, "a", size=0xFFFFFFF0)
    assert kind_of(write(tmp_path, forged, "forged.apk"), Limits(max_total_inflated=1 << 30)) == "zip_bomb"


def test_entry_count_and_file_size_limits(tmp_path):
    data = apk_zip(*[(f"assets/{i}", b"") for i in range(50)])
    assert kind_of(write(tmp_path, data), Limits(max_entries=10)) == "too_large"
    # the end record under-reports the count: the central directory walk still stops at the limit
    eocd = data.rfind(b"PK\x05\x06")
    lying = bytearray(data)
    struct.pack_into("<HH", lying, eocd + 8, 3, 3)
    assert kind_of(write(tmp_path, bytes(lying), "lying.apk"), Limits(max_entries=10)) == "too_large"
    assert kind_of(write(tmp_path, data, "big.apk"), Limits(max_file_size=100)) == "too_large"


def test_dex_order_native_libs_assets_and_hidden_dex(tmp_path):
    data = apk_zip(
        ("classes3.dex", DEX),
        ("classes.dex", DEX),
        ("classes2.dex", DEX),
        ("classes5.dex", DEX),
        ("classes10.dex", b"not a dex at all, just long enough" * 4),
        ("lib/arm64-v8a/libfoo.so", b"\x7fELF"),
        ("lib/x86/sub/libbar.so", b"\x7fELF"),
        ("lib/readme.so", b""),
        ("assets/payload.dex", b"encrypted"),
        ("assets/fonts/", b""),
        ("assets/logo.png", DEX),
        ("res/raw/plugin.jar", b"PK"),
        ("res/raw/plugin.txt", b"plain"),
        ("assets/x.dex.bak", b"PK"),
    )
    with open_apk(write(tmp_path, data)) as apk:
        assert apk.dex_names == ("classes.dex", "classes2.dex", "classes3.dex")
        assert apk.native_libs == ("lib/arm64-v8a/libfoo.so",)
        assert apk.assets == ("assets/payload.dex", "assets/logo.png", "assets/x.dex.bak")
        assert apk.hidden_dex_reasons == {
            "classes5.dex": "dex-magic",
            "classes10.dex": "code-file-name",
            "assets/payload.dex": "code-file-name",
            "assets/logo.png": "dex-magic",
            "res/raw/plugin.jar": "code-file-name",
        }
        assert apk.hidden_dex == tuple(apk.hidden_dex_reasons)


def test_no_classes_dex_means_no_loaded_dex(tmp_path):
    with open_apk(write(tmp_path, apk_zip(("classes2.dex", DEX)))) as apk:
        assert apk.dex_names == ()
        assert apk.hidden_dex == ("classes2.dex",)


def test_encryption_flag_is_ignored_like_android(tmp_path):
    data = bytearray(apk_zip(("classes.dex", DEX)))
    pos = central_records(bytes(data))["classes.dex"]
    data[pos + 8] |= 1
    with open_apk(write(tmp_path, bytes(data))) as apk:
        assert apk.read("classes.dex") == DEX


# ---- the broken fixture APKs (tests/fixtures/build.sh), when present ----


def fixture(name: str):
    path = FIXTURE_APKS / f"{name}.apk"
    if not path.exists():
        pytest.skip(f"fixture {name}.apk not built")
    return path


@pytest.mark.parametrize(
    ("name", "kind"),
    [("bad_truncated", "corrupt"), ("bad_not_apk", "not_apk"), ("bad_no_manifest", "not_apk")],
)
def test_bad_fixtures(name, kind):
    assert kind_of(fixture(name)) == kind


def test_bad_zipbomb_fixture_is_rejected_quickly():
    started = time.perf_counter()
    with open_apk(fixture("bad_zipbomb")) as apk, pytest.raises(ApkError) as info:
        apk.read("classes.dex")
    assert info.value.kind == "zip_bomb"
    assert time.perf_counter() - started < 1


def test_bad_traversal_fixture():
    with open_apk(fixture("bad_traversal")) as apk:
        assert set(apk.unsafe_names) == {"../../evil.txt", "/abs/evil.txt"}
