"""The fixed contact person: who it is now, and an explicit hand-over that keeps the history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import ContactAssignment, Employer, Role, User


class ContactRuleError(ValueError):
    """An assignment that breaks the contact rules."""


def _current_filter(worker: User | None, employer: Employer | None):
    if (worker is None) == (employer is None):
        raise ContactRuleError("give exactly one of worker or employer")
    if worker is not None:
        return ContactAssignment.worker_id == worker.id
    return ContactAssignment.employer_id == employer.id


def current_assignment(
    session: Session, *, worker: User | None = None, employer: Employer | None = None
) -> ContactAssignment | None:
    return session.scalar(
        select(ContactAssignment).where(
            _current_filter(worker, employer), ContactAssignment.ends_on.is_(None)
        )
    )


def assign_contact(
    session: Session,
    *,
    contact_person: User,
    starts_on: date,
    worker: User | None = None,
    employer: Employer | None = None,
    note: str | None = None,
) -> ContactAssignment:
    """Make `contact_person` the current contact, closing the previous assignment on `starts_on`."""
    if contact_person.role != Role.CONTACT_PERSON:
        raise ContactRuleError("only a contact person can be assigned")
    if worker is not None and worker.role != Role.WORKER:
        raise ContactRuleError("contacts are assigned to workers or employers")
    previous = current_assignment(session, worker=worker, employer=employer)
    if previous is not None:
        if starts_on < previous.starts_on:
            raise ContactRuleError("a hand-over cannot start before the current assignment")
        previous.ends_on = starts_on
        session.flush()  # the partial unique index must see the old one closed first
    assignment = ContactAssignment(
        contact_person=contact_person,
        worker=worker,
        employer=employer,
        starts_on=starts_on,
        note=note,
    )
    session.add(assignment)
    session.flush()
    return assignment


def contact_person_for(session: Session, user: User) -> User | None:
    """The fixed contact person a worker or an employer user sees; `None` for other roles."""
    if user.role == Role.WORKER:
        assignment = current_assignment(session, worker=user)
    elif user.role == Role.EMPLOYER and user.employer is not None:
        assignment = current_assignment(session, employer=user.employer)
    else:
        return None
    return assignment.contact_person if assignment else None


def caseload_workers(session: Session, contact_person_id: int) -> list[User]:
    """The workers of whom this contact person is the current contact, by name."""
    return list(
        session.scalars(
            select(User)
            .join(ContactAssignment, ContactAssignment.worker_id == User.id)
            .where(
                ContactAssignment.contact_person_id == contact_person_id,
                ContactAssignment.ends_on.is_(None),
            )
            .order_by(User.last_name, User.first_name)
        )
    )
