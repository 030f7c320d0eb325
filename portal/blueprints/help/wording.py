"""Words for help requests, shared by the screens, the dashboards and the messages."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.blueprints.help.forms import CONTACT_TIMES, CONTACT_WAYS
from portal.models import ContactTime, ContactWay, HelpRequest
from portal.services.help_requests import HelpRequestError

ERRORS = {
    "contact_way": lambda: _("This way of contact is not possible. Choose another way."),
    "outcome_missing": lambda: _("Write the outcome before you close the help request."),
    "note_missing": lambda: _("Write the note."),
    "too_long": lambda: _("Use at most 5000 characters."),
    "closed": lambda: _("This help request is closed. Reopen it first."),
    "not_closed": lambda: _("This help request is not closed."),
    "transition": lambda: _("This status change is not possible."),
    "taken": lambda: _("Someone else has already taken this help request."),
}


def error_text(error: HelpRequestError) -> str:
    return ERRORS.get(error.code, lambda: _("This is not possible."))()


def contact_way_label(way: ContactWay | None) -> str:
    return str(CONTACT_WAYS[way]) if way is not None else _("No preference")


def contact_time_label(time: ContactTime | None) -> str:
    return str(CONTACT_TIMES[time]) if time is not None else _("No preference")


def preference(help_request: HelpRequest) -> str:
    """The preference in one line for tables ("Phone, mornings"); the assistant's escalations
    usually have none."""
    if help_request.preferred_contact_way is None and help_request.preferred_time is None:
        return _("No preference")
    parts = []
    if help_request.preferred_contact_way is not None:
        parts.append(contact_way_label(help_request.preferred_contact_way))
    if help_request.preferred_time not in (None, ContactTime.ANY):
        parts.append(contact_time_label(help_request.preferred_time).lower())
    return ", ".join(parts) or contact_time_label(help_request.preferred_time)
