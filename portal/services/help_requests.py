"""Help requests (hulpvragen): creating them, choosing whose desk they land on, working them off.

A request goes to the requester's contact person, or into the WSP's shared queue that every contact
person sees; from there a contact person takes it. The one who has it changes its status, writes
working notes (staff only) and closes it with an outcome (the requester reads that). Every status
change is a `HelpRequestNote` with its status, so the history stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from portal.models import (
    ContactTime,
    ContactWay,
    HelpRequest,
    HelpRequestChannel,
    HelpRequestNote,
    HelpRequestStatus,
    User,
)
from portal.services.contacts import contact_person_for
from portal.services.references import next_reference

HELP_REQUEST_PREFIX = "HV"
TEXT_MAX = 5000


@dataclass
class HelpRequestDraft:
    """What a requester (logged in or anonymous) submits. The assistant sends no preference
    unless it asked for one."""

    subject: str
    text: str
    channel: HelpRequestChannel
    transcript: list[dict] = field(default_factory=list)
    requester: User | None = None
    requester_name: str | None = None
    requester_phone: str | None = None
    requester_email: str | None = None
    preferred_contact_way: ContactWay | None = None
    preferred_time: ContactTime | None = None


class IncompleteRequester(ValueError):
    """An anonymous request without a name or a way to reach the person."""


class HelpRequestError(ValueError):
    """A step that breaks the rules; `code` names the rule for the message."""

    code = "invalid"

    def __init__(self, detail: str | None = None):
        super().__init__(detail or self.code)


class ContactWayNotPossible(HelpRequestError):
    """The chosen way of contact cannot work (no phone number, no account for portal messages)."""

    code = "contact_way"


class OutcomeMissing(HelpRequestError):
    """Closing needs an outcome: the requester reads it."""

    code = "outcome_missing"


class NoteMissing(HelpRequestError):
    """A note, or the reason for reopening, is empty."""

    code = "note_missing"


class TextTooLong(HelpRequestError):
    code = "too_long"


class AlreadyClosed(HelpRequestError):
    """A closed request only changes by reopening it."""

    code = "closed"


class NotClosed(HelpRequestError):
    """Only a closed request can be reopened."""

    code = "not_closed"


class InvalidTransition(HelpRequestError):
    """Back to new, or to the status it already has."""

    code = "transition"


class AlreadyAssigned(HelpRequestError):
    """Someone else took the request from the queue first."""

    code = "taken"


def contact_way_possible(
    way: ContactWay | None, *, has_account: bool, phone: str | None, email: str | None
) -> bool:
    """Whether the requester can be reached the way they chose. A portal message needs an
    account; a phone call needs a number; an e-mail an address. No choice is always fine."""
    if way is None:
        return True
    if way == ContactWay.PORTAL:
        return has_account
    if way == ContactWay.PHONE:
        return bool(phone)
    if way == ContactWay.EMAIL:
        return bool(email)
    return True  # a visit is arranged by phone or e-mail, which every requester has one of


def default_contact_way(user: User) -> ContactWay:
    """The form's preselection for a logged-in user: phone if the account has a number."""
    return ContactWay.PHONE if user.phone else ContactWay.EMAIL


def create_help_request(
    session: Session, draft: HelpRequestDraft, now: datetime | None = None
) -> HelpRequest:
    """Store a help request, assigned to the requester's contact person or in the WSP queue.

    A logged-in worker or employer user gets their own contact person; an anonymous visitor (or a
    user without a current contact) lands in the shared queue that every contact person sees.
    """
    now = now or datetime.now(UTC)
    requester = draft.requester
    if requester is not None:
        name, phone, email = requester.full_name, requester.phone, requester.email
        assignee = contact_person_for(session, requester)
    else:
        name = (draft.requester_name or "").strip()
        phone = (draft.requester_phone or "").strip() or None
        email = (draft.requester_email or "").strip() or None
        if not name or not (phone or email):
            raise IncompleteRequester("name and phone or e-mail are required")
        assignee = None
    if not contact_way_possible(
        draft.preferred_contact_way, has_account=requester is not None, phone=phone, email=email
    ):
        raise ContactWayNotPossible(str(draft.preferred_contact_way))
    help_request = HelpRequest(
        reference=next_reference(session, HELP_REQUEST_PREFIX, now.year),
        requester=requester,
        requester_name=name,
        requester_phone=phone,
        requester_email=email,
        subject=draft.subject.strip(),
        text=draft.text.strip(),
        transcript=list(draft.transcript),
        channel=draft.channel,
        assigned_to=assignee,
        preferred_contact_way=draft.preferred_contact_way,
        preferred_time=draft.preferred_time,
        status=HelpRequestStatus.NEW,
        created_at=now,
        updated_at=now,
    )
    session.add(help_request)
    session.flush()
    return help_request


# Working it off ----------------------------------------------------------------------------


