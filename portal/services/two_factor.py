"""Time-based one-time passwords (TOTP, RFC 6238 over RFC 4226) and recovery codes for the
second factor of staff log-ins (issue 11). Plain functions on the standard library, so the
authenticator apps everybody uses (SHA-1, 6 digits, 30 seconds) work and the rules are testable.

Who sees workers' personal data (contact persons, jobcoaches, administrators) must have a second
factor (BIO: multi-factor authentication on access to personal data); everybody else may opt in.
Enrolment starts with a new secret and counts once the first code from the app was right. A code
is accepted once: the step it belongs to is stored with a conditional UPDATE, so even two requests
at the same moment cannot both use it. The same holds for a recovery code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote, urlencode

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from portal.models import RecoveryCode, Role, User

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # one step before and after: a phone clock that is a little off still works
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o or 1/l/i to misread

# The roles that see workers' personal data; the same as those whose reads are audited.
REQUIRED_ROLES = frozenset({Role.CONTACT_PERSON, Role.JOBCOACH, Role.ADMINISTRATOR})


def new_secret() -> str:
    """A random 160-bit secret, base32 without padding (what authenticator apps read)."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    clean = secret.replace(" ", "").upper()
    return base64.b32decode(clean + "=" * (-len(clean) % 8))


def step_of(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int, digits: int = DIGITS) -> str:
    """The code of one 30-second step (HOTP with the step as counter)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def verify(secret: str, code: str, moment: datetime, last_step: int | None = None) -> int | None:
    """The step the code belongs to when it is right (within the window) and newer than
    `last_step`, so a code that was used once cannot be used again; None otherwise."""
    code = (code or "").replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_of(moment)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(
            code_at(secret, step), code
        ):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address the QR code holds."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Codes like "k7mq-p3xr" to get in once without the phone; shown once, stored hashed."""
    return [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(2))
        for _ in range(count)
    ]


def hash_recovery_code(code: str) -> str:
    """The stored form of a recovery code; spaces, dashes and capitals do not matter."""
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def is_required(role: Role | str) -> bool:
    """Whether this role must log in with a second factor."""
    return Role(role) in REQUIRED_ROLES


def needs_enrolment(user: User) -> bool:
    """A user of a required role without a working second factor: they can reach nothing with
    personal data until they set one up."""
    return is_required(user.role) and not user.two_factor_enabled


def start_enrolment(user: User) -> str:
    """The secret to show while setting up (a new one unless set-up already started)."""
    if user.two_factor_enabled:
        raise ValueError("two-factor authentication is already on")
    if not user.totp_secret:
        user.totp_secret = new_secret()
    return user.totp_secret


def restart_enrolment(user: User) -> str:
    """A new secret, for when the QR code was scanned into the wrong app or not at all."""
    user.totp_secret = None
    return start_enrolment(user)


def _claim_step(session: Session, user: User, step: int) -> bool:
    """Store `step` as the last one used, only when it is newer: False when another request was
    first with this code."""
    claimed = session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    session.refresh(user, ["totp_last_step"])
    return True


def finish_enrolment(session: Session, user: User, code: str, now: datetime) -> list[str] | None:
    """Switch the second factor on when `code` is right for the secret being set up; returns the
    new recovery codes (to show once), or None when the code is wrong."""
    if user.two_factor_enabled or not user.totp_secret:
        return None
    step = verify(user.totp_secret, code, now, user.totp_last_step)
    if step is None or not _claim_step(session, user, step):
        return None
    user.totp_enabled_at = now
    return replace_recovery_codes(session, user, now)


def replace_recovery_codes(session: Session, user: User, now: datetime) -> list[str]:
    """New recovery codes; the earlier ones stop working. Only the hashes are stored."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = new_recovery_codes()
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=hash_recovery_code(code), created_at=now)
        for code in codes
    )
    return codes


class Passed(StrEnum):
    APP = "app"
    RECOVERY_CODE = "recovery_code"


def looks_like_app_code(code: str) -> bool:
    normal = (code or "").replace(" ", "")
    return len(normal) == DIGITS and normal.isdigit()


def check_code(session: Session, user: User, code: str, now: datetime) -> Passed | None:
    """The second step of a log-in: a code from the app or an unused recovery code (used up
    here). None when it is wrong, used before, or the user has no second factor."""
    if not user.two_factor_enabled:
        return None
    if looks_like_app_code(code):
        step = verify(user.totp_secret, code, now, user.totp_last_step)
        return Passed.APP if step is not None and _claim_step(session, user, step) else None
    used = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)
        .where(RecoveryCode.code_hash == hash_recovery_code(code or ""))
        .where(RecoveryCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return Passed.RECOVERY_CODE if used.rowcount == 1 else None


def recovery_codes_left(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def switch_off(session: Session, user: User) -> None:
    """No second factor any more (an administrator's reset after a lost phone, or a worker or
    employer user who opted in and out again); a required role sets it up again at next log-in."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
