"""Messages to users: an inbox message in the recipient's language, plus an e-mail copy.

The inbox message is the record of truth. The e-mail copy goes out only after the transaction
that stored the inbox message has committed, and at most once; whether it went out is in the log.
Without MAIL_SERVER no e-mail is sent at all (logged, not an error).
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session, scoped_session
from werkzeug.routing import BuildError

from portal.labels import label
from portal.models import InboxMessage, Placement, Role, Side, User
from portal.services.contacts import current_assignment
from portal.services.placement_workflow import extend_yearly_moments
from portal.services.reminders import (
    Audience,
    Recipient,
    Reminder,
    ReminderKind,
    RunResult,
    run_reminders,
)

logger = logging.getLogger(__name__)

DEFAULT_LOCALE = "nl"
_OUTBOX = "portal.notify.outbox"
_LISTENING = "portal.notify.listening"

MOMENT_KINDS = {
    "trial_end": _l("end of the trial placement"),
    "after_start": _l("after the start"),
    "before_contract_end": _l("before the contract ends"),
    "yearly": _l("yearly check-in"),
}


@dataclass(frozen=True)
class MailSettings:
    server: str | None
    port: int = 25
    use_tls: bool = False
    username: str | None = None
    password: str | None = None
    sender: str = "no-reply@localhost"
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping) -> MailSettings:
        return cls(
            server=config.get("MAIL_SERVER"),
            port=int(config.get("MAIL_PORT", 25)),
            use_tls=bool(config.get("MAIL_USE_TLS", False)),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
            sender=config.get("MAIL_FROM") or cls.sender,
            timeout=float(config.get("MAIL_TIMEOUT", 10.0)),
        )


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    body: str


def recipient_ref(address: str) -> str:
    """A stable, opaque stand-in for an e-mail address in the logs: no personal data there."""
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:12]
    return f"rcpt-{digest}"


def send_email(settings: MailSettings, mail: OutgoingMail) -> bool:
    """Send one e-mail over SMTP. False when no mail server is configured; raises on failure."""
    if not settings.server:
        logger.info("e-mail to %s skipped: MAIL_SERVER is not set", recipient_ref(mail.to))
        return False
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(mail.body)
    with smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout) as smtp:
        if settings.use_tls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)
    logger.info("e-mail to %s sent", recipient_ref(mail.to))
    return True


def locale_of(user: User | Recipient) -> str:
    """The user's language if the portal has it, else Dutch."""
    languages = current_app.config.get("LANGUAGES", (DEFAULT_LOCALE,))
    return user.locale if user.locale in languages else DEFAULT_LOCALE


def _path(endpoint: str, **values) -> str | None:
    """A path inside the portal, also outside a request (the CLI). None if the page is missing."""
    try:
        if has_request_context():
            return url_for(endpoint, **values)
        adapter = current_app.url_map.bind(
            "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
        )
        return adapter.build(endpoint, values)
    except BuildError:
        return None


def _email_for(to: str, subject: str, body: str, link: str | None) -> OutgoingMail:
    """The e-mail copy of an inbox message; call it inside the recipient's `force_locale`."""
    parts = [body, _("This message is also in your inbox in the portal.")]
    base = current_app.config.get("PORTAL_BASE_URL")
    if base and link:
        parts.append(base.rstrip("/") + link)
    return OutgoingMail(to=to, subject=subject, body="\n\n".join(parts))


def _long_date(day: date) -> str:
    return format_date(day, format="long")


# Reminders ---------------------------------------------------------------------------------


def render_reminder(reminder: Reminder, user: Recipient) -> tuple[str, str, str | None]:
    """Subject, body and link of a reminder, in the recipient's language."""
    params = reminder.params
    link = _path("placements.detail", placement_id=reminder.placement_id)
    with force_locale(locale_of(user)):
        names = {"worker": params["worker_name"], "employer": params["employer_name"]}
        if reminder.kind == ReminderKind.CONTRACT_END:
            day = _long_date(params["end"])
            subject = _("Contract of %(worker)s ends on %(date)s", worker=names["worker"], date=day)
            opening = _(
                "The temporary contract of %(worker)s at %(employer)s ends on %(date)s.",
                date=day,
                **names,
            )
            if params["audience"] == Audience.EMPLOYER:
                paragraphs = [
                    opening,
                    _(
                        "Please record your decision in the portal: renew the contract, offer a "
                        "permanent contract or let the contract end. Are you in doubt? Call your "
                        "contact person at the employer service point early."
                    ),
                    _(
                        "For a contract of six months or longer you must tell the worker in "
                        "writing, at least one month before the end date, whether the contract "
                        "will continue (aanzegplicht)."
                    ),
                ]
            else:
                paragraphs = [
                    opening,
                    _(
                        "The employer has not recorded a decision yet. Contact the employer and "
                        "the worker about what comes next."
                    ),
                ]
        else:
            day = _long_date(params["due"])
            moment = str(MOMENT_KINDS.get(params["moment_kind"], _("evaluation")))
            if reminder.kind == ReminderKind.EVALUATION_DUE:
                subject = _(
                    "Evaluation of %(worker)s due on %(date)s", worker=names["worker"], date=day
                )
                paragraphs = [
                    _(
                        "The evaluation (%(moment)s) of %(worker)s at %(employer)s is due on "
                        "%(date)s. Plan it with the worker and the supervisor.",
                        moment=moment,
                        date=day,
                        **names,
                    )
                ]
            else:
                subject = _("Evaluation of %(worker)s is overdue", worker=names["worker"])
                paragraphs = [
                    _(
                        "The evaluation (%(moment)s) of %(worker)s at %(employer)s was due on "
                        "%(date)s and has not been held yet. Plan it soon: a missed evaluation "
                        "is a risk signal.",
                        moment=moment,
                        date=day,
                        **names,
                    )
                ]
    return subject, "\n\n".join(paragraphs), link


