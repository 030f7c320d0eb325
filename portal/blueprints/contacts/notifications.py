"""Messages on a hand-over: the worker (or the employer's users) and both contact persons."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Employer, InboxMessage, Role, User
from portal.notify import contact_lines, locale_of, notify
from portal.services.contacts import CaseloadHandover, Handover


def notify_handover(
    session: Session,
    handover: Handover,
    *,
    by: User,
    worker: User | None = None,
    employer: Employer | None = None,
    tell_contact_persons: bool = True,
) -> list[InboxMessage]:
    """One message per person concerned; never to the person who recorded the hand-over.
    Without `tell_contact_persons` only the worker or the employer's users are told (a caseload
    hand-over tells the contact persons once, in `notify_caseload_handover`)."""
    new = handover.current.contact_person
    old = handover.previous.contact_person if handover.previous else None
    day = handover.current.starts_on
    name = worker.full_name if worker is not None else employer.name
    messages = []
    for person in _served(session, worker, employer):
        with force_locale(locale_of(person)):
            subject = _("You have a new contact person")
            paragraphs = [
                _(
                    "From %(date)s, %(name)s is the fixed contact person for %(whom)s.",
                    date=format_date(day, format="long"),
                    name=new.full_name,
                    whom=_("you") if worker is not None else employer.name,
                ),
                *contact_lines(new),
            ]
        messages.append(notify(session, person, subject, "\n\n".join(paragraphs), "/dashboard"))
    if not tell_contact_persons:
        return messages
    link = _history_link(worker, employer)
    if new.id != by.id:
        with force_locale(locale_of(new)):
            paragraphs = [
                _(
                    "From %(date)s you are the contact person of %(name)s.",
                    date=format_date(day, format="long"),
                    name=name,
                )
            ]
            if old is not None:
                paragraphs.append(_("Previous contact person: %(name)s.", name=old.full_name))
            if handover.current.note:
                paragraphs.append(_("Note:") + " " + handover.current.note)
            moved = handover.moved_reports + handover.moved_help_requests
            if moved:
                paragraphs.append(_("Open reports and help requests moved to you: %(n)d.", n=moved))
            subject = _("You are now the contact person of %(name)s", name=name)
        messages.append(notify(session, new, subject, "\n\n".join(paragraphs), link))
    if old is not None and old.id != by.id and old.active:
        with force_locale(locale_of(old)):
            subject = _("%(name)s has a new contact person", name=name)
            body = _(
                "From %(date)s, %(new)s is the contact person of %(name)s instead of you.",
                date=format_date(day, format="long"),
                new=new.full_name,
                name=name,
            )
        messages.append(notify(session, old, subject, body, link))
    return messages


def notify_caseload_handover(
    session: Session, handover: CaseloadHandover, *, leaving: User, new: User, on: date, by: User
) -> list[InboxMessage]:
    """One message each to the new and the leaving contact person, listing who moved, and the
    usual message to every worker and employer user."""
    messages = []
    for item in handover.items:
        messages += notify_handover(
            session,
            item.handover,
            by=by,
            worker=item.worker,
            employer=item.employer,
            tell_contact_persons=False,
        )
    names = sorted(
        item.worker.full_name if item.worker is not None else item.employer.name
        for item in handover.items
    )
    listing = "\n".join(f"- {name}" for name in names)
    note = handover.items[0].handover.current.note if handover.items else None
    if new.id != by.id:
        with force_locale(locale_of(new)):
            paragraphs = [
                _(
                    "From %(date)s you are the contact person of %(count)d workers and employers "
                    "of %(name)s:",
                    date=format_date(on, format="long"),
                    count=len(names),
                    name=leaving.full_name,
                ),
                listing,
            ]
            if note:
                paragraphs.append(_("Note:") + " " + note)
            subject = _(
                "You are now the contact person of the caseload of %(name)s", name=leaving.full_name
            )
        body = "\n\n".join(paragraphs)
        messages.append(notify(session, new, subject, body, url_for("contacts.index")))
    if leaving.id != by.id and leaving.active:
        with force_locale(locale_of(leaving)):
            subject = _("Your caseload has a new contact person")
            body = "\n\n".join(
                [
                    _(
                        "From %(date)s, %(new)s is the contact person of your %(count)d workers "
                        "and employers instead of you:",
                        date=format_date(on, format="long"),
                        new=new.full_name,
                        count=len(names),
                    ),
                    listing,
                ]
            )
        messages.append(notify(session, leaving, subject, body, "/dashboard"))
    return messages


def _served(session: Session, worker: User | None, employer: Employer | None) -> list[User]:
    if worker is not None:
        return [worker] if worker.active else []
    return list(
        session.scalars(
            select(User)
            .where(User.role == Role.EMPLOYER, User.active, User.employer_id == employer.id)
            .order_by(User.id)
        )
    )


def _history_link(worker: User | None, employer: Employer | None) -> str:
    if worker is not None:
        return url_for("contacts.worker", worker_id=worker.id)
    return url_for("contacts.employer", employer_id=employer.id)
