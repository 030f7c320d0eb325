"""The user's sessions page (/mijn-sessies), ending sessions there, and the inactivity expiry
with its "stay logged in" endpoint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import UserSession
from tests.conftest import CONTACT, OTHER_WORKER, WORKER, log_in, user_by_email

PASSWORD = "demo-wachtwoord-2026"
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
IDLE_MESSAGE = "Er is automatisch uitgelogd, omdat er een tijd geen activiteit was."


def login(client, email=WORKER, user_agent=FIREFOX_WINDOWS):
    # Every request of this client: "strong" session protection ties the session to the browser.
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    answer = log_in(client, email, PASSWORD)
    assert answer.status_code == 302 and "/inloggen" not in answer.location
    return answer


def sessions_of(email) -> list[UserSession]:
    db.session.expire_all()
    user = user_by_email(email)
    return list(
        db.session.scalars(
            select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
        )
    )


def set_last_seen_back(email, delta: timedelta) -> None:
    user = user_by_email(email)
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id)
        .values(last_seen_at=datetime.now(UTC) - delta)
    )
    db.session.commit()


def time_passes(email, delta: timedelta) -> None:
    """Move the user's sessions back in time, as if `delta` passed without a request."""
    for row in sessions_of(email):
        row.created_at -= delta
        row.last_seen_at -= delta
    db.session.commit()


def test_the_page_lists_both_devices_and_marks_this_one(app, client, demo):
    login(client, user_agent=FIREFOX_WINDOWS)
    login(app.test_client(), user_agent=SAFARI_IPHONE)
    answer = client.get("/mijn-sessies")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "<h1" in page and page.count("<h1") == 1
    assert "<caption" in page
    assert "Firefox op Windows" in page and "Safari op iOS" in page
    assert page.count("(dit apparaat)") == 1
    this_row = page[page.index("Firefox op Windows") :]
    assert this_row.index("(dit apparaat)") < this_row.index("</tr>")
    assert page.count('name="session_id"') == 1, "a button for the other device only"
    assert "Op alle andere apparaten uitloggen" in page
    assert 'href="/mijn-sessies"' in client.get("/dashboard").get_data(as_text=True)


def test_the_page_needs_a_log_in(client, demo):
    answer = client.get("/mijn-sessies")
    assert answer.status_code == 302 and "/inloggen" in answer.location


def test_ending_the_other_session_logs_that_client_out(app, client, demo):
    login(client)
    other = app.test_client()
    login(other, user_agent=SAFARI_IPHONE)
    assert other.get("/dashboard").status_code == 200
    other_row = sessions_of(WORKER)[1]

    answer = client.post("/mijn-sessies/beeindigen", data={"session_id": other_row.id})
    assert answer.status_code == 302 and answer.location.endswith("/mijn-sessies")
    page = client.get("/mijn-sessies").get_data(as_text=True)
    assert "Op Safari op iOS is nu uitgelogd." in page
    assert "Safari op iOS</td>" not in page
    kicked = other.get("/dashboard")
    assert kicked.status_code == 302 and "/inloggen" in kicked.location
    assert client.get("/dashboard").status_code == 200, "this session stays"
    assert [row.end_reason for row in sessions_of(WORKER)] == [None, "ended_by_user"]


def test_ending_all_other_sessions(app, client, demo):
    login(client)
    others = [app.test_client(), app.test_client()]
    for other in others:
        login(other, user_agent=SAFARI_IPHONE)

    client.post("/mijn-sessies/andere-beeindigen")
    page = client.get("/mijn-sessies").get_data(as_text=True)
    assert "Op 2 andere apparaten is nu uitgelogd." in page
    for other in others:
        assert other.get("/dashboard").status_code == 302
    assert client.get("/dashboard").status_code == 200
    reasons = [row.end_reason for row in sessions_of(WORKER)]
    assert reasons == [None, "ended_by_user", "ended_by_user"]


def test_someone_elses_session_cannot_be_ended(app, client, demo):
    login(client)
    someone = app.test_client()
    login(someone, OTHER_WORKER)
    theirs = sessions_of(OTHER_WORKER)[0]

    answer = client.post("/mijn-sessies/beeindigen", data={"session_id": theirs.id})
    assert answer.status_code == 404
    assert client.post("/mijn-sessies/beeindigen", data={"session_id": "x"}).status_code == 404
    assert sessions_of(OTHER_WORKER)[0].ended_at is None
    assert someone.get("/dashboard").status_code == 200
    page = client.get("/mijn-sessies").get_data(as_text=True)
    assert page.count('<tr class="utrecht-table__row">') == 2, "the header and this device only"
    assert f'value="{theirs.id}"' not in page


