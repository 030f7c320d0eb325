"""The chat page with a stand-in for Rasa; the real Rasa is exercised in tests/e2e."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ChatMessage
from portal.services.assistant import AssistantClient, AssistantUnavailable
from tests.conftest import WORKER, user_by_email


@pytest.fixture
def rasa_replies(monkeypatch):
    calls = []

    def fake_send(self, sender, text, metadata):
        calls.append((sender, text, metadata))
        return [f"Antwoord op: {text}"]

    monkeypatch.setattr(AssistantClient, "send", fake_send)
    return calls


def test_page_works_without_javascript(client, rasa_replies):
    response = client.post("/assistent", data={"message": "wat is de no-riskpolis"})
    assert response.status_code == 302
    html = client.get("/assistent").data.decode()
    assert "wat is de no-riskpolis" in html
    assert "Antwoord op: wat is de no-riskpolis" in html
    assert 'aria-live="polite"' in html


def test_json_exchange_for_the_script(client, rasa_replies):
    response = client.post(
        "/assistent", data={"message": "hoi"}, headers={"Accept": "application/json"}
    )
    assert response.json == {"available": True, "replies": ["Antwoord op: hoi"]}


def test_logged_in_user_is_sent_with_opaque_id_and_metadata(client, auth, demo, rasa_replies):
    auth.login(WORKER)
    client.post("/assistent", data={"message": "hoi"})
    sender, text, metadata = rasa_replies[0]
    sanne = user_by_email(WORKER)
    assert sender == sanne.chat_id
    assert str(sanne.id) != sender and "sanne" not in sender.lower()
    assert metadata == {"role": "worker", "locale": "nl"}


def test_anonymous_visitor_gets_an_anonymous_sender(client, rasa_replies):
    client.post("/taal", data={"lang": "en"})
    client.post("/assistent", data={"message": "hi"})
    sender, _text, metadata = rasa_replies[0]
    assert sender.startswith("anon-")
    assert metadata == {"role": "anonymous", "locale": "en"}


def test_two_visitors_have_separate_conversations(app, rasa_replies):
    first, second = app.test_client(), app.test_client()
    first.post("/assistent", data={"message": "eerste bezoeker"})
    second.post("/assistent", data={"message": "tweede bezoeker"})
    assert "tweede bezoeker" not in first.get("/assistent").data.decode()
    assert "eerste bezoeker" not in second.get("/assistent").data.decode()


def test_empty_message_is_refused_with_a_message(client, rasa_replies):
    html = client.post("/assistent", data={"message": "  "}).data.decode()
    assert "Typ eerst een bericht." in html
    assert rasa_replies == []


def test_assistant_down_shows_contact_details_and_form(client, auth, demo, monkeypatch):
    def unavailable(self, sender, text, metadata):
        raise AssistantUnavailable("connection refused")

    monkeypatch.setattr(AssistantClient, "send", unavailable)
    auth.login(WORKER)
    response = client.post("/assistent", data={"message": "ik heb een vraag over mijn contract"})
    assert response.status_code == 302
    html = client.get("/assistent").data.decode()
    assert "De assistent is nu niet beschikbaar" in html
    assert "Fatima el Amrani" in html
    assert "/hulpvraag/nieuw?" in html
    # The message is kept.
    stored = db.session.scalars(select(ChatMessage.text)).all()
    assert stored == ["ik heb een vraag over mijn contract"]


def test_assistant_down_json_asks_the_script_to_reload(client, monkeypatch):
    monkeypatch.setattr(
        AssistantClient, "send", lambda *a: (_ for _ in ()).throw(AssistantUnavailable("down"))
    )
    response = client.post(
        "/assistent", data={"message": "hoi"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 503
    assert response.json["available"] is False


def test_real_client_reports_a_closed_port_as_unavailable():
    from devtools.processes import free_port

    client = AssistantClient(
        f"http://127.0.0.1:{free_port()}", connect_timeout=0.5, read_timeout=0.5
    )
    with pytest.raises(AssistantUnavailable):
        client.send("x", "hoi", {})


def test_quick_replies_and_a_person_button_work_without_javascript(
    client, auth, demo, rasa_replies
):
    html = client.get("/assistent").data.decode()
    assert 'value="Ik wil met een mens praten"' in html and "Praat met een mens" in html
    assert 'value="Wie is mijn contactpersoon?"' not in html  # only when logged in
    assert 'href="/hulpvraag/nieuw"' in html
    auth.login(WORKER)
    html = client.get("/assistent").data.decode()
    assert 'value="Wie is mijn contactpersoon?"' in html
    # a quick reply is an ordinary post of its text: same conversation, same transcript
    assert (
        client.post("/assistent", data={"message": "Ik wil met een mens praten"}).status_code == 302
    )
    assert rasa_replies[-1][1] == "Ik wil met een mens praten"
    assert "Antwoord op: Ik wil met een mens praten" in client.get("/assistent").data.decode()
    client.post("/taal", data={"lang": "en", "next": "/assistent"})
    assert 'value="I want to talk to a person"' in client.get("/assistent").data.decode()


def test_the_chat_is_rate_limited_with_a_clear_page(app, client, rasa_replies):
    app.config["CHAT_LIMIT"] = "3 per minute"
    try:
        for _ in range(3):
            assert client.post("/assistent", data={"message": "hoi"}).status_code == 302
        refused = client.post("/assistent", data={"message": "hoi"})
        assert refused.status_code == 429
        assert "Te vaak geprobeerd" in refused.get_data(as_text=True)
    finally:
        app.config["CHAT_LIMIT"] = "60 per minute"
