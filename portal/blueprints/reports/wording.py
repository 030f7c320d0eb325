"""Words for meldingen, shared by the screens and the messages."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from portal.blueprints.reports.forms import STATUSES, URGENCIES
from portal.models import ProblemCategory, ProblemReportEvent, ProblemStatus, Urgency

ERRORS = {
    "worker_not_allowed": lambda: _("You cannot file a report about this worker."),
    "category_inactive": lambda: _("This category can no longer be chosen. Choose another one."),
    "text_missing": lambda: _("Write what is going on."),
    "text_too_long": lambda: _("Use at most 5000 characters."),
    "closed": lambda: _("This report is closed. Choose “Being handled” to reopen it."),
    "back_to_new": lambda: _("A report cannot go back to new."),
    "closing_needs_note": lambda: _("Write what was done before you close the report."),
    "note_missing": lambda: _("Write what was done, or choose another status."),
}


def error_text(code: str) -> str:
    return ERRORS[code]()


def category_label(category: ProblemCategory) -> str:
    return category.label_en if str(get_locale()) == "en" else category.label_nl


def urgency_label(urgency: Urgency) -> str:
    return str(URGENCIES[urgency])


def status_label(status: ProblemStatus) -> str:
    return str(STATUSES[status])


def event_text(event: ProblemReportEvent) -> str:
    """One line of the log as the reporter reads it."""
    if event.kind == "created":
        return _("Report sent")
    if event.kind == "handover":
        return _("Now handled by %(name)s, the new contact person", name=event.note)
    if event.status is not None:
        return _("Status: %(status)s", status=status_label(event.status))
    return _("Action")
