"""Users for the administrator: list and filter, create (temporary password shown once, an own
password at the first log-in), change details and role, deactivate and reactivate, reset the
password; and the hand-over of a whole caseload. Every change is in the audit log, never a
password."""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import date, timedelta
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    ContactAssignment,
    Employer,
    InboxMessage,
    Municipality,
    Role,
    User,
    UserSession,
)
from portal.security import verify_password
from portal.services.contacts import caseload_counts
from tests.conftest import (
    ADMIN,
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    OTHER_CONTACT,
    OTHER_WORKER,
    WORKER,
    user_by_email,
)
from tests.fixtures.mail import wait_for_mail

THIRD_CONTACT = "a.jansen@wsp-demo.nl"
PASSWORD_ON_PAGE = re.compile(r'<code class="utrecht-code" translate="no">([a-z0-9-]+)</code>')
OWN_PASSWORD = "een eigen lang wachtwoord"


def _html(response) -> str:
    return unescape(response.get_data(as_text=True))


def _password(response) -> str:
    found = PASSWORD_ON_PAGE.search(response.get_data(as_text=True))
    assert found, "the page shows the temporary password"
    return found.group(1)


def _municipality(name: str) -> int:
    return db.session.scalar(select(Municipality.id).where(Municipality.name == name))


def _new_user(client, **fields):
    data = {
        "first_name": "Nina",
        "last_name": "Nieuw",
        "email_address": "nina@wsp-demo.nl",
        "phone": "",
        "role": "jobcoach",
        "organisation": 0,
        "employer": 0,
        "regime": "",
        "municipality": 0,
        "contact_person": 0,
        "access": "tijdelijk-wachtwoord",  # the invitation, the default, is tested on its own
    }
    if "email" in fields:
        fields["email_address"] = fields.pop("email")
    data.update(fields)
    return client.post("/beheer/gebruikers/nieuw", data=data)


def _user_path(email: str, action: str = "") -> str:
    return f"/beheer/gebruikers/{user_by_email(email).id}" + (f"/{action}" if action else "")


def _updates(user: User) -> list[dict]:
    return [
        event.changes
        for event in db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.entity == "user_account",
                AuditEvent.entity_id == str(user.id),
                AuditEvent.action == AuditAction.UPDATE,
            )
            .order_by(AuditEvent.id)
        )
    ]


def _log_text() -> str:
    return json.dumps(
        [
            [event.entity, event.entity_id, event.changes]
            for event in db.session.scalars(select(AuditEvent))
        ]
    )


# --- List -------------------------------------------------------------------------------------


def test_only_the_administrator_reaches_the_user_screens(client, auth, demo):
    for email in (CONTACT, WORKER, JOBCOACH):
        auth.login(email)
        assert client.get("/beheer/gebruikers").status_code == 403
        assert client.get("/beheer/overdracht").status_code == 403
        assert client.post(_user_path(WORKER, "deactiveren")).status_code == 403
        auth.logout()
    assert user_by_email(WORKER).active


def test_the_list_filters_by_role_status_and_search(client, auth, demo):
    auth.login(ADMIN)
    page = _html(client.get("/beheer/gebruikers"))
    assert "<title>Gebruikers |" in page and page.count("<h1") == 1
    assert "Fatima el Amrani" in page and "Gemeente Utrecht" in page
    assert "Bakkerij De Korenschoof" in page  # the employer user's company
    contacts_only = _html(client.get("/beheer/gebruikers?role=contact_person"))
    assert "Fatima el Amrani" in contacts_only and "Sanne Bakker" not in contacts_only
    assert "3 gebruikers" in contacts_only
    found = _html(client.get("/beheer/gebruikers?q=EL+amr"))
    assert "Fatima el Amrani" in found and "Jeroen de Vries" not in found
    by_mail = _html(client.get("/beheer/gebruikers?q=werknemer-demo"))
    assert "Sanne Bakker" in by_mail and "Fatima" not in by_mail
    assert "Geen gebruikers" in _html(client.get("/beheer/gebruikers?q=100%25_"))  # no wildcard

    user_by_email(OTHER_WORKER).active = False
    db.session.commit()
    inactive = _html(client.get("/beheer/gebruikers?status=inactief"))
    assert "Daan Visser" in inactive and "1 gebruiker" in inactive
    assert "Daan Visser" not in _html(client.get("/beheer/gebruikers?status=actief"))
    # an unknown filter value is ignored, not an error
    assert client.get("/beheer/gebruikers?role=koning&status=x").status_code == 200


