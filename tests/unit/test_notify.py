"""Messages in the recipient's language, the e-mail copy through a real local SMTP server, the
start message of a placement and the `flask reminders` command."""

from datetime import date

import pytest
from sqlalchemy import func, select

from devtools.processes import free_port
from portal.extensions import db
from portal.models import InboxMessage, SentReminder
from portal.notify import render_reminder, run_reminders_now, send_start_message
from portal.services.reminders import Audience, Recipient, Reminder, ReminderKind
from tests.conftest import EMPLOYER, OTHER_WORKER
from tests.fixtures.contracts import END, start_temporary

DAY = date(2026, 6, 30)  # 3 months before END


def _recipient(locale):
    return Recipient(1, "iemand@example.nl", "Marieke", "Peters", locale)


def _contract_reminder(audience):
    return Reminder(
        key="contract-end:1:3m:1",
        user_id=1,
        kind=ReminderKind.CONTRACT_END,
        placement_id=1,
        params={
            "audience": audience,
            "end": END,
            "lead_months": 3,
            "contract_id": 1,
            "worker_name": "Daan Visser",
            "employer_name": "Bakkerij De Korenschoof",
        },
    )


def test_reminder_is_rendered_in_the_recipients_language(app_ctx):
    reminder = _contract_reminder(Audience.EMPLOYER)
    subject, body, _link = render_reminder(reminder, _recipient(None))
    assert subject == "Contract van Daan Visser eindigt op 30 september 2026"
    assert "Het tijdelijke contract van Daan Visser bij Bakkerij De Korenschoof" in body
    assert "aanzegplicht" in body

    subject, body, _link = render_reminder(reminder, _recipient("en"))
    assert subject == "Contract of Daan Visser ends on September 30, 2026"
    assert "Please record your decision in the portal" in body


def test_contact_person_and_employer_get_different_texts(app_ctx):
    _, employer_body, _ = render_reminder(_contract_reminder(Audience.EMPLOYER), _recipient("nl"))
    _, contact_body, _ = render_reminder(
        _contract_reminder(Audience.CONTACT_PERSON), _recipient("nl")
    )
    assert "besluit" in employer_body and "aanzegplicht" in employer_body
    assert "nog geen besluit vastgelegd" in contact_body
    assert "aanzegplicht" not in contact_body


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        (ReminderKind.EVALUATION_DUE, "Evaluatie van Daan Visser gepland op 1 juli 2026"),
        (ReminderKind.EVALUATION_OVERDUE, "Evaluatie van Daan Visser is te laat"),
    ],
)
def test_evaluation_reminders_in_dutch(app_ctx, kind, subject):
    reminder = Reminder(
        key=f"{kind}:5:1",
        user_id=1,
        kind=kind,
        placement_id=1,
        params={
            "audience": Audience.CONTACT_PERSON,
            "due": date(2026, 7, 1),
            "moment_kind": "after_start",
            "moment_id": 5,
            "worker_name": "Daan Visser",
            "employer_name": "Bakkerij De Korenschoof",
        },
    )
    rendered_subject, body, _ = render_reminder(reminder, _recipient("nl"))
    assert rendered_subject == subject
    assert "(na de start)" in body and "1 juli 2026" in body


def test_reminder_email_arrives_in_dutch(people, smtp):
    start_temporary(people)
    result = run_reminders_now(db.session, DAY)
    assert result.sent == 4  # contract end to contact and HR, two evaluations to the contact

    by_recipient = {tuple(to): message for to, message in smtp.messages}
    assert len(smtp.messages) == 4
    to_hr = by_recipient[(EMPLOYER,)]
    assert to_hr["Subject"] == "Contract van Daan Visser eindigt op 30 september 2026"
    assert to_hr["From"] == "herinneringen@wsp-demo.nl"
    text = to_hr.get_content()
    assert "Wilt u uw besluit vastleggen in het portaal" in text
    assert "Dit bericht staat ook in uw inbox in het portaal." in text
    assert "https://portaal.example/plaatsingen/" in text  # PORTAL_BASE_URL + the inbox link
    inbox = db.session.scalars(
        select(InboxMessage).where(InboxMessage.user_id == people["hr"].id)
    ).one()
    assert inbox.subject == to_hr["Subject"]

    # A second run sends no e-mail again.
    assert run_reminders_now(db.session, DAY).sent == 0
    assert len(smtp.messages) == 4


