"""A contact person creates accounts: a worker for their own caseload and a user of an employer
in their caseload. The person gets the invitation through the real e-mail (a local SMTP server),
in the chosen language, chooses a password with its link and logs in. Other roles, and employers
outside the caseload, are refused; a form sent twice creates one account."""

from __future__ import annotations

import re
import time
from datetime import date
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.models import (
    AccountToken,
    ContactAssignment,
    Employer,
    Municipality,
    Regime,
    Role,
    TokenPurpose,
    User,
)
from portal.security import verify_password
from portal.services.accounts import temporary_password
from tests.conftest import (
    ADMIN,
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    MANAGER,
    OTHER_CONTACT,
    WORKER,
    user_by_email,
)
from tests.fixtures.mail import wait_for_mail
from tests.support.access import current_contact

NEW_WORKER_PATH = "/contactpersonen/nieuwe-werknemer"
NEW_PASSWORD = "fiets zon koffie tafel"
LINK = re.compile(r"https://portaal\.example(/wachtwoord-instellen/[\w-]+)")
KEY = re.compile(r'name="submission" type="hidden" value="([0-9a-f]{32})"')


def _html(response) -> str:
    return unescape(response.get_data(as_text=True))


def _dutch(app, msgid: str, **values) -> str:
    """The Dutch text of a message as the portal shows it now (also before the new texts are in
    the translation files)."""
    with app.test_request_context(), force_locale("nl"):
        return gettext(msgid, **values)


def _municipality(name: str) -> int:
    return db.session.scalar(select(Municipality.id).where(Municipality.name == name))


def _employer_of(contact_email: str) -> Employer:
    """An employer whose current contact person this is."""
    return db.session.scalar(
        select(Employer)
        .join(ContactAssignment, ContactAssignment.employer_id == Employer.id)
        .join(User, User.id == ContactAssignment.contact_person_id)
        .where(User.email == contact_email, ContactAssignment.ends_on.is_(None))
        .order_by(Employer.id)
        .limit(1)
    )


def _employer_user_path(employer: Employer) -> str:
    return f"/contactpersonen/werkgever/{employer.id}/nieuwe-gebruiker"