def test_the_list_is_paged(client, auth, demo):
    for number in range(60):
        db.session.add(
            User(
                email=f"zz{number:02d}@wsp-demo.nl",
                password_hash="x",
                first_name="Test",
                last_name=f"Zz{number:02d}",
                role=Role.JOBCOACH,
            )
        )
    db.session.commit()
    auth.login(ADMIN)
    first = _html(client.get("/beheer/gebruikers?role=jobcoach"))
    assert "61 gebruikers" in first and "Pagina 1 van 2" in first
    assert 'href="/beheer/gebruikers?role=jobcoach&pagina=2"' in first
    second = _html(client.get("/beheer/gebruikers?role=jobcoach&pagina=2"))
    assert "Test Zz59" in second and "Test Zz00" not in second
    beyond = _html(client.get("/beheer/gebruikers?role=jobcoach&pagina=99999999999999999999"))
    assert "Pagina 2 van 2" in beyond and "Test Zz59" in beyond


# --- Create -----------------------------------------------------------------------------------


def test_a_new_staff_user_sees_a_temporary_password_once_and_must_choose_their_own(
    app, client, auth, demo, caplog
):
    caplog.set_level(logging.DEBUG)
    auth.login(ADMIN)
    organisation = user_by_email(CONTACT).executing_organisation_id
    answer = _new_user(client, email="Nina@WSP-demo.nl", role="manager", organisation=organisation)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    page = _html(answer)
    assert "Gebruiker aangemaakt" in page
    assert "Geef dit wachtwoord persoonlijk door" in page
    password = _password(answer)
    nina = user_by_email("nina@wsp-demo.nl")  # stored in lower case
    assert nina.role == Role.MANAGER and nina.must_change_password
    assert nina.executing_organisation_id == organisation
    assert password not in nina.password_hash and verify_password(nina.password_hash, password)
    assert password not in _log_text()  # the audit log masks the hash, never has the password
    assert all(password not in record.getMessage() for record in caplog.records)
    created = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity == "user_account",
            AuditEvent.entity_id == str(nina.id),
            AuditEvent.action == AuditAction.CREATE,
        )
    )
    assert created.actor.email == ADMIN

    other = app.test_client()
    assert other.post("/inloggen", data={"email": "nina@wsp-demo.nl", "password": password})
    to_change = other.get("/dashboard")
    assert to_change.status_code == 302 and to_change.location == "/wachtwoord-wijzigen"
    assert other.get("/beheer/gebruikers").location == "/wachtwoord-wijzigen"
    explained = _html(other.get("/wachtwoord-wijzigen"))
    assert "U bent ingelogd met een tijdelijk wachtwoord" in explained
    assert other.post("/taal", data={"lang": "en", "next": "/"}).status_code == 302
    changed = other.post(
        "/wachtwoord-wijzigen",
        data={
            "current_password": password,
            "new_password": OWN_PASSWORD,
            "repeat_password": OWN_PASSWORD,
        },
    )
    assert changed.status_code == 302
    free = other.get("/dashboard", follow_redirects=True)  # a manager's goes to the figures
    assert free.status_code == 200 and free.request.path != "/wachtwoord-wijzigen"
    db.session.expire_all()
    assert not user_by_email("nina@wsp-demo.nl").must_change_password


