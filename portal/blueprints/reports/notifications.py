"""Messages about meldingen: a new one to the contact person, each step back to the reporter."""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.blueprints.reports.wording import category_label, status_label, urgency_label
from portal.models import InboxMessage, ProblemReport, ProblemReportEvent
from portal.notify import locale_of, notify


def notify_new_report(session: Session, report: ProblemReport) -> InboxMessage | None:
    """The worker's contact person hears of a new melding. An unassigned one (a worker without a
    contact person) waits in every contact person's list instead."""
    contact = report.contact_person
    if contact is None or not contact.active:
        return None
    with force_locale(locale_of(contact)):
        subject = _(
            "New report about %(worker)s (%(urgency)s)",
            worker=report.worker.full_name,
            urgency=urgency_label(report.urgency),
        )
        body = "\n\n".join(
            [
                _(
                    "%(reporter)s filed report %(reference)s: %(category)s.",
                    reporter=report.reporter.full_name,
                    reference=report.reference,
                    category=category_label(report.category),
                ),
                report.text,
            ]
        )
    return notify(session, contact, subject, body, _link(report))


def notify_reporter(
    session: Session, report: ProblemReport, event: ProblemReportEvent
) -> InboxMessage | None:
    """The reporter reads each step the contact person takes (never their own)."""
    reporter = report.reporter
    if event.by_id == reporter.id or not reporter.active:
        return None
    with force_locale(locale_of(reporter)):
        subject = _(
            "Your report %(reference)s: %(status)s",
            reference=report.reference,
            status=status_label(report.status),
        )
        paragraphs = [
            _(
                "%(contact)s worked on your report about %(worker)s.",
                contact=event.by.full_name if event.by else _("The contact person"),
                worker=report.worker.full_name,
            )
        ]
        if event.note:
            paragraphs.append(event.note)
    return notify(session, reporter, subject, "\n\n".join(paragraphs), _link(report))


def _link(report: ProblemReport) -> str:
    return url_for("reports.detail", reference=report.reference)
