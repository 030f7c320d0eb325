"""Server-side log-in sessions: log-out and a password change really end them.

The browser's signed cookie holds a random token; the database keeps its SHA-256 hash, who it
belongs to, the device (user agent) and when it was last used. A cookie whose session has ended
no longer logs anyone in, even if somebody kept a copy of it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import Role, User, UserSession

# Writing "last seen" on every request would cost a write per page; once a minute is enough.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
USER_AGENT_LENGTH = 200

# Staff see other people's data: their sessions end sooner after inactivity.
STAFF_ROLES = frozenset({Role.CONTACT_PERSON, Role.JOBCOACH, Role.ADMINISTRATOR, Role.MANAGER})
IDLE = "idle"
ENDED_BY_USER = "ended_by_user"


def idle_limit(role: Role | str, config: Mapping) -> timedelta:
    """How long a session of this role may go without a request: `IDLE_MINUTES_STAFF` for staff
    roles, `IDLE_MINUTES_OTHERS` for workers and employers."""
    staff = Role(role) in STAFF_ROLES
    return timedelta(minutes=int(config["IDLE_MINUTES_STAFF" if staff else "IDLE_MINUTES_OTHERS"]))


def is_idle(last_seen: datetime, now: datetime, limit: timedelta) -> bool:
    """Whether a session last seen at `last_seen` has been idle for `limit` at `now`.

    "Last seen" is written at most once per LAST_SEEN_RESOLUTION, so the last request may have
    been up to that much later than the stored time: the margin is added, so nobody is logged
    out before `limit` of real inactivity (and the page's warning timer, which counts from the
    page load, always fires before the server ends the session).
    """
    return now - _aware(last_seen) >= limit + LAST_SEEN_RESOLUTION


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


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


@dataclass(frozen=True)
class SessionCheck:
    """What `check_session` found: the session (None when there is none or it ended), whether it
    ended just now for inactivity, and whether a row was written (the caller commits)."""

    found: UserSession | None
    idle: bool = False
    written: bool = False


def check_session(
    session: Session,
    user_id: int,
    token: str | None,
    now: datetime | None = None,
    limit: timedelta | None = None,
) -> SessionCheck:
    """The user's session for this token if it has not ended; its "last seen" is kept current.

    With a `limit`, a session idle for longer (see `is_idle`) is ended now with reason "idle".
    Both are plain UPDATEs, outside the unit of work (not a change of a record in the audit
    sense); the caller commits when `written`, as a GET request does not commit by itself.
    """
    if not token:
        return SessionCheck(None)
    found = session.scalar(
        select(UserSession).where(
            UserSession.token_hash == hash_token(token),
            UserSession.user_id == user_id,
            UserSession.ended_at.is_(None),
        )
    )
    if found is None:
        return SessionCheck(None)
    now = now or datetime.now(UTC)
    last_seen = _aware(found.last_seen_at)
    if limit is not None and is_idle(last_seen, now, limit):
        _write(session, found, ended_at=now, end_reason=IDLE)
        return SessionCheck(None, idle=True, written=True)
    if now - last_seen >= LAST_SEEN_RESOLUTION:
        _write(session, found, last_seen_at=now)
        return SessionCheck(found, written=True)
    return SessionCheck(found)


def _write(session: Session, found: UserSession, **values) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.id == found.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def active_session(
    session: Session,
    user_id: int,
    token: str | None,
    now: datetime | None = None,
    limit: timedelta | None = None,
) -> UserSession | None:
    """The user's session for this token if it has not ended (nor gone idle beyond `limit`)."""
    return check_session(session, user_id, token, now, limit).found


def touch_session(session: Session, found: UserSession, now: datetime | None = None) -> None:
    """Mark the session as used now ("stay logged in"), whatever the resolution."""
    _write(session, found, last_seen_at=now or datetime.now(UTC))


def sessions_of(
    session: Session, user: User, limit: timedelta, now: datetime | None = None
) -> list[UserSession]:
    """The user's sessions that have not ended, newest use first; those that went idle are
    ended now (reason "idle") and left out."""
    now = now or datetime.now(UTC)
    found = []
    for row in session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ):
        if is_idle(row.last_seen_at, now, limit):
            row.ended_at, row.end_reason = now, IDLE
        else:
            found.append(row)
    return found


def end_session_by_id(
    session: Session, user: User, session_id: int, reason: str, now: datetime | None = None
) -> UserSession | None:
    """End one of the user's own sessions; None when the id is not a running session of theirs."""
    found = session.scalar(
        select(UserSession).where(
            UserSession.id == session_id,
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
        )
    )
    if found is not None:
        found.ended_at, found.end_reason = now or datetime.now(UTC), reason
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


# The browser and the system, in order of testing: Edge, Opera and Samsung Internet also say
# "Chrome", Chrome also says "Safari", Android also says "Linux", iOS also says "Mac OS X".
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Chrome", re.compile(r"\bChrome/|\bCriOS/|\bChromium/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
    ("Internet Explorer", re.compile(r"\bMSIE\b|\bTrident/")),
)
_SYSTEMS = (
    ("Windows", re.compile(r"\bWindows\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("iOS", re.compile(r"\biPhone\b|\biPod\b")),
    ("iPadOS", re.compile(r"\biPad\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("macOS", re.compile(r"\bMacintosh\b|\bMac OS X\b")),
    ("Linux", re.compile(r"\bLinux\b|\bX11\b")),
)


def browser_and_system(user_agent: str | None) -> tuple[str | None, str | None]:
    """The browser and operating system named by a User-Agent header (None when unknown)."""
    text = user_agent or ""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(text)), None)
    system = next((name for name, pattern in _SYSTEMS if pattern.search(text)), None)
    return browser, system