def test_a_user_with_a_temporary_password_can_log_out(app, client, auth, demo):
    auth.login(ADMIN)
    password = _password(_new_user(client))
    other = app.test_client()
    other.post("/inloggen", data={"email": "nina@wsp-demo.nl", "password": password})
    assert other.post("/uitloggen").location == "/inloggen"
    assert other.get("/dashboard").location.startswith("/inloggen")


def test_a_new_worker_gets_the_routed_contact_person(client, auth, demo):
    auth.login(ADMIN)
    answer = _new_user(
        client,
        email="wim@werknemer-demo.nl",
        role="worker",
        regime="participatiewet",
        municipality=_municipality("Woerden"),  # FermWerk: Anouk Jansen
        in_doelgroepregister="y",
    )
    assert answer.status_code == 200, _html(answer)
    assert "Anouk Jansen" in _html(answer)
    wim = user_by_email("wim@werknemer-demo.nl")
    assert wim.worker_profile.municipality.name == "Woerden"
    assert wim.worker_profile.in_doelgroepregister
    assignment = db.session.scalar(
        select(ContactAssignment).where(ContactAssignment.worker_id == wim.id)
    )
    assert assignment.contact_person.email == THIRD_CONTACT
    assert assignment.recorded_by.email == ADMIN and assignment.starts_on == date.today()


def test_without_a_routed_contact_person_the_administrator_chooses_one(client, auth, demo):
    auth.login(ADMIN)
    fields = {
        "email": "wim@werknemer-demo.nl",
        "role": "worker",
        "regime": "participatiewet",
        "municipality": _municipality("Houten"),  # Lekstroom: no contact person in the demo
    }
    refused = _new_user(client, **fields)
    page = _html(refused)
    assert refused.status_code == 200
    assert "Werk en Inkomen Lekstroom heeft geen actieve contactpersoon" in page
    assert 'value="wim@werknemer-demo.nl"' in page  # what was typed stays
    assert user_by_email("wim@werknemer-demo.nl") is None
    chosen = _new_user(client, contact_person=user_by_email(OTHER_CONTACT).id, **fields)
    assert chosen.status_code == 200
    wim = user_by_email("wim@werknemer-demo.nl")
    assert caseload_counts(db.session, user_by_email(OTHER_CONTACT).id).workers == 3
    assert (
        db.session.scalar(
            select(ContactAssignment).where(ContactAssignment.worker_id == wim.id)
        ).contact_person.email
        == OTHER_CONTACT
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "F.ElAmrani@wsp-demo.nl"}, "Er is al een account met dit e-mailadres."),
        ({"email": "geen-adres"}, "Vul een e-mailadres in"),
        ({"role": "employer"}, "Kies de werkgever van deze werkgevergebruiker."),
        ({"role": "worker"}, "Kies het regime van de werknemer."),
        ({"role": "koning"}, "Kies een rol."),
        ({"first_name": ""}, "Vul dit veld in."),
        ({"phone": "bel me"}, "Vul een telefoonnummer in"),
        ({"organisation": 999999}, "Kies een van de mogelijkheden uit de lijst."),
    ],
)
def test_bad_input_is_refused_at_the_field_and_kept(client, auth, demo, fields, message):
    auth.login(ADMIN)
    count = db.session.scalar(select(func.count(User.id)))
    answer = _new_user(client, last_name="Bewaard", **fields)
    page = _html(answer)
    assert answer.status_code == 200
    assert message in page and 'value="Bewaard"' in page
    assert "utrecht-form-field-error-message" in page
    assert db.session.scalar(select(func.count(User.id))) == count


def test_an_employer_user_gets_the_employer(client, auth, demo):
    auth.login(ADMIN)
    employer = user_by_email(EMPLOYER).employer
    answer = _new_user(
        client, email="hr2@korenschoof-demo.nl", role="employer", employer=employer.id
    )
    assert answer.status_code == 200
    assert user_by_email("hr2@korenschoof-demo.nl").employer_id == employer.id