def test_english_user_gets_english_email(people, smtp):
    people["hr"].locale = "en"
    db.session.commit()
    start_temporary(people)
    run_reminders_now(db.session, DAY)
    [(_, message)] = [(to, m) for to, m in smtp.messages if to == [EMPLOYER]]
    assert message["Subject"] == "Contract of Daan Visser ends on September 30, 2026"


def test_without_mail_server_only_the_inbox_is_used(people, caplog):
    caplog.set_level("INFO", logger="portal.notify")
    start_temporary(people)
    result = run_reminders_now(db.session, DAY)
    assert (result.sent, result.failed) == (4, 0)
    assert db.session.scalar(select(func.count(InboxMessage.id))) == 4
    assert "MAIL_SERVER is not set" in caplog.text


def test_unreachable_mail_server_keeps_the_inbox_message(app, people, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    start_temporary(people)
    result = run_reminders_now(db.session, DAY)
    assert result.sent == 4
    assert db.session.scalar(select(func.count(InboxMessage.id))) == 4
    assert "e-mail to user" in caplog.text


def _inbox_of(user):
    return db.session.scalars(select(InboxMessage).where(InboxMessage.user_id == user.id)).all()


def test_start_message_to_worker_in_plain_dutch_and_to_employer(people, smtp):
    placement = start_temporary(people)
    send_start_message(db.session, placement)
    db.session.commit()

    [to_worker] = _inbox_of(people["worker"])
    assert to_worker.subject == "Uw nieuwe baan bij Bakkerij De Korenschoof"
    assert to_worker.body.startswith("Hallo Daan,")
    assert "Op 1 april 2026 begint u bij Bakkerij De Korenschoof." in to_worker.body
    assert "Bel ons dan op tijd." in to_worker.body
    # The worker's own contact person, with phone and e-mail.
    contact = people["worker_contact"]
    assert contact.full_name in to_worker.body
    assert contact.phone in to_worker.body and contact.email in to_worker.body

    [to_hr] = _inbox_of(people["hr"])
    assert to_hr.subject == "Daan Visser begint bij Bakkerij De Korenschoof"
    assert "Trek op tijd aan de bel" in to_hr.body
    # The employer's contact person is the one HR calls.
    assert people["contact"].full_name in to_hr.body
    assert people["contact"].phone in to_hr.body

    # E-mail copies went out after the commit.
    assert sorted(to for to, _ in smtp.messages) == sorted([[OTHER_WORKER], [EMPLOYER]])


def test_start_message_goes_to_the_supervisor_only_when_set(people):
    placement = start_temporary(people, supervisor_id=people["hr"].id)
    messages = send_start_message(db.session, placement)
    assert sorted(m.user_id for m in messages) == sorted([people["worker"].id, people["hr"].id])


def test_no_email_when_the_start_is_rolled_back(people, smtp):
    placement = start_temporary(people)
    send_start_message(db.session, placement)
    db.session.rollback()
    assert db.session.scalar(select(func.count(InboxMessage.id))) == 0
    db.session.commit()  # a later commit must not send what was rolled back
    assert smtp.messages == []


def test_start_message_without_contact_person_names_the_service_point(app, people):
    from portal.models import ContactAssignment

    db.session.query(ContactAssignment).delete()
    db.session.commit()
    placement = start_temporary(people)
    send_start_message(db.session, placement)
    [to_worker] = _inbox_of(people["worker"])
    assert "nog geen vaste contactpersoon" in to_worker.body
    assert app.config["WSP_PHONE"] in to_worker.body


def test_reminders_command(app, people):
    start_temporary(people)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "--today", DAY.isoformat()])
    assert first.exit_code == 0, first.output
    assert "4 sent, 0 skipped" in first.output
    second = runner.invoke(args=["reminders", "--today", DAY.isoformat()])
    assert "0 sent, 4 skipped" in second.output
    assert db.session.scalar(select(func.count(SentReminder.id))) == 4


def test_reminders_command_refuses_a_bad_date(app):
    result = app.test_cli_runner().invoke(args=["reminders", "--today", "30-06-2026"])
    assert result.exit_code != 0
    assert "does not match the format" in result.output
