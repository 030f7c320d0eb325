"""Server-side log-in sessions: log-out and a password change really end them.

The browser's signed cookie holds a random token; the database keeps its SHA-256 hash, who it
belongs to, the device (user agent) and when it was last used. A cookie whose session has ended
no longer logs anyone in, even if somebody kept a copy of it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import User, UserSession

# Writing "last seen" on every request would cost a write per page; once a minute is enough.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
USER_AGENT_LENGTH = 200


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session, user: User, user_agent: str | None, now: datetime | None = None
) -> str:
    """Record a new session for the user; returns the token for the cookie (never stored)."""
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=hash_token(token),
            user_agent=(user_agent or "")[:USER_AGENT_LENGTH] or None,
            created_at=now,
            last_seen_at=now,
        )
    )
    return token


def active_session(
    session: Session, user_id: int, token: str | None, now: datetime | None = None
) -> UserSession | None:
    """The user's session for this token if it has not ended; its "last seen" is kept current.

    "Last seen" is written with a plain UPDATE, outside the unit of work, so it is not a change
    of a record in the audit sense and does not wait for the request's commit.
    """
    if not token:
        return None
    found = session.scalar(
        select(UserSession).where(
            UserSession.token_hash == hash_token(token),
            UserSession.user_id == user_id,
            UserSession.ended_at.is_(None),
        )
    )
    if found is None:
        return None
    now = now or datetime.now(UTC)
    last_seen = found.last_seen_at
    if last_seen.tzinfo is None:
        last_seen = last_seen.replace(tzinfo=UTC)
    if now - last_seen >= LAST_SEEN_RESOLUTION:
        session.execute(
            update(UserSession)
            .where(UserSession.id == found.id)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
    return found


def end_session(
    session: Session, token: str | None, reason: str, now: datetime | None = None
) -> None:
    """End the session of this token (log-out)."""
    if not token:
        return
    for found in session.scalars(
        select(UserSession).where(
            UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None)
        )
    ):
        found.ended_at, found.end_reason = now or datetime.now(UTC), reason


def end_other_sessions(
    session: Session,
    user: User,
    keep_token: str | None,
    reason: str,
    now: datetime | None = None,
) -> int:
    """End every session of the user except the one of `keep_token`; returns how many ended."""
    keep = hash_token(keep_token) if keep_token else None
    ended = 0
    for found in session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ):
        if found.token_hash != keep:
            found.ended_at, found.end_reason = now or datetime.now(UTC), reason
            ended += 1
    return ended