def test_a_form_sent_twice_creates_one_user(client, auth, demo):
    auth.login(ADMIN)
    key = "a" * 32
    first = _new_user(client, submission=key)
    assert first.status_code == 200
    again = _new_user(client, submission=key)
    assert again.status_code == 302 and again.location == _user_path("nina@wsp-demo.nl")
    assert "al aangemaakt" in _html(client.get(again.location))
    assert (
        db.session.scalar(select(func.count(User.id)).where(User.email == "nina@wsp-demo.nl")) == 1
    )


def test_a_failed_save_says_so_and_keeps_the_form(client, auth, demo, monkeypatch):
    import portal.blueprints.admin.users as views

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database went away"))

    monkeypatch.setattr(views, "remember", broken)
    auth.login(ADMIN)
    answer = _new_user(client, last_name="Bewaard")
    page = _html(answer)
    assert answer.status_code == 200 and "niet opgeslagen" in page and 'value="Bewaard"' in page
    assert user_by_email("nina@wsp-demo.nl") is None


# --- Create with an invitation -----------------------------------------------------------------

INVITATION_LINK = re.compile(r"https://portaal\.example(/wachtwoord-instellen/[\w-]+)")


def _invited(client, **fields):
    fields.setdefault("access", "uitnodiging")
    return _new_user(client, **fields)


def _mails_to(smtp, email: str) -> list:
    wait_for_mail(smtp, 1)
    time.sleep(0.5)  # a second e-mail, if one were sent, has arrived by now
    return [message for rcpts, message in smtp.messages if rcpts == [email]]


def test_the_invitation_is_the_preselected_way_in(client, auth, demo):
    auth.login(ADMIN)
    page = _html(client.get("/beheer/gebruikers/nieuw"))
    assert re.search(r'<input[^>]*checked[^>]*value="uitnodiging"', page) or re.search(
        r'<input[^>]*value="uitnodiging"[^>]*checked', page
    )
    assert 'value="tijdelijk-wachtwoord"' in page
    assert re.search(r'<input[^>]*checked[^>]*value="nl"|<input[^>]*value="nl"[^>]*checked', page)


def test_an_invited_user_chooses_a_password_with_the_link_in_the_e_mail(client, auth, demo, smtp):
    auth.login(ADMIN)
    employer = user_by_email(EMPLOYER).employer
    answer = client.post(
        "/beheer/gebruikers/nieuw",
        data={  # without the choice (an old page, a script): the invitation, the default
            "first_name": "Ella",
            "last_name": "Eigenaar",
            "email_address": "Ella@Korenschoof-demo.nl",
            "role": "employer",
            "employer": employer.id,
            "locale": "en",
        },
    )
    ella = user_by_email("ella@korenschoof-demo.nl")
    assert answer.status_code == 302 and answer.location == f"/beheer/gebruikers/{ella.id}"
    shown = _html(client.get(answer.location))
    assert "Er is een uitnodiging gestuurd naar ella@korenschoof-demo.nl" in shown
    assert not PASSWORD_ON_PAGE.search(shown)  # no temporary password anywhere
    assert ella.role == Role.EMPLOYER and ella.employer_id == employer.id
    assert ella.locale == "en" and not ella.must_change_password
    assert not verify_password(ella.password_hash, "")

    (message,) = _mails_to(smtp, ella.email)
    assert message["Subject"] == "Your account for the Banenafspraak portal"
    body = message.get_content()
    assert "Dear Ella Eigenaar," in body and "Bram Beheer made an account for you" in body
    path = INVITATION_LINK.search(body).group(1)
    auth.logout()
    chosen = client.post(path, data={"new_password": OWN_PASSWORD, "repeat_password": OWN_PASSWORD})
    assert chosen.status_code == 302
    logged_in = auth.login(ella.email, OWN_PASSWORD)
    assert logged_in.status_code == 302 and logged_in.location == "/dashboard"
    assert client.get("/dashboard").status_code == 200  # no change-password step first


