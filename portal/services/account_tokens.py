"""Single-use links to set a password: the invitation of a new account and the password reset.

The token is 32 random bytes; only its SHA-256 hash is stored, bound to one account. A link
works once and until it expires; issuing a new link of the same purpose ends the earlier ones.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import AccountToken, TokenPurpose, User

INVITATION_DAYS = 7
RESET_HOURS = 1


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: Session,
    user: User,
    purpose: TokenPurpose,
    lifetime: timedelta,
    *,
    by: User | None = None,
    now: datetime | None = None,
) -> str:
    """A new link for this account and purpose; earlier open ones of that purpose stop working.
    Returns the token for the e-mail (it is not stored)."""
    now = now or datetime.now(UTC)
    # One new link at a time per account: two at once would each leave the other one open.
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.replaced_at.is_(None),
        )
        .values(replaced_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_hash(token),
            created_at=now,
            expires_at=now + lifetime,
            created_by_id=by.id if by is not None else None,
        )
    )
    session.flush()
    return token


@dataclass(frozen=True)
class TokenCheck:
    """What a link is: `ok`, or why not (`unknown`, `used`, `replaced`, `expired`,
    `inactive`)."""

    state: str
    token: AccountToken | None = None

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def check_token(session: Session, token: str | None, now: datetime | None = None) -> TokenCheck:
    """Look the link up without using it."""
    now = now or datetime.now(UTC)
    if not token or len(token) > 100:
        return TokenCheck("unknown")
    found = session.scalar(select(AccountToken).where(AccountToken.token_hash == _hash(token)))
    if found is None:
        return TokenCheck("unknown")
    if found.used_at is not None:
        return TokenCheck("used", found)
    if found.replaced_at is not None:
        return TokenCheck("replaced", found)
    if _aware(found.expires_at) <= now:
        return TokenCheck("expired", found)
    if not found.user.active:
        return TokenCheck("inactive", found)
    return TokenCheck("ok", found)


def use_token(session: Session, found: AccountToken, now: datetime | None = None) -> bool:
    """Mark the link used; False when another request used it first (a link works once even
    when it is opened twice at the same moment)."""
    now = now or datetime.now(UTC)
    result = session.execute(
        update(AccountToken)
        .where(AccountToken.id == found.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
