"""TOTP against the RFC 6238 test vectors, the window, replay, and recovery codes."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.extensions import db
from portal.models import Role
from portal.services.two_factor import (
    RECOVERY_CODES,
    Passed,
    check_code,
    code_at,
    finish_enrolment,
    hash_recovery_code,
    is_required,
    needs_enrolment,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
    recovery_codes_left,
    replace_recovery_codes,
    start_enrolment,
    step_of,
    switch_off,
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


# --- The rules on the account (database) ----------------------------------------------------

MOMENT = datetime(2026, 11, 25, 9, 0, 5, tzinfo=UTC)


def _fresh_user(email: str):
    from tests.conftest import user_by_email

    user = user_by_email(email)
    switch_off(db.session, user)
    db.session.commit()
    return user


def test_who_must_have_it():
    assert {role for role in Role if is_required(role)} == {
        Role.CONTACT_PERSON,
        Role.JOBCOACH,
        Role.ADMINISTRATOR,
    }


def test_enrolment_counts_from_the_first_right_code(demo):
    user = _fresh_user("f.elamrani@wsp-demo.nl")
    assert needs_enrolment(user)
    secret = start_enrolment(user)
    assert start_enrolment(user) == secret  # a reload shows the same QR code
    wrong = code_at(secret, step_of(MOMENT) + 5)
    assert finish_enrolment(db.session, user, wrong, MOMENT) is None
    assert not user.two_factor_enabled
    codes = finish_enrolment(db.session, user, code_at(secret, step_of(MOMENT)), MOMENT)
    assert codes is not None and len(codes) == RECOVERY_CODES
    assert user.two_factor_enabled and not needs_enrolment(user)
    assert user.totp_last_step == step_of(MOMENT)
    with pytest.raises(ValueError):
        start_enrolment(user)


def test_a_code_or_a_recovery_code_passes_once(demo):
    user = _fresh_user("f.elamrani@wsp-demo.nl")
    secret = start_enrolment(user)
    codes = finish_enrolment(db.session, user, code_at(secret, step_of(MOMENT)), MOMENT)
    later = MOMENT.replace(minute=1)
    app_code = code_at(secret, step_of(later))
    assert check_code(db.session, user, app_code, later) == Passed.APP
    assert check_code(db.session, user, app_code, later) is None  # replay
    assert check_code(db.session, user, codes[0], later) == Passed.RECOVERY_CODE
    assert check_code(db.session, user, codes[0], later) is None
    assert check_code(db.session, user, "abcd-efgh", later) is None
    assert recovery_codes_left(db.session, user) == RECOVERY_CODES - 1
    fresh = replace_recovery_codes(db.session, user, later)
    assert check_code(db.session, user, codes[1], later) is None  # replaced
    assert check_code(db.session, user, fresh[1], later) == Passed.RECOVERY_CODE


def test_switched_off_nothing_passes(demo):
    user = _fresh_user("sanne@werknemer-demo.nl")
    assert not needs_enrolment(user)  # a worker may, but does not have to
    secret = start_enrolment(user)
    finish_enrolment(db.session, user, code_at(secret, step_of(MOMENT)), MOMENT)
    switch_off(db.session, user)
    later = MOMENT.replace(minute=2)
    assert check_code(db.session, user, code_at(secret, step_of(later)), later) is None
    assert recovery_codes_left(db.session, user) == 0