def test_an_invited_worker_gets_the_routed_contact_person_and_a_b1_e_mail(client, auth, demo, smtp):
    auth.login(ADMIN)
    answer = _invited(
        client,
        email="wim@werknemer-demo.nl",
        first_name="Wim",
        role="worker",
        regime="participatiewet",
        municipality=_municipality("Woerden"),  # FermWerk: Anouk Jansen
    )
    wim = user_by_email("wim@werknemer-demo.nl")
    assert answer.status_code == 302 and answer.location == f"/beheer/gebruikers/{wim.id}"
    assert wim.locale == "nl" and not wim.must_change_password
    assignment = db.session.scalar(
        select(ContactAssignment).where(ContactAssignment.worker_id == wim.id)
    )
    assert assignment.contact_person.email == THIRD_CONTACT
    (message,) = _mails_to(smtp, wim.email)
    body = message.get_content()
    assert "Hallo Wim," in body and "Bram Beheer heeft een account voor je gemaakt" in body


def test_an_invitation_form_sent_twice_creates_one_user_and_one_e_mail(client, auth, demo, smtp):
    auth.login(ADMIN)
    key = "b" * 32
    first = _invited(client, submission=key)
    again = _invited(client, submission=key)
    assert first.status_code == again.status_code == 302
    assert again.location == first.location == _user_path("nina@wsp-demo.nl")
    shown = _html(client.get(again.location))
    with client.application.test_request_context(), force_locale("nl"):
        invited = gettext(
            "This user had already been created and invited. Send a new invitation if the "
            "e-mail got lost."
        )
    assert invited in shown
    assert (
        db.session.scalar(select(func.count(User.id)).where(User.email == "nina@wsp-demo.nl")) == 1
    )
    assert len(_mails_to(smtp, "nina@wsp-demo.nl")) == 1


def test_an_unknown_way_in_is_refused_and_the_form_kept(client, auth, demo):
    auth.login(ADMIN)
    answer = _new_user(client, access="per-duif", last_name="Bewaard")
    page = _html(answer)
    assert answer.status_code == 200
    assert 'id="access-error"' in page and 'href="#access"' in page and 'value="Bewaard"' in page
    assert user_by_email("nina@wsp-demo.nl") is None


# --- One user ---------------------------------------------------------------------------------


def test_the_details_are_changed_and_a_used_address_is_refused(client, auth, demo):
    auth.login(ADMIN)
    path = _user_path(JOBCOACH)
    page = _html(client.get(path))
    assert "<title>Gebruiker Pieter Hendriks |" in page and page.count("<h1") == 1
    data = {
        "first_name": "Piet",
        "last_name": "Hendriks",
        "email_address": "P.Hendriks@jobcoach-demo.nl",
        "phone": "06 99 88 77 66",
        "organisation": user_by_email(CONTACT).executing_organisation_id,
        "employer": 0,
    }
    saved = client.post(path, data=data)
    assert saved.status_code == 302 and saved.location == path
    assert "De gegevens zijn opgeslagen." in _html(client.get(path))
    coach = user_by_email(JOBCOACH)
    assert coach.first_name == "Piet" and coach.executing_organisation.name == "Gemeente Utrecht"
    refused = client.post(
        path, data={**data, "email_address": CONTACT.upper(), "last_name": "Anders"}
    )
    page = _html(refused)
    assert "Er is al een account met dit e-mailadres." in page and 'value="Anders"' in page
    db.session.expire_all()
    assert user_by_email(JOBCOACH).last_name == "Hendriks"


def test_an_employer_user_keeps_an_employer(client, auth, demo):
    auth.login(ADMIN)
    user = user_by_email(EMPLOYER)
    answer = client.post(
        _user_path(EMPLOYER),
        data={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email_address": user.email,
            "employer": 0,
        },
    )
    assert "Kies de werkgever van deze werkgevergebruiker." in _html(answer)


