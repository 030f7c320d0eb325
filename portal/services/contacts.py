"""The fixed contact person: who it is now, and an explicit hand-over that keeps the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from portal.models import (
    ContactAssignment,
    Employer,
    ExecutingOrganisation,
    HelpRequest,
    HelpRequestStatus,
    ProblemReport,
    ProblemReportEvent,
    ProblemStatus,
    Role,
    User,
)

NOTE_MAX = 500


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
    recorded_by: User | None = None,
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
        recorded_by=recorded_by,
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


class HandoverError(ValueError):
    """A hand-over that breaks the rules; `code` names the rule for the message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Handover:
    previous: ContactAssignment | None
    current: ContactAssignment
    moved_reports: int
    moved_help_requests: int


def hand_over(
    session: Session,
    *,
    new_contact: User,
    on: date,
    note: str | None,
    by: User,
    today: date,
    worker: User | None = None,
    employer: Employer | None = None,
) -> Handover:
    """An explicit hand-over to another contact person, from `on` (not in the future).

    The old assignment is closed and stays as history. Open work moves along: the worker's open
    meldingen, and the open help requests of the worker (or the employer's users) that sat with
    the previous contact person. Nothing else changes the contact: not a new phase, not a
    permanent contract.
    """
    previous = current_assignment(session, worker=worker, employer=employer)
    if new_contact.role != Role.CONTACT_PERSON or not new_contact.active:
        raise HandoverError("not_a_contact_person")
    if previous is not None and previous.contact_person_id == new_contact.id:
        raise HandoverError("same_person")
    if on > today:
        raise HandoverError("future")
    if previous is not None and on < previous.starts_on:
        raise HandoverError("before_current")
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX:
        raise HandoverError("note_too_long")
    current = assign_contact(
        session,
        contact_person=new_contact,
        starts_on=on,
        worker=worker,
        employer=employer,
        note=note,
        recorded_by=by,
    )
    reports = _move_reports(session, worker, new_contact, by) if worker is not None else 0
    requesters = (
        [worker.id]
        if worker is not None
        else list(session.scalars(select(User.id).where(User.employer_id == employer.id)))
    )
    help_requests = (
        _move_help_requests(session, requesters, previous.contact_person_id, new_contact.id)
        if previous is not None and requesters
        else 0
    )
    return Handover(previous, current, reports, help_requests)


def _move_reports(session: Session, worker: User, new_contact: User, by: User) -> int:
    reports = session.scalars(
        select(ProblemReport).where(
            ProblemReport.worker_id == worker.id, ProblemReport.status != ProblemStatus.CLOSED
        )
    ).all()
    for report in reports:
        report.contact_person = new_contact
        report.events.append(ProblemReportEvent(by=by, kind="handover", note=new_contact.full_name))
    session.flush()
    return len(reports)


def _move_help_requests(
    session: Session, requester_ids: list[int], old_contact_id: int, new_contact_id: int
) -> int:
    result = session.execute(
        update(HelpRequest)
        .where(
            HelpRequest.requester_id.in_(requester_ids),
            HelpRequest.assigned_to_id == old_contact_id,
            HelpRequest.status != HelpRequestStatus.CLOSED,
        )
        .values(assigned_to_id=new_contact_id)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def contact_history(
    session: Session, *, worker: User | None = None, employer: Employer | None = None
) -> list[ContactAssignment]:
    """Every assignment of this worker or employer, the current one first."""
    return list(
        session.scalars(
            select(ContactAssignment)
            .where(_current_filter(worker, employer))
            .options(
                joinedload(ContactAssignment.contact_person),
                joinedload(ContactAssignment.recorded_by),
            )
            .order_by(ContactAssignment.starts_on.desc(), ContactAssignment.id.desc())
        )
    )


def routed_contact_person(session: Session, organisation_name: str | None) -> User | None:
    """The active contact person with the fewest workers now, of this executing organisation
    (or of any with None), for a worker who has none yet (a self-found job, a new account)."""
    caseload = (
        select(func.count())
        .select_from(ContactAssignment)
        .where(ContactAssignment.contact_person_id == User.id)
        .where(ContactAssignment.worker_id.is_not(None), ContactAssignment.ends_on.is_(None))
        .scalar_subquery()
    )
    query = select(User).where(User.role == Role.CONTACT_PERSON, User.active.is_(True))
    if organisation_name is not None:
        query = query.join(
            ExecutingOrganisation, ExecutingOrganisation.id == User.executing_organisation_id
        ).where(ExecutingOrganisation.name == organisation_name)
    return session.scalar(query.order_by(caseload, User.id).limit(1))


def active_contact_persons(session: Session) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.role == Role.CONTACT_PERSON, User.active.is_(True))
            .order_by(User.last_name, User.first_name)
        )
    )


