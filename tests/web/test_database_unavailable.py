"""When the database cannot be reached: a 503 that says nothing was saved, and a form's input kept
on the page to send again (the real restart of PostgreSQL is in tests/prod)."""

from __future__ import annotations

import logging
import re
import sys
from html import unescape

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from portal import audit_hooks
from portal.extensions import db
from portal.models import HelpRequest, ProblemCategory, ProblemReport, User
from tests.conftest import ADMIN, WORKER

TEXT = "Mijn rooster verandert <elke> week & niemand zegt het."


class Outage:
    """`start()`: every query fails as when PostgreSQL restarts; `end()`: it works again."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.error = OperationalError

    def start(self) -> None:
        def unreachable(*_args, **_kwargs):
            raise self.error("SELECT", {}, ConnectionError("server closed the connection"))

        for method in ("get", "scalar", "scalars", "execute"):
            self.monkeypatch.setattr(db.session, method, unreachable)

    def end(self) -> None:
        self.monkeypatch.undo()


@pytest.fixture
def outage(monkeypatch):
    return Outage(monkeypatch)


def _reports() -> int:
    return db.session.scalar(select(func.count()).select_from(ProblemReport))


def _hidden_fields(page: str) -> list[tuple[str, str]]:
    return [
        (name, unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    ]


def test_a_form_sent_while_the_database_is_down_comes_back_to_send_again(
    client, auth, demo, outage
):
    auth.login(WORKER)
    category = db.session.scalar(select(ProblemCategory).where(ProblemCategory.code == "workload"))
    before = _reports()
    outage.start()
    down = client.post(
        "/meldingen/nieuw", data={"category": category.id, "urgency": "this_week", "text": TEXT}
    )
    outage.end()
    assert down.status_code == 503
    assert down.headers["Retry-After"] == "30"
    page = down.get_data(as_text=True)
    assert "Niet opgeslagen" in page and "niet opgeslagen, ook niet voor een deel" in page
    assert "Mijn rooster verandert &lt;elke&gt; week &amp; niemand zegt het." in page
    shown = page.split("Wat is ingevuld", 1)[1].split("</ul>", 1)[0]
    assert "Mijn rooster" in shown and "this_week" not in shown  # the text, not the codes
    fields = _hidden_fields(page)
    assert ("text", TEXT) in fields and ("urgency", "this_week") in fields
    assert 'action="/meldingen/nieuw"' in page
    assert _reports() == before
    again = client.post("/meldingen/nieuw", data=MultiDict(fields))
    assert again.status_code == 302
    assert _reports() == before + 1


def test_a_connection_closed_in_use_is_unavailable_too(client, auth, demo, outage):
    """The driver reports a connection the server closed mid-use as an InterfaceError."""
    auth.login(WORKER)
    outage.error = InterfaceError
    outage.start()
    down = client.post("/meldingen/nieuw", data={"urgency": "this_week", "text": TEXT})
    outage.end()
    assert down.status_code == 503 and "Niet opgeslagen" in down.get_data(as_text=True)


def test_a_password_is_never_put_back_into_the_page(client, demo, outage):
    outage.start()
    page = client.post(
        "/inloggen", data={"email": WORKER, "password": "geheim-wachtwoord"}
    ).get_data(as_text=True)
    assert "geheim-wachtwoord" not in page and "Opnieuw versturen" not in page
    assert "Wacht even en probeer het opnieuw." in page


def test_pages_and_the_api_say_unavailable(client, auth, demo, outage):
    auth.login(WORKER)
    outage.start()
    response = client.get("/dashboard")
    assert response.status_code == 503
    assert "Tijdelijk niet beschikbaar" in response.get_data(as_text=True)
    api = client.get(
        "/api/v1/conversations/x/context", headers={"Authorization": "Bearer test-service-token"}
    )
    assert api.status_code == 503
    assert api.get_json() == {"error": "database unavailable"}


def _called_from(function) -> bool:
    frame = sys._getframe(2)
    while frame is not None and frame.f_code is not function.__code__:
        frame = frame.f_back
    return frame is not None


def _lost(statement: str) -> OperationalError:
    return OperationalError(statement, {}, ConnectionError("terminating connection"))


def test_a_database_gone_after_the_last_query_does_not_fail_the_answer(app, monkeypatch, caplog):
    """PostgreSQL shuts down between a request's last query and the end of the request: the
    closing rollback fails, but the page was made and nothing was left unsaved, so it is sent.
    A client without an outer app context, so the request ends its own database session."""
    real_close = Session.close
    closes: list[str] = []

    def close_on_a_lost_connection(self):
        closes.append("close")
        if len(closes) == 1:
            raise _lost("ROLLBACK")
        real_close(self)

    monkeypatch.setattr(Session, "close", close_on_a_lost_connection)
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        response = app.test_client().post(
            "/inloggen", data={"email": "onbekend@example.nl", "password": "een-lang-wachtwoord"}
        )
    assert response.status_code == 200  # the log-in form with its message
    assert "onbekend@example.nl" in response.get_data(as_text=True)
    assert len(closes) >= 2  # closed again after the failure, so the connection is released
    assert "database connection lost while ending a session: ConnectionError" in caplog.text


def test_a_read_that_cannot_be_recorded_is_unavailable_not_an_error(
    client, auth, demo, monkeypatch
):
    """Staff reads are committed after the view; a database gone by then gives the 503 page,
    and not the page with the data (the read was not recorded)."""
    auth.login(ADMIN)
    sanne = db.session.scalar(select(User).where(User.email == WORKER))
    real_commit = Session.commit

    def commit(self):
        if _called_from(audit_hooks._commit_reads):
            raise _lost("COMMIT")
        return real_commit(self)

    monkeypatch.setattr(Session, "commit", commit)
    response = client.get(f"/beheer/gebruikers/{sanne.id}")
    monkeypatch.undo()
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Tijdelijk niet beschikbaar" in page and sanne.email not in page
    assert response.headers["Retry-After"] == "30"
    assert "Content-Security-Policy" in response.headers


def test_a_form_sent_twice_is_stored_once(client, auth, demo):
    """The commit happened, but the answer never reached the user (the database went away just
    after it): sending the same form again shows the stored melding, it does not add one."""
    auth.login(WORKER)
    page = client.get("/meldingen/nieuw").get_data(as_text=True)
    key = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    category = db.session.scalar(select(ProblemCategory).where(ProblemCategory.code == "workload"))
    form = {"category": category.id, "urgency": "this_week", "text": TEXT, "submission": key}
    before = _reports()
    first = client.post("/meldingen/nieuw", data=form)
    second = client.post("/meldingen/nieuw", data=form)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _reports() == before + 1
    assert "al ontvangen" in client.get(second.headers["Location"]).get_data(as_text=True)
    # a new form has a new key
    fresh = client.get("/meldingen/nieuw").get_data(as_text=True)
    assert key not in fresh


def test_a_help_request_sent_twice_is_stored_once(client, demo):
    """Also for a visitor who is not logged in: the second sending shows the first request."""
    page = client.get("/hulpvraag/nieuw").get_data(as_text=True)
    key = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    form = {
        "requester_name": "Piet Jansen",
        "requester_phone": "0612345678",
        "subject": "Vraag over jobcoaching",
        "text": "Hoeveel uur jobcoaching krijgt mijn werknemer?",
        "preferred_contact_way": "phone",
        "preferred_time": "any",
        "submission": key,
    }
    count = lambda: db.session.scalar(select(func.count()).select_from(HelpRequest))  # noqa: E731
    before = count()
    first = client.post("/hulpvraag/nieuw", data=form)
    assert first.status_code == 302 and count() == before + 1
    reference = db.session.scalar(select(HelpRequest.reference).order_by(HelpRequest.id.desc()))
    other_visitor = client.application.test_client()  # the answer got lost: a fresh session
    second = other_visitor.post("/hulpvraag/nieuw", data=form)
    assert second.status_code == 302 and second.headers["Location"] == "/hulpvraag/verstuurd"
    assert count() == before + 1
    assert reference in other_visitor.get("/hulpvraag/verstuurd").get_data(as_text=True)