def test_a_role_change_and_a_deactivation_are_in_the_audit_log(client, auth, demo):
    auth.login(ADMIN)
    coach = user_by_email(JOBCOACH)
    changed = client.post(_user_path(JOBCOACH, "rol"), data={"role": "manager"})
    assert changed.status_code == 302
    assert "De rol van Pieter Hendriks is nu Teamleider" in _html(client.get(changed.location))
    gone = client.post(_user_path(JOBCOACH, "deactiveren"))
    assert gone.status_code == 302
    db.session.expire_all()
    assert coach.role == Role.MANAGER and not coach.active
    updates = _updates(coach)
    assert {"role": ["jobcoach", "manager"]} in updates
    assert {"active": [True, False]} in updates
    rows = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "user_account",
            AuditEvent.entity_id == str(coach.id),
            AuditEvent.action == AuditAction.UPDATE,
        )
    ).all()
    assert {(row.actor.email, row.actor_role) for row in rows} == {(ADMIN, "administrator")}
    # the administrator finds them in the audit screen
    screen = _html(client.get("/beheer/audit?entity=user_account"))
    assert "role" in screen and "active" in screen


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        (WORKER, "jobcoach", "Een werknemer of een werkgevergebruiker houdt deze rol"),
        (EMPLOYER, "manager", "Een werknemer of een werkgevergebruiker houdt deze rol"),
        (CONTACT, "manager", "heeft nog werknemers of werkgevers"),
        (ADMIN, "manager", "U kunt uw eigen rol niet wijzigen"),
        (JOBCOACH, "worker", "Kies een van de rollen uit de lijst."),
        (JOBCOACH, "jobcoach", "Dit is al de rol."),
    ],
)
def test_role_changes_that_are_not_allowed(client, auth, demo, email, role, message):
    auth.login(ADMIN)
    answer = client.post(_user_path(email, "rol"), data={"role": role})
    assert answer.status_code == 200 and message in _html(answer)
    db.session.expire_all()
    assert user_by_email(email).role.value != role or email == JOBCOACH


def test_the_page_of_a_contact_person_with_a_caseload_links_to_the_hand_over(client, auth, demo):
    auth.login(ADMIN)
    page = _html(client.get(_user_path(CONTACT)))
    assert "Bedient nu: 2 werknemers en 1 werkgever." in page
    assert f"/beheer/overdracht?van={user_by_email(CONTACT).id}" in page
    assert "Account deactiveren" not in page and "Draag eerst het klantenbestand over" in page


def test_a_deactivated_user_is_logged_out_and_cannot_log_in(app, client, auth, demo):
    worker_client = app.test_client()
    worker_client.post("/inloggen", data={"email": WORKER, "password": "demo-wachtwoord-2026"})
    assert worker_client.get("/dashboard").status_code == 200
    auth.login(ADMIN)
    assert client.post(_user_path(WORKER, "deactiveren")).status_code == 302
    kicked = worker_client.get("/dashboard")
    assert kicked.status_code == 302 and "/inloggen" in kicked.location
    db.session.expire_all()
    sanne = user_by_email(WORKER)
    assert (
        db.session.scalar(
            select(func.count(UserSession.id)).where(
                UserSession.user_id == sanne.id, UserSession.ended_at.is_(None)
            )
        )
        == 0
    )
    login = app.test_client().post(
        "/inloggen", data={"email": WORKER, "password": "demo-wachtwoord-2026"}
    )
    assert login.status_code == 200  # the log-in form again, with the one error for everything
    assert "Het e-mailadres of wachtwoord klopt niet." in _html(login)
    # history stays: the worker's records and contact person are untouched
    assert db.session.scalar(
        select(ContactAssignment).where(
            ContactAssignment.worker_id == sanne.id, ContactAssignment.ends_on.is_(None)
        )
    )
    assert client.post(_user_path(WORKER, "activeren")).status_code == 302
    again = app.test_client().post(
        "/inloggen", data={"email": WORKER, "password": "demo-wachtwoord-2026"}
    )
    assert again.status_code == 302