def _key(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    return KEY.search(page.get_data(as_text=True)).group(1)


def _new_worker(client, **fields):
    data = {
        "first_name": "Wim",
        "last_name": "Wessels",
        "email_address": "wim@example.org",
        "phone": "06 12345678",
        "regime": "participatiewet",
        "municipality": _municipality("Utrecht"),
        "in_doelgroepregister": "y",
        "locale": "nl",
    }
    data.update(fields)
    if "submission" not in data:
        data["submission"] = _key(client, NEW_WORKER_PATH)
    return client.post(NEW_WORKER_PATH, data=data)


def _new_employer_user(client, employer: Employer, **fields):
    data = {
        "first_name": "Ella",
        "last_name": "Eigenaar",
        "email_address": "ella@example.org",
        "phone": "",
        "locale": "nl",
    }
    data.update(fields)
    if "submission" not in data:
        data["submission"] = _key(client, _employer_user_path(employer))
    return client.post(_employer_user_path(employer), data=data)


def _invitation(smtp, email: str):
    """The one e-mail to this address, with its link to choose a password."""
    messages = [message for rcpts, message in wait_for_mail(smtp, 1) if rcpts == [email]]
    assert len(messages) == 1
    return messages[0]


def _no_more_mail(smtp, count: int) -> None:
    time.sleep(0.5)  # an e-mail that would be sent after the commit has arrived by now
    assert len(smtp.messages) == count


def _choose_password_and_log_in(client, auth, message, email: str):
    auth.logout()
    path = LINK.search(message.get_content()).group(1)
    chosen = client.post(path, data={"new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD})
    assert chosen.status_code == 302 and chosen.location == "/inloggen"
    answer = auth.login(email, NEW_PASSWORD)
    assert answer.status_code == 302 and answer.location == "/dashboard"
    return client.get("/dashboard", follow_redirects=True)


def _count_users(email: str) -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.email == email))


# --- A new worker -----------------------------------------------------------------------------


def test_a_worker_registered_by_the_contact_person_gets_in_through_the_invitation(
    client, auth, demo, smtp
):
    auth.login(CONTACT)
    page = _html(client.get(NEW_WORKER_PATH))
    assert page.count("<h1") == 1 and 'name="locale"' in page
    answer = _new_worker(client)
    wim = user_by_email("wim@example.org")
    assert answer.status_code == 302 and answer.location == f"/contactpersonen/werknemer/{wim.id}"
    shown = _html(client.get(answer.location))
    assert (
        _dutch(client.application, "An invitation has been sent to %(email)s.", email=wim.email)
        in shown
    )
    assert "Wim Wessels" in shown

    assert wim.role == Role.WORKER and wim.active and not wim.must_change_password
    assert wim.locale == "nl" and wim.phone == "06 12345678"
    assert wim.worker_profile.regime == Regime.PARTICIPATIEWET
    assert wim.worker_profile.municipality.name == "Utrecht"
    assert wim.worker_profile.in_doelgroepregister
    # no password logs in before the invitation is used: not the demo one, not an empty one
    for guess in ("", "demo-wachtwoord-2026", temporary_password()):
        assert not verify_password(wim.password_hash, guess)
    assignment = db.session.scalar(
        select(ContactAssignment).where(
            ContactAssignment.worker_id == wim.id, ContactAssignment.ends_on.is_(None)
        )
    )
    assert assignment.contact_person.email == CONTACT
    assert assignment.recorded_by.email == CONTACT and assignment.starts_on == date.today()
    # the worker is in the contact person's caseload now
    assert "Wim Wessels" in _html(client.get("/contactpersonen/"))

    message = _invitation(smtp, "wim@example.org")
    assert message["Subject"] == "Je account voor het Banenafspraak portaal"
    body = message.get_content()
    assert "Hallo Wim," in body and "Fatima el Amrani heeft een account voor je gemaakt" in body
    assert "7 dagen" in body
    dashboard = _html(_choose_password_and_log_in(client, auth, message, "wim@example.org"))
    assert "Fatima el Amrani" in dashboard  # the worker sees their contact person
    token = db.session.scalar(select(AccountToken).where(AccountToken.user_id == wim.id))
    assert token.purpose == TokenPurpose.INVITATION and token.used_at is not None


def test_the_invitation_is_in_english_when_english_is_chosen(client, auth, demo, smtp):
    auth.login(CONTACT)
    answer = _new_worker(client, email_address="Tom@Example.org", locale="en")
    assert answer.status_code == 302
    tom = user_by_email("tom@example.org")  # stored in lower case
    assert tom.locale == "en"
    message = _invitation(smtp, "tom@example.org")
    assert message["Subject"] == "Your account for the Banenafspraak portal"
    body = message.get_content()
    assert "Hello Wim," in body and "Fatima el Amrani made an account for you" in body
    assert "7 days" in body
    assert _choose_password_and_log_in(client, auth, message, "tom@example.org").status_code == 200


def test_an_unknown_language_becomes_dutch(client, auth, demo, smtp):
    auth.login(CONTACT)
    assert _new_worker(client, locale="xx").status_code == 302
    assert user_by_email("wim@example.org").locale == "nl"
    assert "Hallo Wim," in _invitation(smtp, "wim@example.org").get_content()


@pytest.mark.parametrize(
    ("fields", "field", "msgid"),
    [
        (
            {"email_address": WORKER.upper()},
            "email_address",
            "There is already an account with this e-mail address.",
        ),
        ({"email_address": "geen-adres"}, "email_address", None),
        ({"regime": ""}, "regime", "Choose the regime of the worker."),
        ({"regime": "koning"}, "regime", "Choose the regime of the worker."),
        ({"municipality": 0}, "municipality", "Choose the municipality of the worker."),
        ({"municipality": 999999}, "municipality", "Choose one of the options in the list."),
        ({"first_name": ""}, "first_name", "Fill in this field."),
        ({"phone": "bel me"}, "phone", None),
    ],
)
def test_bad_input_is_refused_at_the_field_and_kept(client, auth, demo, smtp, fields, field, msgid):
    auth.login(CONTACT)
    count = db.session.scalar(select(func.count(User.id)))
    answer = _new_worker(client, last_name="Bewaard", **fields)
    page = _html(answer)
    assert answer.status_code == 200
    assert f'id="{field}-error"' in page and f'href="#{field}"' in page  # and in the summary
    if msgid is not None:
        assert _dutch(client.application, msgid) in page
    assert 'value="Bewaard"' in page
    assert db.session.scalar(select(func.count(User.id))) == count
    _no_more_mail(smtp, 0)


def test_a_form_sent_twice_creates_one_account_and_one_invitation(client, auth, demo, smtp):
    auth.login(CONTACT)
    key = _key(client, NEW_WORKER_PATH)
    first = _new_worker(client, submission=key)
    again = _new_worker(client, submission=key)
    assert first.status_code == again.status_code == 302
    assert again.location == first.location
    assert _count_users("wim@example.org") == 1
    wim = user_by_email("wim@example.org")
    assert (
        db.session.scalar(
            select(func.count(ContactAssignment.id)).where(ContactAssignment.worker_id == wim.id)
        )
        == 1
    )
    _invitation(smtp, "wim@example.org")
    _no_more_mail(smtp, 1)


def test_a_failed_save_says_so_and_keeps_the_form(client, auth, demo, smtp, monkeypatch):
    import portal.blueprints.contacts.accounts as views

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database went away"))

    monkeypatch.setattr(views, "remember", broken)
    auth.login(CONTACT)
    answer = _new_worker(client, last_name="Bewaard")
    page = _html(answer)
    assert answer.status_code == 200 and 'value="Bewaard"' in page
    expected = _dutch(
        client.application,
        "The account has not been saved. What you filled in is still in the form; please try "
        "again.",
    )
    assert expected in page and 'id="error-summary"' in page
    assert user_by_email("wim@example.org") is None
    _no_more_mail(smtp, 0)


# --- A new employer user ----------------------------------------------------------------------


def test_a_user_of_an_employer_in_the_caseload_gets_in_through_the_invitation(
    client, auth, demo, smtp
):
    employer = _employer_of(CONTACT)
    auth.login(CONTACT)
    page = _html(client.get(f"/contactpersonen/werkgever/{employer.id}"))
    assert f'href="{_employer_user_path(employer)}"' in page
    form = _html(client.get(_employer_user_path(employer)))
    assert employer.name in form and form.count("<h1") == 1
    answer = _new_employer_user(client, employer, email_address="Ella@Example.org")
    assert (
        answer.status_code == 302 and answer.location == f"/contactpersonen/werkgever/{employer.id}"
    )
    shown = _html(client.get(answer.location))
    assert "Ella Eigenaar" in shown and "ella@example.org" in shown  # listed with the users

    ella = user_by_email("ella@example.org")
    assert ella.role == Role.EMPLOYER and ella.employer_id == employer.id
    assert ella.executing_organisation_id is None and ella.worker_profile is None
    assert not ella.must_change_password and not verify_password(ella.password_hash, "")
    # an employer user is not given a contact assignment of their own: the employer has one
    assert (
        db.session.scalar(
            select(ContactAssignment.id).where(ContactAssignment.worker_id == ella.id)
        )
        is None
    )

    message = _invitation(smtp, "ella@example.org")
    body = message.get_content()
    assert "Beste Ella Eigenaar," in body and "heeft een account voor u gemaakt" in body
    dashboard = _html(_choose_password_and_log_in(client, auth, message, "ella@example.org"))
    assert "Fatima el Amrani" in dashboard  # the employer's contact person


def test_an_employer_user_in_english(client, auth, demo, smtp):
    employer = _employer_of(CONTACT)
    auth.login(CONTACT)
    assert _new_employer_user(client, employer, locale="en").status_code == 302
    assert user_by_email("ella@example.org").locale == "en"
    body = _invitation(smtp, "ella@example.org").get_content()
    assert "Dear Ella Eigenaar," in body and "made an account for you" in body


def test_an_employer_users_address_must_be_new_and_the_form_is_kept(client, auth, demo, smtp):
    employer = _employer_of(CONTACT)
    auth.login(CONTACT)
    answer = _new_employer_user(client, employer, email_address=EMPLOYER, last_name="Bewaard")
    page = _html(answer)
    assert answer.status_code == 200
    assert "Er is al een account met dit e-mailadres." in page
    assert 'value="Bewaard"' in page and f'value="{EMPLOYER}"' in page
    assert _count_users(EMPLOYER) == 1
    _no_more_mail(smtp, 0)


def test_an_employer_user_form_sent_twice_creates_one_account(client, auth, demo, smtp):
    employer = _employer_of(CONTACT)
    auth.login(CONTACT)
    key = _key(client, _employer_user_path(employer))
    first = _new_employer_user(client, employer, submission=key)
    again = _new_employer_user(client, employer, submission=key)
    assert first.status_code == again.status_code == 302
    assert _count_users("ella@example.org") == 1
    _invitation(smtp, "ella@example.org")
    _no_more_mail(smtp, 1)


def test_an_employer_outside_the_caseload_is_refused(client, auth, demo, smtp):
    other = _employer_of(OTHER_CONTACT)
    assert other is not None and other.id != _employer_of(CONTACT).id
    auth.login(CONTACT)
    assert client.get(_employer_user_path(other)).status_code == 403
    refused = client.post(
        _employer_user_path(other),
        data={"first_name": "Ella", "last_name": "E", "email_address": "ella@example.org"},
    )
    assert refused.status_code == 403
    assert user_by_email("ella@example.org") is None
    assert client.get("/contactpersonen/werkgever/999999/nieuwe-gebruiker").status_code == 404
    # and the overview offers only the own employers
    overview = _html(client.get("/contactpersonen/"))
    assert _employer_user_path(_employer_of(CONTACT)) in overview
    assert _employer_user_path(other) not in overview
    _no_more_mail(smtp, 0)


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("email", [WORKER, EMPLOYER, JOBCOACH, MANAGER, ADMIN, OTHER_CONTACT])
def test_other_roles_and_other_contact_persons_are_refused(client, auth, demo, smtp, email):
    employer = _employer_of(CONTACT)
    auth.login(email)
    employer_path = _employer_user_path(employer)
    worker_data = {
        "first_name": "Wim",
        "last_name": "Wessels",
        "email_address": "wim@example.org",
        "regime": "participatiewet",
        "municipality": _municipality("Utrecht"),
    }
    user_data = {"first_name": "Ella", "last_name": "E", "email_address": "ella@example.org"}
    assert client.get(employer_path).status_code == 403
    assert client.post(employer_path, data=user_data).status_code == 403
    if email != OTHER_CONTACT:  # a contact person registers workers for their own caseload
        assert client.get(NEW_WORKER_PATH).status_code == 403
        assert client.post(NEW_WORKER_PATH, data=worker_data).status_code == 403
    assert user_by_email("wim@example.org") is None
    assert user_by_email("ella@example.org") is None
    _no_more_mail(smtp, 0)


def test_anonymous_visitors_are_sent_to_log_in(client, demo):
    employer = db.session.scalar(select(Employer).limit(1))
    for path in (NEW_WORKER_PATH, _employer_user_path(employer)):
        answer = client.get(path)
        assert answer.status_code == 302 and "/inloggen" in answer.location


def test_the_overview_links_to_the_new_pages_for_the_contact_person_only(client, auth, demo):
    auth.login(CONTACT)
    assert f'href="{NEW_WORKER_PATH}"' in _html(client.get("/contactpersonen/"))
    auth.logout()
    auth.login(ADMIN)  # administrators create accounts in the administration
    overview = _html(client.get("/contactpersonen/"))
    assert NEW_WORKER_PATH not in overview and "nieuwe-gebruiker" not in overview


def test_the_contact_person_sends_an_employer_user_a_new_invitation(client, auth, demo, smtp):
    person = user_by_email(EMPLOYER)
    path = f"/contactpersonen/werkgevergebruiker/{person.id}/uitnodigen"
    contact = current_contact(employer_id=person.employer_id).email
    other = OTHER_CONTACT if contact == CONTACT else CONTACT
    auth.login(other)
    assert client.post(path).status_code == 403
    auth.logout()
    auth.login(contact)
    page = _html(client.get(f"/contactpersonen/werkgever/{person.employer_id}"))
    assert f'action="{path}"' in page
    first = client.post(path)
    assert first.location == f"/contactpersonen/werkgever/{person.employer_id}"
    client.post(path)  # again: the first link stops working
    links = [LINK.search(m.get_content()).group(1) for _, m in wait_for_mail(smtp, 2)]
    assert [rcpts for rcpts, _ in smtp.messages] == [[EMPLOYER], [EMPLOYER]]
    assert client.get(links[0]).status_code == 410
    assert client.get(links[1]).status_code == 200
