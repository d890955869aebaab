"""Signing schemes and certificates, through androguard's signature parsing.

androguard's ``APK`` reads the whole file into memory and parses every local header. Instead it is
given a miniature APK built in memory from the few parts signing needs: the v1 signature files
(META-INF/*.SF and their *.RSA/*.DSA/*.EC blocks, read through the bounded reader) and the APK
Signing Block, copied verbatim in front of the miniature's central directory where androguard
looks for it. Its v1 check verifies the first SignerInfo of each block against the .SF (the
pre-Android-7 rule: androguard sees no manifest here); v2/v3/v3.1 certificates are extracted, not
verified (hegui reports who signed, it is not an installer).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import warnings
import zipfile

from androguard.core.apk import APK
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.x509.oid import NameOID

from hegui.apk.archive import Apk
from hegui.errors import ApkError
from hegui.facts.model import Certificate

SIG_BLOCK_MAGIC = b"APK Sig Block 42"
MAX_SIG_BLOCK = 16 << 20  # real blocks are a few KiB (plus alignment padding)
MAX_SIG_FILE = 1 << 20  # a PKCS#7 block with its certificate chain
MAX_SF_FILE = 64 << 20  # a .SF lists a digest per entry
MAX_V1_SIGNERS = 8
_V1_BLOCK = re.compile(r"^META-INF/[^/]+\.(RSA|DSA|EC)$")
_PLACEHOLDER = "hegui-signing-placeholder"


def read_signing(apk: Apk) -> tuple[list[str], list[Certificate], str | None]:
    """Signing schemes present (``v1``, ``v2``, ``v3``, ``v3.1``), the certificates (one per distinct
    certificate, with every scheme that carries it) and a problem description, or None.

    Never raises: a damaged signing block or certificate gives whatever could be read plus the
    problem as a sentence (the caller turns it into an analysis note). An unsigned APK gives
    ``([], [], None)``.
    """
    problems: list[str] = []
    v1_blocks = [n for n in apk.names if _V1_BLOCK.match(n) and n.rsplit(".", 1)[0] + ".SF" in apk]
    v1_files = _v1_files(apk, v1_blocks, problems)
    block = _signing_block(apk, problems)
    schemes: list[str] = ["v1"] if v1_blocks else []
    if not v1_files and block is None:
        return schemes, [], _joined(problems)
    try:
        droid = APK(_miniature(v1_files, block), raw=True, skip_analysis=True)
    except Exception as exc:  # noqa: BLE001 - androguard on hostile bytes
        problems.append(f"the signatures could not be parsed ({type(exc).__name__})")
        return schemes, [], _joined(problems)

    ders = [("v1", der) for der in _v1_certificates(droid, v1_files, problems)]
    try:
        droid.parse_v2_v3_signature()
    except Exception as exc:  # noqa: BLE001 - a malformed signing block must not stop the scan
        problems.append(f"the APK Signing Block is malformed ({type(exc).__name__})")
        return schemes, _merge(ders, problems), _joined(problems)
    for scheme, present, certs in (
        ("v2", "is_signed_v2", "get_certificates_der_v2"),
        ("v3", "is_signed_v3", "get_certificates_der_v3"),
        ("v3.1", "is_signed_v31", "get_certificates_der_v31"),
    ):
        try:
            if not getattr(droid, present)():
                continue
            schemes.append(scheme)
            ders += [(scheme, bytes(der)) for der in getattr(droid, certs)()]
        except Exception as exc:  # noqa: BLE001 - a malformed signing block must not stop the scan
            problems.append(f"the {scheme} signature block is malformed ({type(exc).__name__})")
    return schemes, _merge(ders, problems), _joined(problems)


def _v1_files(apk: Apk, blocks: list[str], problems: list[str]) -> dict[str, bytes]:
    """The signature block files (META-INF/*.RSA|DSA|EC with a .SF) and their .SF, read with small limits."""
    files: dict[str, bytes] = {}
    if len(blocks) > MAX_V1_SIGNERS:
        problems.append(f"{len(blocks)} v1 signature files; only the first {MAX_V1_SIGNERS} were read")
    for name in blocks[:MAX_V1_SIGNERS]:
        sf = name.rsplit(".", 1)[0] + ".SF"
        try:
            files[name] = apk.read(name, max_size=MAX_SIG_FILE)
            files[sf] = apk.read(sf, max_size=MAX_SF_FILE)
        except ApkError as exc:
            problems.append(f"{name} could not be read: {exc.message}")
            files.pop(name, None)
    return files


def _signing_block(apk: Apk, problems: list[str]) -> bytes | None:
    """The APK Signing Block (size, pairs, size, magic) just before the central directory, if any."""
    end = apk.central_directory_offset
    if end < 24:
        return None
    try:
        footer = apk.read_raw(end - 24, 24)
        size = struct.unpack_from("<Q", footer)[0]
        if footer[8:] != SIG_BLOCK_MAGIC:
            return None
        if size < 24 or size > MAX_SIG_BLOCK or size + 8 > end:
            problems.append(f"the APK Signing Block declares an impossible size ({size} bytes)")
            return None
        return apk.read_raw(end - size - 8, size + 8)
    except (ApkError, OSError, struct.error) as exc:
        problems.append(f"the APK Signing Block could not be read ({exc})")
        return None


def _miniature(files: dict[str, bytes], block: bytes | None) -> bytes:
    """A small zip holding ``files`` (and a placeholder), with ``block`` spliced in before its central
    directory exactly as in a signed APK."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(_PLACEHOLDER, b"")
        for name, data in files.items():
            z.writestr(name, data)
    raw = buf.getvalue()
    if block is None:
        return raw
    eocd = raw[-22:]  # no archive comment: the end record is the last 22 bytes
    cd_offset = struct.unpack_from("<I", eocd, 16)[0]
    eocd = eocd[:16] + struct.pack("<I", cd_offset + len(block)) + eocd[20:]
    return raw[:cd_offset] + block + raw[cd_offset:-22] + eocd


def _v1_certificates(droid: APK, files: dict[str, bytes], problems: list[str]) -> list[bytes]:
    out: list[bytes] = []
    for name in (n for n in files if _V1_BLOCK.match(n)):
        try:
            der = droid.get_certificate_der(name)
        except Exception:  # noqa: BLE001 - falls back to the certificates in the block below
            der = None
        if der is not None:
            out.append(bytes(der))
            continue
        problems.append(f"the v1 signature {name} does not verify against its .SF file")
        try:  # still report who claims to have signed it
            signed = cms.ContentInfo.load(files[name])["content"]
            out += [c.chosen.dump() for c in signed["certificates"] if c.name == "certificate"][:1]
        except Exception:  # noqa: BLE001
            problems.append(f"{name} is not a valid PKCS#7 signature block")
    return out


def _merge(ders: list[tuple[str, bytes]], problems: list[str]) -> list[Certificate]:
    by_digest: dict[str, Certificate] = {}
    for scheme, der in ders:
        digest = hashlib.sha256(der).hexdigest()
        known = by_digest.get(digest)
        if known is not None:
            if scheme not in known.schemes:
                by_digest[digest] = known.model_copy(update={"schemes": [*known.schemes, scheme]})
            continue
        try:
            by_digest[digest] = _certificate(der, scheme, digest)
        except Exception as exc:  # noqa: BLE001 - malformed DER from a hostile block
            problems.append(f"a {scheme} certificate could not be decoded ({type(exc).__name__})")
    return list(by_digest.values())


def _certificate(der: bytes, scheme: str, digest: str) -> Certificate:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. a non-positive serial number: reported, not judged, here
        cert = x509.load_der_x509_certificate(der)
        serial = cert.serial_number
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    algorithm = asn1_x509.Certificate.load(der)["signature_algorithm"]["algorithm"].native
    return Certificate(
        schemes=[scheme],
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        serial=format(serial, "x") if serial >= 0 else f"-{-serial:x}",
        sha256=digest,
        not_before=cert.not_valid_before_utc.isoformat(),
        not_after=cert.not_valid_after_utc.isoformat(),
        signature_algorithm=str(algorithm) if algorithm else None,
        debug=any(a.value == "Android Debug" for a in cns),
    )


def _joined(problems: list[str]) -> str | None:
    return "; ".join(problems) if problems else None