def deliver_email(user: Recipient, subject: str, body: str, link: str | None) -> bool:
    """The e-mail copy of a reminder that is already in the inbox (used by the runner)."""
    with force_locale(locale_of(user)):
        mail = _email_for(user.email, subject, body, link)
    return send_email(MailSettings.from_config(current_app.config), mail)


def run_reminders_now(session: Session, today: date) -> RunResult:
    """Run the reminder job with the portal's texts and mail settings.

    First the yearly check-ins of permanent placements that came within the planning horizon are
    added, so they get their reminders in time.
    """
    extend_yearly_moments(session, today)
    session.commit()
    return run_reminders(session, today, deliver_email, render=render_reminder)


# Messages sent as part of a change (start of a placement) ----------------------------------


def _real_session(session: Session) -> Session:
    return session() if isinstance(session, scoped_session) else session


def _send_outbox(session: Session) -> None:
    mails, session.info[_OUTBOX] = session.info.get(_OUTBOX, []), []
    for settings, mail in mails:
        try:
            send_email(settings, mail)
        except Exception:  # noqa: BLE001 - committed already; the inbox has the message
            logger.exception("e-mail to %s failed", recipient_ref(mail.to))


def _drop_outbox(session: Session) -> None:
    session.info[_OUTBOX] = []  # the inbox messages were rolled back: no e-mail either


def queue_after_commit(session: Session, mail: OutgoingMail) -> None:
    """Send `mail` once the session's transaction commits; forget it on a rollback."""
    real = _real_session(session)
    if not real.info.get(_LISTENING):
        event.listen(real, "after_commit", _send_outbox)
        event.listen(real, "after_rollback", _drop_outbox)
        real.info[_LISTENING] = True
    settings = MailSettings.from_config(current_app.config)
    real.info.setdefault(_OUTBOX, []).append((settings, mail))


def notify(
    session: Session, user: User, subject: str, body: str, link: str | None = None
) -> InboxMessage:
    """Put a message in the user's inbox (flushed, not committed); e-mail it after the commit."""
    message = InboxMessage(user_id=user.id, subject=subject[:200], body=body, link=link)
    session.add(message)
    session.flush()
    with force_locale(locale_of(user)):
        queue_after_commit(session, _email_for(user.email, subject, body, link))
    return message


def placement_employer_users(session: Session, placement: Placement) -> list[User]:
    """Whom to tell at the employer: the supervisor if set, else every active employer user."""
    if placement.supervisor_id is not None:
        supervisor = session.get(User, placement.supervisor_id)
        if supervisor is not None and supervisor.active:
            return [supervisor]
    return list(
        session.scalars(
            select(User)
            .where(
                User.role == Role.EMPLOYER,
                User.active,
                User.employer_id == placement.employer_id,
            )
            .order_by(User.id)
        )
    )


def contact_lines(contact: User | None) -> list[str]:
    """The fixed contact person (or the WSP without one) as message lines, in the current locale."""
    if contact is None:
        wsp = current_app.config
        return [
            _("You do not have a fixed contact person yet. The employer service point helps you:"),
            "\n".join(
                [
                    wsp["WSP_NAME"],
                    _("Phone: %(phone)s", phone=wsp["WSP_PHONE"]),
                    _("E-mail: %(email)s", email=wsp["WSP_EMAIL"]),
                ]
            ),
        ]
    lines = [contact.full_name]
    if contact.executing_organisation is not None:
        lines[0] += f" ({contact.executing_organisation.name})"
    if contact.phone:
        lines.append(_("Phone: %(phone)s", phone=contact.phone))
    lines.append(_("E-mail: %(email)s", email=contact.email))
    return [_("Your fixed contact person, whom you can always call:"), "\n".join(lines)]


