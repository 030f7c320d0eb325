"""The worker's consent per part of the work profile: nothing is shared until the worker says so.

Each grant is a row from `granted_at` until `withdrawn_at`, so the history of who could see what
and when stays; withdrawing takes effect at once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import ProfileConsent, ProfilePart, User


def shared_parts(session: Session, worker_id: int) -> set[ProfilePart]:
    """The parts the worker now lets the employer see (none by default)."""
    return set(
        session.scalars(
            select(ProfileConsent.part).where(
                ProfileConsent.worker_id == worker_id, ProfileConsent.withdrawn_at.is_(None)
            )
        )
    )


def set_consent(
    session: Session, worker: User, parts: set[ProfilePart], now: datetime | None = None
) -> tuple[set[ProfilePart], set[ProfilePart]]:
    """Share exactly `parts`: grant the new ones, withdraw the others. Returns (granted,
    withdrawn); a part that stays shared keeps its original grant."""
    now = now or datetime.now(UTC)
    current = {
        consent.part: consent
        for consent in session.scalars(
            select(ProfileConsent).where(
                ProfileConsent.worker_id == worker.id, ProfileConsent.withdrawn_at.is_(None)
            )
        )
    }
    granted = parts - set(current)
    withdrawn = set(current) - parts
    for part in granted:
        session.add(ProfileConsent(worker_id=worker.id, part=part, granted_at=now))
    for part in withdrawn:
        current[part].withdrawn_at = now
    return granted, withdrawn
