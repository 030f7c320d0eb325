"""Messages about help requests: a new one to the contact person who has it, and every status
change back to the requester. Each is called once per event, in the transaction of the event; the
e-mail copy follows the commit (see `portal.notify.notify`)."""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.blueprints.help.wording import preference
from portal.models import HelpRequest, HelpRequestNote, HelpRequestStatus, InboxMessage
from portal.notify import locale_of, notify


def notify_new_help_request(session: Session, help_request: HelpRequest) -> InboxMessage | None:
    """Tell the assigned contact person about a new help request (from the form or the
    assistant's escalation).

    A request in the shared queue tells nobody: the queue is on every contact person's dashboard,
    and a message to all of them would make each think someone else picks it up.
    """
    contact = help_request.assigned_to
    if contact is None or not contact.active or contact.id == help_request.requester_id:
        return None
    with force_locale(locale_of(contact)):
        subject = _(
            "New help request %(reference)s from %(name)s",
            reference=help_request.reference,
            name=help_request.requester_name,
        )
        # The question itself stays in the portal: the e-mail copy should not carry it.
        body = "\n\n".join(
            [
                _(
                    "%(name)s asked for help: %(subject)s",
                    name=help_request.requester_name,
                    subject=help_request.subject,
                ),
                _("Preferred way of contact: %(preference)s", preference=preference(help_request)),
                _("Read the question and work on it in the portal."),
            ]
        )
    return notify(session, contact, subject, body, _link(help_request))


def notify_status_change(
    session: Session, help_request: HelpRequest, change: HelpRequestNote
) -> InboxMessage | None:
    """Tell the requester (if they have an account) that the status changed: in progress,
    closed with the outcome, or reopened. Never the person who acted, and never a working note.
    """
    requester = help_request.requester
    actor_id = change.by.id if change.by is not None else change.by_id
    if change.status is None or requester is None or not requester.active:
        return None
    if actor_id == requester.id:
        return None
    values = {
        "reference": help_request.reference,
        "subject": help_request.subject,
        "name": change.by.full_name if change.by else _("The contact person"),
    }
    with force_locale(locale_of(requester)):
        if change.status == HelpRequestStatus.CLOSED:
            subject = _("Help request %(reference)s has been closed", **values)
            paragraphs = [
                _("%(name)s has closed help request %(reference)s (%(subject)s).", **values),
                _("Outcome:") + "\n" + (help_request.outcome or ""),
                _("Is there still a question? Then ask for help again."),
            ]
        elif _was_closed_before(help_request, change):
            subject = _("Help request %(reference)s has been reopened", **values)
            paragraphs = [
                _(
                    "%(name)s has reopened help request %(reference)s (%(subject)s) and is "
                    "working on it again.",
                    **values,
                )
            ]
        else:
            subject = _("Help request %(reference)s is in progress", **values)
            paragraphs = [
                _("%(name)s is now working on help request %(reference)s (%(subject)s).", **values)
            ]
        body = "\n\n".join(paragraphs)
    return notify(session, requester, subject, body, _link(help_request))


def _was_closed_before(help_request: HelpRequest, change: HelpRequestNote) -> bool:
    return any(
        note.status == HelpRequestStatus.CLOSED
        for note in help_request.notes
        if note is not change and note.id is not None and note.id < (change.id or 0)
    )


def _link(help_request: HelpRequest) -> str:
    return url_for("help.detail", reference=help_request.reference)