def test_a_contact_person_idle_for_31_minutes_is_sent_to_log_in_with_a_message(client, demo):
    login(client, CONTACT)
    assert client.get("/dashboard").status_code == 200
    set_last_seen_back(CONTACT, timedelta(minutes=31))

    answer = client.get("/dashboard")
    assert answer.status_code == 302 and "/inloggen" in answer.location
    page = client.get(answer.location).get_data(as_text=True)
    assert IDLE_MESSAGE in page
    assert "Log in om deze pagina te zien." not in page
    ended = sessions_of(CONTACT)[0]
    assert ended.ended_at is not None and ended.end_reason == "idle"
    again = client.get("/dashboard")
    assert again.status_code == 302, "the ended session does not come back"


def test_a_contact_person_idle_for_29_minutes_stays_logged_in(client, demo):
    login(client, CONTACT)
    set_last_seen_back(CONTACT, timedelta(minutes=29))
    assert client.get("/dashboard").status_code == 200
    row = sessions_of(CONTACT)[0]
    last_seen = row.last_seen_at.replace(tzinfo=row.last_seen_at.tzinfo or UTC)
    assert datetime.now(UTC) - last_seen < timedelta(minutes=1), "last seen is kept, committed"


def test_a_worker_stays_logged_in_after_31_minutes_but_not_after_8_hours(client, demo):
    login(client, WORKER)
    set_last_seen_back(WORKER, timedelta(minutes=31))
    assert client.get("/dashboard").status_code == 200

    set_last_seen_back(WORKER, timedelta(hours=8, minutes=1))
    answer = client.get("/dashboard")
    assert answer.status_code == 302 and "/inloggen" in answer.location
    assert IDLE_MESSAGE in client.get(answer.location).get_data(as_text=True)


def test_an_idle_session_is_not_listed_on_the_page(app, client, demo):
    login(client, CONTACT)
    other = app.test_client()
    login(other, CONTACT, user_agent=SAFARI_IPHONE)
    other_row = sessions_of(CONTACT)[1]
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == other_row.id)
        .values(last_seen_at=datetime.now(UTC) - timedelta(minutes=45))
    )
    db.session.commit()
    page = client.get("/mijn-sessies").get_data(as_text=True)
    assert "Safari op iOS" not in page
    assert sessions_of(CONTACT)[1].end_reason == "idle"


def test_stay_logged_in_keeps_the_session_alive(client, demo):
    login(client, CONTACT)
    time_passes(CONTACT, timedelta(minutes=29))
    answer = client.post("/sessie/verlengen")  # the warning's button
    assert answer.status_code == 204 and answer.get_data() == b""
    time_passes(CONTACT, timedelta(minutes=29))
    assert client.get("/dashboard").status_code == 200, "58 minutes, but 29 since the button"


def test_without_stay_logged_in_the_same_time_ends_the_session(client, demo):
    login(client, CONTACT)
    time_passes(CONTACT, timedelta(minutes=29))
    time_passes(CONTACT, timedelta(minutes=29))
    assert client.get("/dashboard").status_code == 302


def test_stay_logged_in_touches_last_seen_even_within_the_resolution(client, demo):
    login(client, CONTACT)
    before = datetime.now(UTC) - timedelta(seconds=30)
    db.session.execute(update(UserSession).values(last_seen_at=before))
    db.session.commit()
    assert client.post("/sessie/verlengen").status_code == 204
    row = sessions_of(CONTACT)[0]
    assert row.last_seen_at.replace(tzinfo=row.last_seen_at.tzinfo or UTC) > before


def test_stay_logged_in_needs_a_session_and_a_csrf_token(app, client, demo):
    answer = client.post("/sessie/verlengen")
    assert answer.status_code == 302 and "/inloggen" in answer.location
    login(client, CONTACT)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/sessie/verlengen").status_code == 400
        page = client.get("/dashboard").get_data(as_text=True)
        token = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
        answer = client.post("/sessie/verlengen", headers={"X-CSRFToken": token})
        assert answer.status_code == 204
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_page_carries_the_idle_limit_and_the_script_for_logged_in_users(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert "data-idle-seconds" not in page and "session-timeout.js" not in page
    login(client, CONTACT)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'data-idle-seconds="1800"' in page
    assert 'data-session-extend-url="/sessie/verlengen"' in page
    assert '<script src="/static/js/session-timeout.js" defer></script>' in page
    assert "Ingelogd blijven" in page
    client.post("/uitloggen")
    login(client, WORKER)
    assert 'data-idle-seconds="28800"' in client.get("/dashboard").get_data(as_text=True)