@dataclass(frozen=True)
class Caseload:
    """How many workers and employers a contact person serves now."""

    workers: int
    employers: int

    @property
    def total(self) -> int:
        return self.workers + self.employers


def caseload_counts(session: Session, contact_person_id: int) -> Caseload:
    """The current caseload of one contact person, counted."""
    rows = session.execute(
        select(ContactAssignment.worker_id.is_not(None), func.count())
        .where(
            ContactAssignment.contact_person_id == contact_person_id,
            ContactAssignment.ends_on.is_(None),
        )
        .group_by(ContactAssignment.worker_id.is_not(None))
    ).all()
    counts = {bool(is_worker): number for is_worker, number in rows}
    return Caseload(workers=counts.get(True, 0), employers=counts.get(False, 0))


@dataclass(frozen=True)
class CaseloadItem:
    """One worker's or employer's hand-over within a caseload hand-over."""

    handover: Handover
    worker: User | None = None
    employer: Employer | None = None


@dataclass(frozen=True)
class CaseloadHandover:
    """What a caseload hand-over moved."""

    items: tuple[CaseloadItem, ...]

    @property
    def workers(self) -> int:
        return sum(1 for item in self.items if item.worker is not None)

    @property
    def employers(self) -> int:
        return sum(1 for item in self.items if item.employer is not None)

    @property
    def moved_reports(self) -> int:
        return sum(item.handover.moved_reports for item in self.items)

    @property
    def moved_help_requests(self) -> int:
        return sum(item.handover.moved_help_requests for item in self.items)


def hand_over_caseload(
    session: Session,
    *,
    leaving: User,
    new_contact: User,
    on: date,
    note: str | None,
    by: User,
    today: date,
) -> CaseloadHandover:
    """Hand every current worker and employer of `leaving` over to `new_contact` from `on`, each
    with `hand_over` (open reports and help requests move along, history stays).

    The rules are checked for the whole caseload before anything changes; the changes are only
    flushed, so the caller's commit moves everything and a rollback nothing (also when one
    hand-over fails halfway). Raises `HandoverError` ("not_a_contact_person", "same_person",
    "future", "before_current", "note_too_long", "empty_caseload").
    """
    if new_contact.role != Role.CONTACT_PERSON or not new_contact.active:
        raise HandoverError("not_a_contact_person")
    if new_contact.id == leaving.id:
        raise HandoverError("same_person")
    if on > today:
        raise HandoverError("future")
    assignments = session.scalars(
        select(ContactAssignment)
        .where(
            ContactAssignment.contact_person_id == leaving.id,
            ContactAssignment.ends_on.is_(None),
        )
        .options(joinedload(ContactAssignment.worker), joinedload(ContactAssignment.employer))
        .order_by(ContactAssignment.id)
    ).all()
    if not assignments:
        raise HandoverError("empty_caseload")
    if any(on < assignment.starts_on for assignment in assignments):
        raise HandoverError("before_current")
    if len((note or "").strip()) > NOTE_MAX:
        raise HandoverError("note_too_long")
    items = []
    for assignment in assignments:
        worker, employer = assignment.worker, assignment.employer
        handover = hand_over(
            session,
            new_contact=new_contact,
            on=on,
            note=note,
            by=by,
            today=today,
            worker=worker,
            employer=employer,
        )
        items.append(CaseloadItem(handover, worker=worker, employer=employer))
    return CaseloadHandover(tuple(items))