def take(session: Session, help_request: HelpRequest, by: User) -> None:
    """Move a request from the shared queue onto `by`'s desk.

    A conditional update, so two contact persons who press the button at the same moment (on
    different portal workers) cannot both get it.
    """
    taken = session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.assigned_to_id.is_(None))
        .values(assigned_to_id=by.id, updated_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(help_request)
    if not taken:
        raise AlreadyAssigned()


def add_note(
    session: Session, help_request: HelpRequest, by: User, text: str, now: datetime | None = None
) -> HelpRequestNote:
    """A working note for staff; the requester never reads it. Also on a closed request (a call
    afterwards), as it changes nothing."""
    return _note(session, help_request, by, None, _required(text, NoteMissing), now)


def change_status(
    session: Session,
    help_request: HelpRequest,
    by: User,
    status: HelpRequestStatus,
    *,
    note: str | None = None,
    outcome: str | None = None,
    now: datetime | None = None,
) -> HelpRequestNote:
    """new -> in progress -> closed; closed -> in progress only by reopening with a note.

    Closing goes through `close` (an outcome is required), reopening through `reopen`. A closed
    request without a note for reopening is not changed (`AlreadyClosed`).
    """
    status = HelpRequestStatus(status)
    if status == HelpRequestStatus.CLOSED:
        return close(session, help_request, by, outcome or "", now=now)
    if help_request.status == HelpRequestStatus.CLOSED:
        if status == HelpRequestStatus.IN_PROGRESS and (note or "").strip():
            return reopen(session, help_request, by, note, now=now)
        raise AlreadyClosed()
    if status == help_request.status or status == HelpRequestStatus.NEW:
        raise InvalidTransition(f"{help_request.status} -> {status}")
    help_request.status = status
    return _note(session, help_request, by, status, _optional(note), now)


def close(
    session: Session,
    help_request: HelpRequest,
    by: User,
    outcome: str,
    now: datetime | None = None,
) -> HelpRequestNote:
    """Close with an outcome the requester reads. The outcome is also kept in the history, so a
    reopened and closed again request still shows what was said the first time."""
    if help_request.status == HelpRequestStatus.CLOSED:
        raise AlreadyClosed()
    outcome = _required(outcome, OutcomeMissing)
    now = now or datetime.now(UTC)
    help_request.status = HelpRequestStatus.CLOSED
    help_request.outcome = outcome
    help_request.closed_at = now
    return _note(session, help_request, by, HelpRequestStatus.CLOSED, outcome, now)


def reopen(
    session: Session,
    help_request: HelpRequest,
    by: User,
    note: str,
    now: datetime | None = None,
) -> HelpRequestNote:
    """Back to in progress, with the reason as a note. The old outcome stays in the history only:
    the requester should not read an outcome that no longer holds."""
    if help_request.status != HelpRequestStatus.CLOSED:
        raise NotClosed()
    note = _required(note, NoteMissing)
    help_request.status = HelpRequestStatus.IN_PROGRESS
    help_request.outcome = None
    help_request.closed_at = None
    return _note(session, help_request, by, HelpRequestStatus.IN_PROGRESS, note, now)


def status_history(help_request: HelpRequest) -> list[HelpRequestNote]:
    """The status changes only: what the requester may read (without the staff's texts)."""
    return [note for note in help_request.notes if note.status is not None]


# Lists -------------------------------------------------------------------------------------


class ListFilter(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"


def contact_person_requests(
    session: Session, user: User, which: ListFilter = ListFilter.OPEN, limit: int = 100
) -> list[HelpRequest]:
    """The requests on `user`'s desk plus the shared queue, newest first. The queue holds open
    requests only (a closed one always has someone who closed it)."""
    query = select(HelpRequest).where(*_desk_and_queue(user, which))
    return list(
        session.scalars(
            query.order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()).limit(limit)
        )
    )


def count_contact_person_requests(
    session: Session, user: User, which: ListFilter = ListFilter.OPEN
) -> int:
    """How many `contact_person_requests` would list without its limit."""
    query = select(func.count()).select_from(HelpRequest).where(*_desk_and_queue(user, which))
    return session.scalar(query) or 0


def _desk_and_queue(user: User, which: ListFilter) -> list:
    conditions = [or_(HelpRequest.assigned_to_id == user.id, HelpRequest.assigned_to_id.is_(None))]
    if which == ListFilter.OPEN:
        conditions.append(HelpRequest.status != HelpRequestStatus.CLOSED)
    elif which == ListFilter.CLOSED:
        conditions.append(HelpRequest.status == HelpRequestStatus.CLOSED)
    return conditions


# Helpers -----------------------------------------------------------------------------------


def _note(
    session: Session,
    help_request: HelpRequest,
    by: User,
    status: HelpRequestStatus | None,
    text: str | None,
    now: datetime | None,
) -> HelpRequestNote:
    note = HelpRequestNote(by=by, status=status, text=text, at=now or datetime.now(UTC))
    help_request.notes.append(note)
    session.flush()
    return note


def _required(text: str | None, missing: type[HelpRequestError]) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise missing()
    if len(cleaned) > TEXT_MAX:
        raise TextTooLong()
    return cleaned


def _optional(text: str | None) -> str | None:
    cleaned = (text or "").strip()
    if len(cleaned) > TEXT_MAX:
        raise TextTooLong()
    return cleaned or None