def test_an_administrator_cannot_deactivate_themselves_nor_a_contact_with_a_caseload(
    client, auth, demo
):
    auth.login(ADMIN)
    own = client.post(_user_path(ADMIN, "deactiveren"))
    assert "U kunt uw eigen account niet deactiveren" in _html(client.get(own.location))
    busy = client.post(_user_path(CONTACT, "deactiveren"))
    assert "heeft nog werknemers of werkgevers" in _html(client.get(busy.location))
    db.session.expire_all()
    assert user_by_email(ADMIN).active and user_by_email(CONTACT).active
    assert client.get("/beheer/gebruikers").status_code == 200  # still logged in


def test_a_password_reset_shows_a_new_password_once_and_tells_the_user(app, client, auth, demo):
    sanne = user_by_email(WORKER)
    sanne.locale = "en"
    db.session.commit()
    worker_client = app.test_client()
    worker_client.post("/inloggen", data={"email": WORKER, "password": "demo-wachtwoord-2026"})
    auth.login(ADMIN)
    answer = client.post(_user_path(WORKER, "wachtwoord"))
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert "Nieuw tijdelijk wachtwoord" in _html(answer)
    password = _password(answer)
    assert worker_client.get("/dashboard").status_code == 302  # logged out everywhere
    db.session.expire_all()
    sanne = user_by_email(WORKER)
    assert sanne.must_change_password and verify_password(sanne.password_hash, password)
    assert not verify_password(sanne.password_hash, "demo-wachtwoord-2026")
    message = db.session.scalar(
        select(InboxMessage)
        .where(InboxMessage.user_id == sanne.id)
        .order_by(InboxMessage.id.desc())
    )
    assert message.subject == "You have a new password for the portal"  # her language
    assert password not in message.body and "Hello Sanne," in message.body
    assert password not in _log_text()
    # the temporary password works once more, for choosing an own one
    fresh = app.test_client()
    assert fresh.post("/inloggen", data={"email": WORKER, "password": password}).status_code == 302
    assert fresh.get("/evaluaties/").location == "/wachtwoord-wijzigen"


def test_staff_get_the_notice_in_formal_dutch_and_own_reset_is_refused(client, auth, demo):
    auth.login(ADMIN)
    assert client.post(_user_path(JOBCOACH, "wachtwoord")).status_code == 200
    message = db.session.scalar(
        select(InboxMessage).where(InboxMessage.user_id == user_by_email(JOBCOACH).id)
    )
    assert message.subject == "Uw wachtwoord voor het portaal is opnieuw ingesteld"
    own = client.post(_user_path(ADMIN, "wachtwoord"))
    assert own.status_code == 302
    assert "wachtwoord wijzigen" in _html(client.get(own.location)).lower()
    assert client.get("/beheer/gebruikers").status_code == 200  # the administrator is not reset


# --- Hand-over of a whole caseload -------------------------------------------------------------


def _bulk(client, leaving=CONTACT, new=THIRD_CONTACT, on=None, note="Fatima vertrekt"):
    return client.post(
        "/beheer/overdracht",
        data={
            "leaving": user_by_email(leaving).id,
            "new_contact": user_by_email(new).id,
            "on": (on or date.today()).isoformat(),
            "note": note,
        },
    )


def _inbox(email: str) -> int:
    return db.session.scalar(
        select(func.count(InboxMessage.id)).where(InboxMessage.user_id == user_by_email(email).id)
    )


