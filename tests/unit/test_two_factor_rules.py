"""TOTP against the RFC 6238 test vectors, the window, replay, and recovery codes."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.services.two_factor import (
    code_at,
    hash_recovery_code,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
    step_of,
    verify,
)

# RFC 6238 appendix B, SHA-1: the ASCII secret "12345678901234567890"
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "eight_digits"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc_6238_vectors(unix_time, eight_digits):
    step = unix_time // 30
    assert code_at(RFC_SECRET, step, digits=8) == eight_digits
    assert code_at(RFC_SECRET, step) == eight_digits[-6:]


def test_the_window_and_replay():
    secret = new_secret()
    now = datetime(2026, 11, 25, 9, 0, 15, tzinfo=UTC)
    step = step_of(now)
    assert verify(secret, code_at(secret, step), now) == step
    assert verify(secret, code_at(secret, step - 1), now) == step - 1  # a slow phone clock
    assert verify(secret, code_at(secret, step + 1), now) == step + 1
    assert verify(secret, code_at(secret, step - 2), now) is None
    assert verify(secret, code_at(secret, step), now, last_step=step) is None  # used once
    assert verify(secret, code_at(secret, step + 1), now, last_step=step) == step + 1
    code = code_at(secret, step)
    assert verify(secret, f"{code[:3]} {code[3:]}", now) == step  # typed with a space
    assert verify(secret, "12345", now) is None and verify(secret, "abcdef", now) is None


def test_secret_and_address_for_the_app():
    secret = new_secret()
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) == 20
    assert secret != new_secret()
    uri = provisioning_uri(secret, "f.elamrani@wsp-demo.nl", "WSP Midden-Utrecht")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert parts.path == "/WSP%20Midden-Utrecht%3Af.elamrani%40wsp-demo.nl"
    assert parse_qs(parts.query)["secret"] == [secret]


def test_recovery_codes():
    codes = new_recovery_codes()
    assert len(codes) == len(set(codes)) == 10
    assert all(len(code) == 9 and code[4] == "-" for code in codes)
    assert hash_recovery_code(codes[0]) == hash_recovery_code(codes[0].upper().replace("-", " "))
    assert hash_recovery_code(codes[0]) != hash_recovery_code(codes[1])
    assert codes[0] not in hash_recovery_code(codes[0])
