"""Forms that are stored once, even when sent twice (see `portal.models.FormSubmission`).

A form that creates a record carries a one-off key (`portal.form_fields.OnceOnly`). The record
and the key are committed together; a form that comes back with a stored key is answered with
the record it made the first time.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal.models import FormSubmission

KEY = re.compile(r"^[0-9a-f]{32}$")


def valid_key(key: str | None) -> str | None:
    """The key when it is one the portal hands out; anything else counts as no key."""
    return key if key and KEY.match(key) else None


def stored(session: Session, key: str | None) -> FormSubmission | None:
    """The earlier, stored sending of this form; None if there is none."""
    key = valid_key(key)
    if key is None:
        return None
    return session.scalar(select(FormSubmission).where(FormSubmission.key == key))


def stored_after_failure(session: Session, key: str | None) -> FormSubmission | None:
    """After a store that failed: the sending stored after all (the same form sent twice at once,
    the other request won), or None; a database that still fails counts as none."""
    try:
        return stored(session, key)
    except SQLAlchemyError:
        session.rollback()
        return None


def remember(
    session: Session, key: str | None, location: str, reference: str | None = None
) -> None:
    """Store the key with the record, in the same transaction (call before the commit)."""
    key = valid_key(key)
    if key is not None:
        session.add(FormSubmission(key=key, location=location[:300], reference=reference))