def test_a_whole_caseload_is_handed_over_and_everyone_is_told(client, auth, demo):
    people = [WORKER, "mo@werknemer-demo.nl", EMPLOYER, CONTACT, THIRD_CONTACT, OTHER_CONTACT]
    before = {email: _inbox(email) for email in people}
    auth.login(ADMIN)
    page = _html(client.get(f"/beheer/overdracht?van={user_by_email(CONTACT).id}"))
    assert "Fatima el Amrani (2 werknemers, 1 werkgever)" in page
    assert "<title>Een heel klantenbestand overdragen |" in page

    answer = _bulk(client)
    assert answer.status_code == 302 and answer.location == _user_path(CONTACT)
    done = _html(client.get(answer.location))
    assert "Anouk Jansen is nu de contactpersoon van 2 werknemers en 1 werkgever" in done
    assert "Bedient nu: 0 werknemers en 0 werkgevers." in done
    assert "Account deactiveren" in done  # now she can be deactivated
    assert caseload_counts(db.session, user_by_email(THIRD_CONTACT).id).workers == 4
    # one message to each worker and employer user; one list to each contact person
    assert {email: _inbox(email) - n for email, n in before.items()} == {
        WORKER: 1,
        "mo@werknemer-demo.nl": 1,
        EMPLOYER: 1,
        CONTACT: 1,
        THIRD_CONTACT: 1,
        OTHER_CONTACT: 0,
    }
    summary = db.session.scalar(
        select(InboxMessage)
        .where(InboxMessage.user_id == user_by_email(THIRD_CONTACT).id)
        .order_by(InboxMessage.id.desc())
    )
    assert "3 werknemers en werkgevers van Fatima el Amrani" in summary.body
    for name in ("Sanne Bakker", "Mohammed Yilmaz", "Bakkerij De Korenschoof"):
        assert f"- {name}" in summary.body
    assert client.post(_user_path(CONTACT, "rol"), data={"role": "manager"}).status_code == 302


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"on": date.today() + timedelta(days=1)}, "De datum kan niet in de toekomst liggen"),
        ({"on": date(2023, 12, 31)}, "De datum kan niet vóór de start"),
        ({"new": CONTACT}, "Kies iemand anders dan de contactpersoon die overdraagt."),
        ({"new": JOBCOACH}, "Kies een actieve contactpersoon."),
        ({"leaving": JOBCOACH}, "Kies de contactpersoon die overdraagt."),
    ],
)
def test_bad_bulk_hand_overs_change_nothing(client, auth, demo, arguments, message):
    auth.login(ADMIN)
    answer = _bulk(client, note="Bewaard", **arguments)
    page = _html(answer)
    assert answer.status_code == 200 and message in page and "Bewaard" in page
    assert caseload_counts(db.session, user_by_email(CONTACT).id).total == 3


def test_a_failure_halfway_moves_nothing_and_says_so(client, auth, demo, monkeypatch):
    import portal.blueprints.contacts.notifications as views

    real, calls = views.notify_handover, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("INSERT", {}, Exception("database went away"))
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "notify_handover", failing)
    messages = db.session.scalar(select(func.count(InboxMessage.id)))
    auth.login(ADMIN)
    answer = _bulk(client)
    assert answer.status_code == 200
    assert "De overdracht is niet opgeslagen. Er is niets verplaatst." in _html(answer)
    db.session.expire_all()
    assert caseload_counts(db.session, user_by_email(CONTACT).id).total == 3
    assert caseload_counts(db.session, user_by_email(THIRD_CONTACT).id).total == 3
    assert db.session.scalar(select(func.count(InboxMessage.id))) == messages


def test_the_employer_list_on_the_worker_page_is_not_needed(client, auth, demo):
    """A worker's page has no employer or organisation choice and no role form."""
    auth.login(ADMIN)
    page = _html(client.get(_user_path(WORKER)))
    assert 'name="employer"' not in page and 'name="organisation"' not in page
    assert 'name="role"' not in page and "Geschiedenis en overdracht" in page
    assert db.session.scalar(select(func.count(Employer.id))) == 3
