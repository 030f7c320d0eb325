"""Log-in, log-out, CSRF, rate limits and no user enumeration."""

import re

import pytest

from portal import create_app
from tests.conftest import WORKER, IsolatedClient


def test_login_page_renders_in_dutch_by_default(client):
    response = client.get("/inloggen")
    assert response.status_code == 200
    assert b'<html lang="nl">' in response.data
    assert b"Inloggen" in response.data


def test_login_and_logout(client, auth, demo):
    response = auth.login(WORKER)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    assert auth.logout().status_code == 302
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_wrong_password_and_unknown_account_get_the_same_answer(client, auth, demo):
    wrong_password = auth.login(WORKER, "niet-het-wachtwoord")
    unknown = auth.login("niemand@example.nl", "niet-het-wachtwoord")
    assert wrong_password.status_code == unknown.status_code == 200
    message = b"Het e-mailadres of wachtwoord klopt niet."
    assert message in wrong_password.data
    assert message in unknown.data
    # The typed e-mail address is kept, the password is not.
    assert b'value="sanne@werknemer-demo.nl"' in wrong_password.data


def test_empty_form_shows_translated_errors(client, demo):
    response = client.post("/inloggen", data={"email": "", "password": ""})
    assert b"Vul uw e-mailadres in." in response.data
    assert b"Vul uw wachtwoord in." in response.data


def test_deactivated_account_cannot_log_in(client, auth, demo):
    from portal.extensions import db
    from tests.conftest import user_by_email

    user_by_email(WORKER).active = False
    db.session.commit()
    assert auth.login(WORKER).status_code == 200
    assert client.get("/dashboard").status_code == 302


def test_open_redirect_is_refused(client, demo):
    response = client.post(
        "/inloggen?next=https://evil.example/",
        data={"email": WORKER, "password": "demo-wachtwoord-2026", "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/dashboard"


def test_next_path_on_the_same_site_is_followed(client, demo):
    response = client.post(
        "/inloggen",
        data={"email": WORKER, "password": "demo-wachtwoord-2026", "next": "/assistent"},
    )
    assert response.headers["Location"] == "/assistent"


def test_rate_limit_per_account_after_five_failures(client, auth, demo):
    for _ in range(5):
        assert auth.login(WORKER, "fout").status_code == 200
    response = auth.login(WORKER, "fout")
    assert response.status_code == 429
    assert b"Te vaak geprobeerd" in response.data
    # Even the right password is refused while the account is limited.
    assert auth.login(WORKER).status_code == 429


def test_successful_logins_do_not_count_against_the_limit(client, auth, demo):
    for _ in range(8):
        assert auth.login(WORKER).status_code == 302
        auth.logout()


def test_rate_limit_per_ip_across_accounts(app, demo):
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per 15 minutes"
    try:
        client = app.test_client()
        for n in range(3):
            client.post("/inloggen", data={"email": f"a{n}@example.nl", "password": "x"})
        response = client.post("/inloggen", data={"email": "b@example.nl", "password": "x"})
        assert response.status_code == 429
    finally:
        app.config["LOGIN_LIMIT_PER_IP"] = "30 per 15 minutes"


@pytest.fixture
def csrf_app(database_url):
    csrf_app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True}
    )
    csrf_app.test_client_class = IsolatedClient
    return csrf_app


def test_csrf_refuses_a_form_without_token(csrf_app, demo):
    client = csrf_app.test_client()
    response = client.post("/inloggen", data={"email": WORKER, "password": "demo-wachtwoord-2026"})
    assert response.status_code == 400
    assert b"Formulier verlopen" in response.data


def test_csrf_accepts_a_form_with_token(csrf_app, demo):
    client = csrf_app.test_client()
    page = client.get("/inloggen").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/inloggen",
        data={"email": WORKER, "password": "demo-wachtwoord-2026", "csrf_token": token},
    )
    assert response.status_code == 302


def test_logout_requires_post(client, auth, demo):
    auth.login(WORKER)
    assert client.get("/uitloggen").status_code == 405


def test_language_switch_to_english_and_back(client, demo):
    response = client.post("/taal", data={"lang": "en", "next": "/inloggen"})
    assert response.headers["Location"] == "/inloggen"
    page = client.get("/inloggen")
    assert b'<html lang="en">' in page.data
    assert b"Log in" in page.data
    client.post("/taal", data={"lang": "nl"})
    assert b'<html lang="nl">' in client.get("/inloggen").data


def test_language_switch_ignores_unknown_languages(client):
    client.post("/taal", data={"lang": "xx"})
    assert b'<html lang="nl">' in client.get("/inloggen").data


def test_session_cookie_flags(client, auth, demo):
    response = auth.login(WORKER)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_config_sets_secure_cookies_and_requires_secrets(monkeypatch):
    from portal.config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SECRET_KEY": None, "PORTAL_SERVICE_TOKEN": None})