def _worker_start_message(placement: Placement, contact: User | None) -> tuple[str, str]:
    """In plain language (B1): short sentences, one message per paragraph."""
    employer = placement.employer.name
    subject = _("Your new job at %(employer)s", employer=employer)
    paragraphs = [
        _("Hello %(name)s", name=placement.worker.first_name) + ",",
        _(
            "You start at %(employer)s on %(date)s. Good luck!",
            employer=employer,
            date=_long_date(placement.start_date),
        ),
        _(
            "A new job brings many changes. That can be hard. Is something changing at work? "
            "Or is something not going well? Then call us early. Do not wait until it becomes a "
            "problem."
        ),
        *contact_lines(contact),
    ]
    return subject, "\n\n".join(paragraphs)


def _employer_start_message(placement: Placement, contact: User | None) -> tuple[str, str]:
    worker = placement.worker.full_name
    employer = placement.employer.name
    subject = _("%(worker)s starts at %(employer)s", worker=worker, employer=employer)
    paragraphs = [
        _(
            "%(worker)s starts at %(employer)s on %(date)s (%(phase)s).",
            worker=worker,
            employer=employer,
            date=_long_date(placement.start_date),
            phase=label(placement.phase),
        ),
        _(
            "Changes are a risk for a good start: a new manager, other tasks, a reorganisation, "
            "or worries about health or at home. Ring the bell early, before it becomes a "
            "problem. Together we look for a solution, for example jobcoaching, the no-riskpolis "
            "or an adaptation of the workplace."
        ),
        *contact_lines(contact),
    ]
    return subject, "\n\n".join(paragraphs)


def send_start_message(session: Session, placement: Placement) -> list[InboxMessage]:
    """DESIGN §7: at the start both sides hear that changes are a risk, to ring the bell early,
    and whom to call. The worker in plain Dutch; the employer users with the employer's contact.
    Inbox messages are flushed with the caller's transaction; e-mails follow its commit."""
    session.flush()
    link = _path("placements.detail", placement_id=placement.id)
    messages = []
    worker = placement.worker
    if worker.active:
        assignment = current_assignment(session, worker=worker)
        with force_locale(locale_of(worker)):
            subject, body = _worker_start_message(
                placement, assignment.contact_person if assignment else None
            )
        messages.append(notify(session, worker, subject, body, link))
    # The employer's own contact person; the worker's one while the employer has none yet.
    assignment = current_assignment(session, employer=placement.employer) or (
        current_assignment(session, worker=worker)
    )
    contact = assignment.contact_person if assignment else None
    for user in placement_employer_users(session, placement):
        with force_locale(locale_of(user)):
            subject, body = _employer_start_message(placement, contact)
        messages.append(notify(session, user, subject, body, link))
    return messages


# Evaluations -------------------------------------------------------------------------------


def notify_evaluation_submitted(session: Session, response) -> InboxMessage | None:
    """Tell the worker's contact person when a submission raises a signal (a difference of 2 or
    more points, low energy, a request to talk) or completes both views of a moment."""
    from portal.services.evaluations import latest_submitted, moment_signals

    moment = response.moment
    placement = moment.placement
    assignment = current_assignment(session, worker=placement.worker)
    if assignment is None or not assignment.contact_person.active:
        return None
    found = moment_signals(session, moment)
    other = Side.SUPERVISOR if response.side == Side.WORKER else Side.WORKER
    both_in = latest_submitted(session, moment.id, other) is not None
    if not found and not both_in:
        return None
    contact = assignment.contact_person
    link = _path("evaluations.comparison", moment_id=moment.id)
    with force_locale(locale_of(contact)):
        from portal.blueprints.evaluations.wording import moment_label, signal_text

        worker = placement.worker.full_name
        if found:
            subject = _("Evaluation of %(worker)s: please take a look", worker=worker)
        else:
            subject = _("Both views of the evaluation of %(worker)s are in", worker=worker)
        paragraphs = [
            _(
                "%(side)s filled in the evaluation (%(moment)s) of %(worker)s at %(employer)s.",
                side=_("The worker") if response.side == Side.WORKER else _("The supervisor"),
                moment=moment_label(moment),
                worker=worker,
                employer=placement.employer.name,
            )
        ]
        if found:
            paragraphs.append(
                _("Signals:") + "\n" + "\n".join(f"- {signal_text(s)}" for s in found)
            )
        if both_in:
            paragraphs.append(_("Compare both views and plan the follow-up conversation."))
        else:
            paragraphs.append(_("The other side has not answered yet."))
        body = "\n\n".join(paragraphs)
    return notify(session, contact, subject, body, link)
