"""Forgotten password and invitations: the link comes from the real e-mail (a local SMTP
server), works once and only until it expires, and the answer never tells which accounts exist."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from portal.blueprints.auth import passwords
from portal.extensions import db, limiter
from portal.models import AccountToken, InboxMessage, TokenPurpose, UserSession
from portal.security import verify_password
from tests.conftest import ADMIN, CONTACT, EMPLOYER, OTHER_CONTACT, WORKER, user_by_email
from tests.fixtures.mail import wait_for_mail

NEW_PASSWORD = "fiets zon koffie tafel"
LINK = re.compile(r"https://portaal\.example(/wachtwoord-instellen/[\w-]+)")


def _link_from(message) -> str:
    return LINK.search(message.get_content()).group(1)


def _ask_reset(client, email: str):
    return client.post("/wachtwoord-vergeten", data={"email": email})


def _set(client, path: str, password: str = NEW_PASSWORD, repeat: str | None = None):
    return client.post(path, data={"new_password": password, "repeat_password": repeat or password})


def test_reset_round_trip_through_the_real_email(client, auth, demo, smtp):
    other_device = client.application.test_client()
    other_device.post("/inloggen", data={"email": WORKER, "password": "demo-wachtwoord-2026"})
    assert other_device.get("/dashboard").status_code == 200

    answer = _ask_reset(client, WORKER)
    assert answer.status_code == 200 and "Kijk in je e-mail" in answer.get_data(as_text=True)
    ((recipients, message),) = wait_for_mail(smtp, 1)
    assert recipients == [WORKER]
    assert message["Subject"] == "Je nieuwe wachtwoord voor het portaal"
    path = _link_from(message)
    token = path.rsplit("/", 1)[1]
    stored = db.session.scalar(select(AccountToken).order_by(AccountToken.id.desc()))
    assert token not in (stored.token_hash, str(stored.id)) and len(stored.token_hash) == 64

    page = client.get(path).get_data(as_text=True)
    assert "Kies je wachtwoord" in page or "Kies uw wachtwoord" in page
    assert _set(client, path).headers["Location"] == "/inloggen"
    sanne = user_by_email(WORKER)
    db.session.refresh(sanne)
    assert verify_password(sanne.password_hash, NEW_PASSWORD)
    # every session ended, and a notice
    assert other_device.get("/dashboard").status_code == 302
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(UserSession)
            .where(UserSession.user_id == sanne.id, UserSession.ended_at.is_(None))
        )
        == 0
    )
    notice = db.session.scalar(
        select(InboxMessage)
        .where(InboxMessage.user_id == sanne.id)
        .order_by(InboxMessage.id.desc())
    )
    assert "gewijzigd" in notice.subject
    # the link works once
    again = client.get(path)
    assert again.status_code == 410 and "al gebruikt" in again.get_data(as_text=True)
    assert auth.login(WORKER, NEW_PASSWORD).status_code == 302


def test_unknown_and_known_addresses_get_the_same_answer(client, demo, smtp):
    known = _ask_reset(client, WORKER)
    unknown = _ask_reset(client, "niemand@example.org")
    inactive_user = user_by_email("lotte@werknemer-demo.nl")
    inactive_user.active = False
    db.session.commit()
    inactive = _ask_reset(client, inactive_user.email)

    def without_token(answer) -> str:
        return re.sub(r'name="csrf-token" content="[^"]+"', "", answer.get_data(as_text=True))

    assert known.status_code == unknown.status_code == inactive.status_code == 200
    assert without_token(known) == without_token(unknown) == without_token(inactive)
    wait_for_mail(smtp, 1)
    assert [rcpts for rcpts, _ in smtp.messages] == [[WORKER]]  # only the real, active account
    # the same steps in both cases: the e-mail goes out after the answer, in the background
    assert db.session.scalar(select(func.count()).select_from(AccountToken)) == 1


def test_a_new_link_replaces_the_old_and_an_expired_one_says_what_to_do(client, demo, smtp):
    _ask_reset(client, WORKER)
    _ask_reset(client, WORKER)
    first, second = (_link_from(m) for _, m in wait_for_mail(smtp, 2))
    replaced = client.get(first)
    assert replaced.status_code == 410 and "nieuwere link" in replaced.get_data(as_text=True)
    db.session.execute(
        update(AccountToken).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    db.session.commit()
    expired = client.get(second)
    page = expired.get_data(as_text=True)
    assert expired.status_code == 410 and "verlopen" in page
    assert 'href="/wachtwoord-vergeten"' in page  # the next step
    assert _set(client, second).status_code == 410  # and it cannot be used either
    assert client.get("/wachtwoord-instellen/niet-een-echte-link").status_code == 404


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "minimaal 12 tekens"),
        ("wachtwoord2026!", "makkelijk te raden"),
        ("123456789012", "makkelijk te raden"),
        ("sanne bakker 2026", "je naam of e-mailadres"),
    ],
)
def test_the_password_policy_is_explained(client, demo, smtp, password, message):
    _ask_reset(client, WORKER)
    ((_, mail),) = wait_for_mail(smtp, 1)
    answer = _set(client, _link_from(mail), password)
    assert answer.status_code == 200 and message in answer.get_data(as_text=True)
    assert 'value="' + password not in answer.get_data(as_text=True)  # never sent back
    token = db.session.scalar(select(AccountToken))
    assert token.used_at is None  # a refused password does not use up the link


def test_forgotten_password_is_rate_limited_per_address(client, demo, app, monkeypatch):
    monkeypatch.setitem(app.config, "RESET_LIMIT_PER_ACCOUNT", "3 per hour")
    limiter.reset()
    answers = [_ask_reset(client, "iemand@example.org").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert _ask_reset(client, WORKER).status_code == 200  # another address is not blocked


def test_an_invitation_sets_the_first_password(client, auth, demo, smtp):
    """The administrator invites; the e-mail is in the person's language; the link works once."""
    auth.login(ADMIN)
    lotte = user_by_email("lotte@werknemer-demo.nl")
    answer = client.post(f"/beheer/gebruikers/{lotte.id}/uitnodigen")
    assert answer.status_code == 302
    ((recipients, message),) = wait_for_mail(smtp, 1)
    assert recipients == [lotte.email]
    body = message.get_content()
    assert "Bram Beheer heeft een account voor je gemaakt" in body and "7 dagen" in body
    path = _link_from(message)
    auth.logout()
    assert _set(client, path).status_code == 302
    assert auth.login(lotte.email, NEW_PASSWORD).status_code == 302
    token = db.session.scalar(select(AccountToken).where(AccountToken.user_id == lotte.id))
    assert token.purpose == TokenPurpose.INVITATION and token.used_at is not None


