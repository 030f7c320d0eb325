"""Server-side sessions: log-out and a password change end them; no session fixation."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import UserSession
from portal.security import SESSION_TOKEN_KEY, verify_password
from tests.conftest import CONTACT, WORKER, log_in, user_by_email

PASSWORD = "demo-wachtwoord-2026"
NEW_PASSWORD = "een nieuw lang wachtwoord"


def login(client, email=WORKER, password=PASSWORD):
    return log_in(client, email, password)


def stolen_cookie(client) -> str:
    return client.get_cookie("portal_session").value


def test_a_copy_of_the_cookie_is_useless_after_log_out(app, client, demo):
    login(client)
    copy = stolen_cookie(client)
    assert client.get("/dashboard").status_code == 200
    client.post("/uitloggen")

    thief = app.test_client()
    thief.set_cookie("portal_session", copy)
    answer = thief.get("/dashboard")
    assert answer.status_code == 302 and "/inloggen" in answer.location
    ended = db.session.scalar(select(UserSession).where(UserSession.ended_at.is_not(None)))
    assert ended.end_reason == "logout"


def test_a_new_session_on_every_log_in_no_fixation(app, client, demo):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session[SESSION_TOKEN_KEY] = "chosen-by-an-attacker"
    login(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        first = session[SESSION_TOKEN_KEY]
        assert first != "chosen-by-an-attacker"
    client.post("/uitloggen")
    login(client)
    with client.session_transaction() as session:
        assert session[SESSION_TOKEN_KEY] != first
    assert db.session.query(UserSession).count() == 2
    stored = {row.token_hash for row in db.session.scalars(select(UserSession))}
    assert first not in stored, "only the hash of the token is stored"


def test_a_changed_password_logs_out_the_other_sessions(app, client, demo):
    login(client)
    other = app.test_client()
    login(other)
    assert other.get("/dashboard").status_code == 200

    answer = client.post(
        "/wachtwoord-wijzigen",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "repeat_password": NEW_PASSWORD,
        },
    )
    assert answer.status_code == 302
    page = client.get("/dashboard")
    assert page.status_code == 200, "this session stays"
    assert "Op 1 ander apparaat is nu uitgelogd." in page.get_data(as_text=True)
    kicked = other.get("/dashboard")
    assert kicked.status_code == 302 and "/inloggen" in kicked.location
    assert verify_password(user_by_email(WORKER).password_hash, NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing_and_keeps_nothing(client, demo):
    login(client)
    answer = client.post(
        "/wachtwoord-wijzigen",
        data={
            "current_password": "niet het goede wachtwoord",
            "new_password": NEW_PASSWORD,
            "repeat_password": NEW_PASSWORD,
        },
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Het huidige wachtwoord klopt niet." in page
    assert NEW_PASSWORD not in page, "passwords are never sent back"
    assert verify_password(user_by_email(WORKER).password_hash, PASSWORD)


def test_a_short_or_different_repeat_is_refused_with_a_clear_message(client, demo):
    login(client, CONTACT)
    page = client.post(
        "/wachtwoord-wijzigen",
        data={"current_password": PASSWORD, "new_password": "kort", "repeat_password": "anders"},
    ).get_data(as_text=True)
    assert "Gebruik minstens 12 en hoogstens 128 tekens." in page
    assert "De twee nieuwe wachtwoorden zijn niet hetzelfde." in page


def test_the_password_page_needs_a_log_in(client, demo):
    answer = client.get("/wachtwoord-wijzigen")
    assert answer.status_code == 302 and "/inloggen" in answer.location
