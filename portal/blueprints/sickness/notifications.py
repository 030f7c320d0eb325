"""Messages about a ziekmelding and its recovery.

Who hears it: always the worker's contact person; when the worker reports, the employer users of
the placement; when an employer user or the contact person reports, the worker (and, when the
contact person reports, the employer too: the employer has to act at once). Never the person who
reported it, and each person once. The messages say nothing about the illness, and leave the
free-text remark out of the e-mail copy.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.blueprints.sickness.wording import step_title, step_when
from portal.models import InboxMessage, Role, SickReport, User
from portal.notify import locale_of, notify, placement_employer_users
from portal.services.contacts import current_assignment
from portal.services.sickness import guidance_for


def recipients(session: Session, report: SickReport, reporter: User) -> list[User]:
    """Whom to tell of a report or recovery by `reporter`, in a fixed order, each once."""
    people: list[User] = []
    assignment = current_assignment(session, worker=report.worker)
    if assignment is not None:
        people.append(assignment.contact_person)
    if reporter.role != Role.WORKER:
        people.append(report.worker)
    if reporter.role in (Role.WORKER, Role.CONTACT_PERSON) and report.placement is not None:
        people += placement_employer_users(session, report.placement)
    seen: set[int] = {reporter.id}
    unique = []
    for person in people:
        if person.id not in seen and person.active:
            seen.add(person.id)
            unique.append(person)
    return unique


def notify_sick_report(session: Session, report: SickReport, today: date) -> list[InboxMessage]:
    """Tell everyone concerned of a new ziekmelding (in the caller's transaction)."""
    messages = []
    for user in recipients(session, report, report.reported_by):
        with force_locale(locale_of(user)):
            subject, body = _sick_message(report, user, today)
        messages.append(notify(session, user, subject, body, _link(report)))
    return messages


def notify_recovery(session: Session, report: SickReport, today: date) -> list[InboxMessage]:
    """Tell everyone concerned that the worker is better again."""
    messages = []
    for user in recipients(session, report, report.recovery_reported_by):
        with force_locale(locale_of(user)):
            subject, body = _recovery_message(report, user, today)
        messages.append(notify(session, user, subject, body, _link(report)))
    return messages


def _long(day: date) -> str:
    return format_date(day, format="long")


def _by(report: SickReport, reporter: User, first: str) -> str:
    if reporter.id == report.worker_id:
        return _(
            "%(worker)s reported sick from %(date)s.", worker=report.worker.full_name, date=first
        )
    return _(
        "%(reporter)s reported %(worker)s sick from %(date)s.",
        reporter=reporter.full_name,
        worker=report.worker.full_name,
        date=first,
    )


def _sick_message(report: SickReport, user: User, today: date) -> tuple[str, str]:
    first = _long(report.first_sick_day)
    if user.id == report.worker_id:
        paragraphs = [
            _("Hello %(name)s", name=user.first_name) + ",",
            _(
                "%(reporter)s reported you sick from %(date)s.",
                reporter=report.reported_by.full_name,
                date=first,
            ),
            _("In the portal you can read what happens now and what you need to do."),
            _("Get well soon!"),
        ]
        return _("You have been reported sick"), "\n\n".join(paragraphs)
    paragraphs = [_by(report, report.reported_by, first)]
    if report.partially_working and report.working_percent:
        paragraphs.append(
            _("Still working part of the time: %(percent)s.", percent=f"{report.working_percent} %")
        )
    paragraphs += _next_step_lines(report, today)
    subject = _("Sick report: %(worker)s", worker=report.worker.full_name)
    return subject, "\n\n".join(paragraphs)


def _recovery_message(report: SickReport, user: User, today: date) -> tuple[str, str]:
    day = _long(report.recovered_on)
    if user.id == report.worker_id:
        paragraphs = [
            _("Hello %(name)s", name=user.first_name) + ",",
            _(
                "%(reporter)s reported that you are better again from %(date)s.",
                reporter=report.recovery_reported_by.full_name,
                date=day,
            ),
            _("Good to hear that you are better!"),
        ]
        return _("You have been reported better"), "\n\n".join(paragraphs)
    if report.recovery_reported_by_id == report.worker_id:
        opening = _(
            "%(worker)s reported being better again from %(date)s.",
            worker=report.worker.full_name,
            date=day,
        )
    else:
        opening = _(
            "%(reporter)s reported that %(worker)s is better again from %(date)s.",
            reporter=report.recovery_reported_by.full_name,
            worker=report.worker.full_name,
            date=day,
        )
    paragraphs = [opening]
    paragraphs += _next_step_lines(report, today)
    subject = _("Better again: %(worker)s", worker=report.worker.full_name)
    return subject, "\n\n".join(paragraphs)


def _next_step_lines(report: SickReport, today: date) -> list[str]:
    step = guidance_for(report, today).next_step
    lines = []
    if step is not None:
        lines.append(
            _("Next step: %(step)s. %(when)s.", step=step_title(step), when=step_when(step))
        )
    lines.append(_("The portal shows who is in charge and every step with its date."))
    return lines


def _link(report: SickReport) -> str:
    return url_for("sickness.detail", report_id=report.id)