def test_a_worker_registered_by_the_employer_gets_in_through_the_contact_persons_invitation(
    client, auth, demo, smtp
):
    """Self-found job -> account without a password -> invitation by the contact person ->
    the worker chooses a password and logs in."""
    from portal.models import Municipality  # noqa: PLC0415

    auth.login(EMPLOYER)
    utrecht = db.session.scalar(select(Municipality.id).where(Municipality.name == "Utrecht"))
    page = client.get("/zelf-gevonden-baan").get_data(as_text=True)
    key = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    client.post(
        "/zelf-gevonden-baan",
        data={
            "worker_first_name": "Nina",
            "worker_last_name": "Nieuw",
            "worker_email": "nina@example.org",
            "regime": "participatiewet",
            "municipality": utrecht,
            "start_date": "2026-11-02",
            "phase": "vast",
            "submission": key,
        },
    )
    auth.logout()
    nina = user_by_email("nina@example.org")
    auth.login(OTHER_CONTACT)  # not her contact person
    assert client.post(f"/contactpersonen/werknemer/{nina.id}/uitnodigen").status_code == 403
    auth.logout()
    auth.login(CONTACT)  # Gemeente Utrecht: hers by the routing table
    answer = client.post(f"/contactpersonen/werknemer/{nina.id}/uitnodigen")
    assert answer.status_code == 302
    assert "uitnodiging gestuurd" in client.get(answer.headers["Location"]).get_data(as_text=True)
    auth.logout()
    # the start messages of the placement went out too; the invitation is the one with a link
    before = len(smtp.messages)
    (message,) = [
        m
        for rcpts, m in wait_for_mail(smtp, before)
        if "nina@example.org" in rcpts and LINK.search(m.get_content())
    ] or [None]
    assert message is not None
    assert "Fatima el Amrani heeft een account voor je gemaakt" in message.get_content()
    assert _set(client, _link_from(message)).status_code == 302
    assert auth.login("nina@example.org", NEW_PASSWORD).headers["Location"] == "/dashboard"


def test_the_answer_does_not_wait_for_the_email(client, demo, app, monkeypatch):
    """The known address's answer is on the same path as an unknown one's: the e-mail is sent
    after the answer, so the answer cannot be slower because of it. The sender here blocks until
    the answer has arrived; had the request waited for it, the request would never come back."""
    may_send = threading.Event()
    sent = threading.Event()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")

    def blocked_sender(_settings, mail):
        assert may_send.wait(timeout=30)
        sent.set()

    monkeypatch.setattr(passwords, "send_email", blocked_sender)
    answer = _ask_reset(client, WORKER)
    assert answer.status_code == 200 and not sent.is_set()
    may_send.set()
    assert sent.wait(timeout=10)
