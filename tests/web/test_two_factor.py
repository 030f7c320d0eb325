"""Two-step verification: setting it up with the QR page and a code computed here as the app
would, the log-in's second step, recovery codes, the rate limit, staff who have not set it up
reaching nothing, and the administrator's reset."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.blueprints.auth.routes import OPEN_BEFORE_TWO_FACTOR
from portal.blueprints.auth.two_factor import PENDING_KEY, PENDING_SECONDS
from portal.demo import DEMO_TOTP_SECRET
from portal.extensions import db
from portal.models import AuditEvent, InboxMessage, RecoveryCode, UserSession
from portal.services import two_factor
from portal.services.two_factor import code_at, step_of
from tests.conftest import (
    ADMIN,
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    MANAGER,
    WORKER,
    log_in,
    user_by_email,
)
from tests.fixtures.mail import wait_for_mail
from tests.support import figures
from tests.support.access import build_targets, is_allowed, routes_with_targets
from tests.support.two_factor import SECOND_STEP_PATH, code_for_user, free_step

PASSWORD = "demo-wachtwoord-2026"
SETTINGS = "/tweestapsverificatie"
SECRET_ON_PAGE = re.compile(
    r'<code class="utrecht-code totp-secret" translate="no">([A-Z2-7 ]+)</code>'
)
CODES_ON_PAGE = re.compile(r'<code class="utrecht-code">([a-z2-9]{4}-[a-z2-9]{4})</code>')


def _switch_off(email: str):
    user = user_by_email(email)
    two_factor.switch_off(db.session, user)
    db.session.commit()
    return user


def _app_code(secret: str, last_step: int | None = None) -> str:
    """What the authenticator app shows now (a step the portal has not seen used yet)."""
    return code_at(secret, free_step(last_step))


def _password_only(client, email: str):
    return client.post("/inloggen", data={"email": email, "password": PASSWORD})


def _enrol(client, email: str) -> tuple[str, list[str]]:
    """Set up two-step verification through the pages; returns the secret and recovery codes."""
    page = client.get(SETTINGS)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert '<svg role="img" aria-label="QR-code voor de authenticator-app"' in html
    secret = SECRET_ON_PAGE.search(html).group(1).replace(" ", "")
    answer = client.post(f"{SETTINGS}/instellen", data={"code": _app_code(secret)})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    codes = CODES_ON_PAGE.findall(answer.get_data(as_text=True))
    assert len(codes) == two_factor.RECOVERY_CODES
    return secret, codes


def test_staff_set_it_up_and_then_log_in_with_a_code_from_the_app(client, demo):
    contact = _switch_off(CONTACT)
    answer = _password_only(client, CONTACT)
    # Without two-step verification yet: logged in, but every page sends to the set-up first.
    assert client.get("/dashboard").location == SETTINGS

    secret, codes = _enrol(client, CONTACT)
    db.session.refresh(contact)
    assert contact.two_factor_enabled and contact.totp_secret == secret
    stored = db.session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == contact.id)
    )
    assert sorted(stored) == sorted(two_factor.hash_recovery_code(code) for code in codes)
    assert not set(codes) & set(stored)  # only hashes are kept
    assert client.get("/dashboard").status_code == 200

    client.post("/uitloggen")
    sessions_before = db.session.scalar(select(db.func.count()).select_from(UserSession))
    answer = _password_only(client, CONTACT)
    assert answer.location == SECOND_STEP_PATH
    # The password alone logs nobody in and starts no session.
    assert client.get("/dashboard").location.startswith("/inloggen")
    assert db.session.scalar(select(db.func.count()).select_from(UserSession)) == sessions_before
    db.session.refresh(contact)
    answer = client.post(SECOND_STEP_PATH, data={"code": _app_code(secret, contact.totp_last_step)})
    assert answer.status_code == 302 and answer.location == "/dashboard"
    assert client.get("/dashboard").status_code == 200


def test_a_wrong_code_does_not_switch_it_on(client, demo):
    contact = _switch_off(CONTACT)
    _password_only(client, CONTACT)
    page = client.get(SETTINGS).get_data(as_text=True)
    secret = SECRET_ON_PAGE.search(page).group(1).replace(" ", "")
    wrong = f"{(int(_app_code(secret)) + 1) % 10**6:06d}"
    answer = client.post(f"{SETTINGS}/instellen", data={"code": wrong})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Deze code klopt niet of is al gebruikt" in html
    assert SECRET_ON_PAGE.search(html).group(1).replace(" ", "") == secret  # same QR code
    db.session.refresh(contact)
    assert not contact.two_factor_enabled
    assert client.get("/dashboard").location == SETTINGS


def test_a_new_qr_code_replaces_the_secret_while_setting_up(client, demo):
    contact = _switch_off(CONTACT)
    _password_only(client, CONTACT)
    client.get(SETTINGS)
    db.session.refresh(contact)
    first = contact.totp_secret
    client.post(f"{SETTINGS}/opnieuw")
    db.session.refresh(contact)
    assert contact.totp_secret != first and not contact.two_factor_enabled
    # a code of the first secret no longer switches it on
    client.post(f"{SETTINGS}/instellen", data={"code": _app_code(first)})
    db.session.refresh(contact)
    assert not contact.two_factor_enabled


def test_a_code_works_once(client, app, demo):
    contact = user_by_email(CONTACT)
    code = code_at(contact.totp_secret, step_of(datetime.now(UTC)))
    _password_only(client, CONTACT)
    assert client.post(SECOND_STEP_PATH, data={"code": code}).location == "/dashboard"
    other = app.test_client()
    _password_only(other, CONTACT)
    answer = other.post(SECOND_STEP_PATH, data={"code": code})
    assert answer.status_code == 200 and "al gebruikt" in answer.get_data(as_text=True)
    assert other.get("/dashboard").location.startswith("/inloggen")


def test_a_recovery_code_works_once_and_the_person_is_told(client, app, demo):
    _switch_off(CONTACT)
    _password_only(client, CONTACT)
    _, codes = _enrol(client, CONTACT)
    client.post("/uitloggen")

    _password_only(client, CONTACT)
    answer = client.post(SECOND_STEP_PATH, data={"code": codes[3].upper().replace("-", " ")})
    assert answer.location == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Ingelogd met een herstelcode. Er zijn nog 9 herstelcodes over." in page
    notices = db.session.scalars(
        select(InboxMessage.subject).where(InboxMessage.user_id == user_by_email(CONTACT).id)
    ).all()
    assert "Er is ingelogd met een herstelcode" in notices

    other = app.test_client()
    _password_only(other, CONTACT)
    assert other.post(SECOND_STEP_PATH, data={"code": codes[3]}).status_code == 200
    assert other.get("/dashboard").location.startswith("/inloggen")


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones(client, app, demo):
    contact = _switch_off(CONTACT)
    _password_only(client, CONTACT)
    secret, old_codes = _enrol(client, CONTACT)
    refused = client.post(f"{SETTINGS}/herstelcodes", data={"new-code": "000000"})
    assert refused.status_code == 200 and "klopt niet" in refused.get_data(as_text=True)
    db.session.refresh(contact)
    answer = client.post(
        f"{SETTINGS}/herstelcodes", data={"new-code": _app_code(secret, contact.totp_last_step)}
    )
    new_codes = CODES_ON_PAGE.findall(answer.get_data(as_text=True))
    assert len(new_codes) == two_factor.RECOVERY_CODES and not set(new_codes) & set(old_codes)
    other = app.test_client()
    _password_only(other, CONTACT)
    assert other.post(SECOND_STEP_PATH, data={"code": old_codes[0]}).status_code == 200
    assert other.post(SECOND_STEP_PATH, data={"code": new_codes[0]}).location == "/dashboard"


def test_wrong_codes_are_rate_limited_per_account(client, app, demo):
    contact = user_by_email(CONTACT)
    _password_only(client, CONTACT)
    for _ in range(5):
        assert client.post(SECOND_STEP_PATH, data={"code": "000000"}).status_code == 200
    right = code_for_user(contact, db.session)
    assert client.post(SECOND_STEP_PATH, data={"code": right}).status_code == 429
    # a new password log-in (another browser) does not start the count again
    other = app.test_client()
    _password_only(other, CONTACT)
    assert other.post(SECOND_STEP_PATH, data={"code": right}).status_code == 429
    # another account is not affected
    assert log_in(app.test_client(), ADMIN).location == "/dashboard"


def test_the_second_step_expires_and_keeps_the_next_page(client, demo):
    contact = user_by_email(CONTACT)
    client.post(
        "/inloggen", data={"email": CONTACT, "password": PASSWORD, "next": "/contactpersonen/"}
    )
    answer = client.post(SECOND_STEP_PATH, data={"code": code_for_user(contact, db.session)})
    assert answer.location == "/contactpersonen/"
    client.post("/uitloggen")

    _password_only(client, CONTACT)
    with client.session_transaction() as cookie_session:
        pending = dict(cookie_session[PENDING_KEY], since=time.time() - PENDING_SECONDS - 1)
        cookie_session[PENDING_KEY] = pending
    answer = client.post(SECOND_STEP_PATH, data={"code": code_for_user(contact, db.session)})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "duurde te lang" in html and 'id="password"' in html
    assert client.get("/dashboard").location.startswith("/inloggen")
    # without a password first there is no second step at all: the log-in form
    page = client.get(SECOND_STEP_PATH).get_data(as_text=True)
    assert 'id="password"' in page and "duurde te lang" not in page


@pytest.mark.parametrize("email", [CONTACT, JOBCOACH, ADMIN])
def test_staff_without_it_reach_no_page_but_the_set_up(app, demo, email):
    """Every route (with real records) answers a logged-in staff member who has not set up two-step
    verification with the way to the set-up, or a refusal: no personal data before it."""
    _switch_off(email)
    client = app.test_client()
    assert _password_only(client, email).location == "/dashboard"
    user = user_by_email(email)
    targets = build_targets()
    checked = 0
    for url_rule, rule, kind, target, path in routes_with_targets(app, targets):
        if url_rule.endpoint in OPEN_BEFORE_TWO_FACTOR or "GET" not in url_rule.methods:
            continue
        answer = client.get(path)
        if is_allowed(url_rule.endpoint, rule, email, user, kind, target):
            assert answer.status_code == 302 and answer.location == SETTINGS, path
        else:
            assert answer.status_code in (302, 401, 403, 404), path
            assert answer.status_code != 302 or answer.location == SETTINGS, path
        checked += 1
    # and what changes data is refused the same way
    assert client.post("/meldingen/nieuw", data={}).location == SETTINGS
    figures.add("two_factor_wall_requests", checked)
    assert checked > 100


@pytest.mark.parametrize("email", [WORKER, EMPLOYER, MANAGER])
def test_others_may_log_in_without_it_and_may_switch_it_on_and_off(app, demo, email):
    client = app.test_client()
    assert _password_only(client, email).status_code == 302
    assert client.get("/dashboard").status_code in (200, 302)
    assert client.get("/dashboard").location != SETTINGS
    user = user_by_email(email)
    secret, _ = _enrol(client, email)
    client.post("/uitloggen")
    assert _password_only(client, email).location == SECOND_STEP_PATH
    db.session.refresh(user)
    answer = client.post(SECOND_STEP_PATH, data={"code": _app_code(secret, user.totp_last_step)})
    assert answer.location in ("/dashboard", "/regio/")
    db.session.refresh(user)
    answer = client.post(
        f"{SETTINGS}/uitzetten", data={"off-code": code_for_user(user, db.session)}
    )
    assert answer.location == SETTINGS
    db.session.refresh(user)
    assert not user.two_factor_enabled
    assert db.session.scalar(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id)) is None


def test_staff_cannot_switch_it_off(client, auth, demo):
    contact = user_by_email(CONTACT)
    auth.login(CONTACT)
    page = client.get(SETTINGS).get_data(as_text=True)
    assert "kan tweestapsverificatie niet worden uitgezet" in page and "off-code" not in page
    answer = client.post(
        f"{SETTINGS}/uitzetten", data={"off-code": code_for_user(contact, db.session)}
    )
    assert answer.location == SETTINGS
    db.session.refresh(contact)
    assert contact.two_factor_enabled


def test_an_administrator_resets_it_after_a_lost_phone_and_it_is_audited(app, demo, smtp):
    contact = user_by_email(CONTACT)
    phone_lost = app.test_client()
    log_in(phone_lost, CONTACT)
    admin = app.test_client()
    log_in(admin, ADMIN)
    detail = admin.get(f"/beheer/gebruikers/{contact.id}").get_data(as_text=True)
    assert "Tweestapsverificatie resetten" in detail
    listed = admin.get("/beheer/gebruikers?q=elamrani").get_data(as_text=True)
    assert '<td class="utrecht-table__cell">Aan</td>' in listed

    answer = admin.post(f"/beheer/gebruikers/{contact.id}/tweestapsverificatie-resetten")
    assert answer.location == f"/beheer/gebruikers/{contact.id}"
    db.session.refresh(contact)
    assert not contact.two_factor_enabled and contact.totp_secret is None
    assert phone_lost.get("/dashboard").location.startswith("/inloggen")  # logged out everywhere
    admin_id = user_by_email(ADMIN).id
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "user_account",
            AuditEvent.entity_id == str(contact.id),
            AuditEvent.actor_id == admin_id,
        )
    ).all()
    assert any("totp_enabled_at" in (event.changes or {}) for event in events)
    assert all(
        (event.changes or {}).get("totp_secret", ["[masked]"])[-1] in ("[masked]", None)
        for event in events
    )
    subjects = [message["Subject"] for _, message in wait_for_mail(smtp, 1)]
    assert "Uw tweestapsverificatie is gereset" in subjects

    # the contact person sets it up again right after the password
    again = app.test_client()
    assert _password_only(again, CONTACT).location == "/dashboard"
    assert again.get("/contactpersonen/").location == SETTINGS
    listed = admin.get("/beheer/gebruikers?q=elamrani").get_data(as_text=True)
    assert "<strong>Nog niet ingesteld</strong>" in listed

    # an administrator cannot reset their own
    own = admin.post(f"/beheer/gebruikers/{admin_id}/tweestapsverificatie-resetten")
    assert own.location == f"/beheer/gebruikers/{admin_id}"
    assert user_by_email(ADMIN).two_factor_enabled


def test_the_demo_code_command_only_serves_the_demo_key(app, demo):
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["demo-code", CONTACT])
    assert shown.exit_code == 0
    assert two_factor.verify(DEMO_TOTP_SECRET, shown.output.strip(), datetime.now(UTC)) is not None
    # an account with a key of its own (or none) gets nothing
    contact = _switch_off(CONTACT)
    two_factor.start_enrolment(contact)
    contact.totp_enabled_at = datetime.now(UTC)
    db.session.commit()
    for email in (CONTACT, WORKER, "niemand@example.org"):
        refused = runner.invoke(args=["demo-code", email])
        assert refused.exit_code != 0 and "not a demo account" in refused.output
