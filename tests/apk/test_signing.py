from __future__ import annotations

import datetime as dt
import hashlib
import struct
import zipfile

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hegui.apk.archive import open_apk
from hegui.apk.signing import SIG_BLOCK_MAGIC, _certificate, _merge, read_signing
from tests.apk.zips import FIXTURE_APKS, apk_zip, make_zip, write


def fixture_bytes(name: str = "clean") -> bytes:
    path = FIXTURE_APKS / f"{name}.apk"
    if not path.exists():
        pytest.skip(f"fixture {name}.apk not built")
    return path.read_bytes()


def signing_of(path):
    with open_apk(path) as apk:
        return read_signing(apk)


def rebuilt(data: bytes, tmp_path, change=lambda name, body: body) -> bytes:
    """The same entries in a fresh zip: the APK Signing Block is gone, v1 files stay."""
    src = write(tmp_path, data, "src.apk")
    with zipfile.ZipFile(src) as z:
        entries = [(i.filename, change(i.filename, z.read(i))) for i in z.infolist()]
    return make_zip(entries)


def signing_block_range(data: bytes) -> tuple[int, int]:
    eocd = data.rfind(b"PK\x05\x06")
    cd = struct.unpack_from("<I", data, eocd + 16)[0]
    assert data[cd - 16 : cd] == SIG_BLOCK_MAGIC
    size = struct.unpack_from("<Q", data, cd - 24)[0]
    return cd - size - 8, cd


def test_clean_fixture_v1_v2_v3_one_certificate(tmp_path):
    schemes, certs, problem = signing_of(write(tmp_path, fixture_bytes()))
    assert schemes == ["v1", "v2", "v3"] and problem is None
    assert len(certs) == 1
    cert = certs[0]
    assert cert.schemes == ["v1", "v2", "v3"]
    assert cert.subject == cert.issuer == "CN=hegui fixture test key,O=hegui tests,C=CN"
    assert cert.debug is False and cert.signature_algorithm == "sha256_rsa"
    assert len(cert.sha256) == 64 and int(cert.serial, 16) > 0
    assert dt.datetime.fromisoformat(cert.not_before) < dt.datetime.fromisoformat(cert.not_after)


def test_all_fixtures_share_the_test_key():
    # debug_user_ca is signed with keystore/debug.jks on purpose (CN=Android Debug, HG-SEC-002)
    paths = sorted(
        p for p in FIXTURE_APKS.glob("*.apk") if not p.name.startswith("bad_") and p.stem != "debug_user_ca"
    )
    if not paths:
        pytest.skip("no fixture APKs built")
    digests = set()
    for path in paths:
        schemes, certs, problem = signing_of(path)
        assert schemes == ["v1", "v2", "v3"] and problem is None, path.name
        digests |= {c.sha256 for c in certs}
    assert len(digests) == 1


def test_unsigned_zip(tmp_path):
    assert signing_of(write(tmp_path, apk_zip(("classes.dex", b"dex\n035\x00")))) == ([], [], None)


def test_v1_only(tmp_path):
    schemes, certs, problem = signing_of(write(tmp_path, rebuilt(fixture_bytes(), tmp_path)))
    assert schemes == ["v1"] and problem is None
    assert [c.schemes for c in certs] == [["v1"]]


def test_v1_that_does_not_verify_still_names_the_signer(tmp_path):
    def tamper(name: str, body: bytes) -> bytes:
        return body.replace(b"SHA-256-Digest", b"SHA-256-Digesx") if name.endswith(".SF") else body

    schemes, certs, problem = signing_of(write(tmp_path, rebuilt(fixture_bytes(), tmp_path, tamper)))
    assert schemes == ["v1"] and len(certs) == 1
    assert problem and "does not verify" in problem


def test_v2_v3_without_v1(tmp_path):
    data = fixture_bytes()
    names = {n for n in zipfile.ZipFile(write(tmp_path, data, "c.apk")).namelist() if n.endswith(".SF")}
    for name in names:  # same length: the .SF is no longer found, so there is no v1 signature
        data = data.replace(name.encode(), name[:-3].encode() + b".SX")
    schemes, certs, problem = signing_of(write(tmp_path, data))
    assert schemes == ["v2", "v3"] and problem is None
    assert [c.schemes for c in certs] == [["v2", "v3"]]


def test_damaged_signing_block_does_not_raise(tmp_path):
    data = fixture_bytes()
    start, end = signing_block_range(data)
    broken = bytearray(data)
    struct.pack_into("<Q", broken, start + 8, 0xFFFFFFFF)  # the first pair's length
    schemes, certs, problem = signing_of(write(tmp_path, bytes(broken)))
    assert "v1" in schemes and len(certs) == 1 and problem
    impossible = bytearray(data)
    struct.pack_into("<Q", impossible, end - 24, 1 << 40)
    schemes, certs, problem = signing_of(write(tmp_path, bytes(impossible), "b.apk"))
    assert schemes == ["v1"] and problem and "impossible size" in problem


def _self_signed(common_name: str) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, common_name), x509.NameAttribute(NameOID.COUNTRY_NAME, "US")]
    )
    now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x1234ABCD)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_certificate_fields_and_debug_key():
    der = _self_signed("Android Debug")
    cert = _certificate(der, "v2", hashlib.sha256(der).hexdigest())
    assert cert.debug is True and cert.subject == "C=US,CN=Android Debug" and cert.serial == "1234abcd"
    assert cert.not_before == "2020-01-01T00:00:00+00:00" and cert.signature_algorithm == "sha256_ecdsa"
    assert _certificate(_self_signed("Release"), "v1", "x").debug is False


def test_merge_by_certificate():
    a, b = _self_signed("A"), _self_signed("B")
    problems: list[str] = []
    certs = _merge([("v1", a), ("v2", a), ("v2", b), ("v3", a), ("v3", b"not a certificate")], problems)
    assert [c.schemes for c in certs] == [["v1", "v2", "v3"], ["v2"]]
    assert len(problems) == 1
