from __future__ import annotations

import base64

import pytest

from hegui.service import security


def test_hash_format_and_verify() -> None:
    h = security.hash_password("s3cret-密码")
    scheme, n, r, p, salt, digest = h.split("$")
    assert (scheme, int(n), int(r), int(p)) == (
        "scrypt",
        security.SCRYPT_N,
        security.SCRYPT_R,
        security.SCRYPT_P,
    )
    assert len(base64.b64decode(salt)) == security.SALT_BYTES
    assert len(base64.b64decode(digest)) == security.HASH_BYTES
    assert security.verify_password("s3cret-密码", h)
    assert not security.verify_password("s3cret-密", h)
    assert not security.needs_rehash(h)


def test_salt_is_random() -> None:
    assert security.hash_password("x") != security.hash_password("x")


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "",
        "plain",
        "bcrypt$1$2$3$4$5",
        "scrypt$16384$8$1$!!!$AAAA",
        "scrypt$abc$8$1$AAAA$AAAA",
        "scrypt$3$8$1$AAAA$AAAA",  # n not a power of two
        "scrypt$1073741824$8$1$AAAA$AAAA",  # absurd n: refused, not computed
        "scrypt$16384$8$1$AAAA$",
    ],
)
def test_malformed_hash_never_verifies(stored: str | None) -> None:
    assert security.verify_password("x", stored) is False


def test_compare_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = security.hmac.compare_digest
    monkeypatch.setattr(security.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    h = security.hash_password("pw")
    assert security.verify_password("pw", h)
    assert not security.verify_password("nope", h)
    assert len(calls) == 2


def test_old_parameters_still_verify_and_ask_for_rehash() -> None:
    salt = b"0123456789abcdef"
    digest = security._scrypt("pw", salt, 2**12, 8, 1, 32)
    stored = f"scrypt${2**12}$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert security.verify_password("pw", stored)
    assert security.needs_rehash(stored)


def test_tokens() -> None:
    t = security.new_token()
    assert len(t) >= 43 and t != security.new_token()
    assert len(security.token_sha256(t)) == 64
