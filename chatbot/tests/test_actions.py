"""Unit tests for the custom actions, run on built trackers with the portal API mocked."""

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
import yaml
from actions.actions import (
    ActionCreateHelpRequest,
    ActionIdentifyUser,
    ActionSessionStart,
    ValidateContactDetailsForm,
    build_transcript,
    escalation_text,
    extract_contact,
)
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

PORTAL = "http://portal.test"
TOKEN = "test-service-token"
CONTEXT_URL = f"{PORTAL}/api/v1/conversations/chat-123/context"
HELP_REQUESTS_URL = f"{PORTAL}/api/v1/help-requests"
AUTH_HEADER = {"Authorization": f"Bearer {TOKEN}"}


def _load_domain() -> dict[str, Any]:
    """All domain files merged: responses and slots may live in any of them."""
    merged: dict[str, Any] = {"responses": {}, "slots": {}, "intents": [], "actions": []}
    for path in sorted((Path(__file__).resolve().parent.parent / "domain").glob("*.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in part.items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    return merged


DOMAIN: dict[str, Any] = _load_domain()

KNOWN_CONTEXT = {
    "known": True,
    "role": "worker",
    "first_name": "Sanne",
    "locale": "nl",
    "contact_person": {
        "name": "Fatima el Amrani",
        "organisation": "Gemeente Utrecht",
        "phone": "030 286 00 00",
        "email": "f.elamrani@wsp.example",
    },
}


def user_event(text: str, intent: str, timestamp: float) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "timestamp": timestamp,
        "parse_data": {"intent": {"name": intent, "confidence": 0.98}, "entities": []},
    }


def bot_event(text: str | None, timestamp: float) -> dict[str, Any]:
    return {"event": "bot", "text": text, "timestamp": timestamp, "data": {}}


def action_event(name: str, timestamp: float) -> dict[str, Any]:
    return {"event": "action", "name": name, "timestamp": timestamp}


def slot_event(name: str, value: Any, timestamp: float = 0.0) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value, "timestamp": timestamp}


def make_tracker(
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    sender_id: str = "chat-123",
    active_loop: dict[str, Any] | None = None,
) -> Tracker:
    events = events or []
    user_events = [event for event in events if event["event"] == "user"]
    latest_message = {}
    if user_events:
        latest_message = {**user_events[-1]["parse_data"], "text": user_events[-1]["text"]}
    return Tracker(
        sender_id,
        {"language": "nl", **(slots or {})},
        latest_message,
        events,
        False,
        None,
        active_loop or {},
        "action_listen",
    )


def escalation_events() -> list[dict[str, Any]]:
    """A session in which the user asks a question and then asks for a person."""
    return [
        action_event("action_session_start", 1.0),
        {"event": "session_started", "timestamp": 1.0},
        action_event("action_listen", 1.0),
        user_event("wat is de no-riskpolis", "faq", 10.0),
        action_event("utter_faq", 11.0),
        bot_event("De no-riskpolis staat in artikel 29b van de Ziektewet.", 11.0),
        action_event("action_listen", 11.0),
        user_event("ik wil iemand spreken", "request_human", 20.0),
        action_event("action_identify_user", 21.0),
    ]


def run(action: Any, tracker: Tracker, domain: dict[str, Any] | None = None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or DOMAIN))
    return dispatcher, events


def render(message: dict[str, Any], language: str = "nl") -> str:
    """Render a dispatched response the way Rasa's NLG does for the `language` slot."""
    variations = DOMAIN["responses"][message["response"]]
    conditional = [
        v
        for v in variations
        if any(c["name"] == "language" and c["value"] == language for c in v.get("condition", []))
    ]
    chosen = (conditional or [v for v in variations if "condition" not in v])[0]
    return chosen["text"].format(**message)


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


# --- action_session_start -------------------------------------------------------------------


def test_session_start_copies_locale_and_role_from_metadata():
    metadata = {"role": "employer", "locale": "en"}
    _, events = run(ActionSessionStart(), make_tracker({"session_started_metadata": metadata}))

    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")
    assert slots_of(events)["language"] == "en"
    assert slots_of(events)["role"] == "employer"
    assert slots_of(events)["session_started_metadata"] == metadata


@pytest.mark.parametrize(
    "metadata, language, role",
    [
        (None, "nl", "anonymous"),
        ({"locale": "fr", "role": "hacker"}, "nl", "anonymous"),
        ({"locale": "en-GB", "role": "worker"}, "en", "worker"),
        ({"locale": "NL", "role": "contact_person"}, "nl", "contact_person"),
    ],
)
def test_session_start_normalises_language_and_role(metadata, language, role):
    _, events = run(ActionSessionStart(), make_tracker({"session_started_metadata": metadata}))

    assert slots_of(events)["language"] == language
    assert slots_of(events)["role"] == role


# --- action_identify_user -------------------------------------------------------------------


@responses.activate
def test_identify_user_known_user_with_contact_person():
    responses.get(
        CONTEXT_URL,
        json=KNOWN_CONTEXT,
        match=[responses.matchers.header_matcher(AUTH_HEADER)],
    )

    dispatcher, events = run(ActionIdentifyUser(), make_tracker(events=escalation_events()))

    slots = slots_of(events)
    assert slots["known_user"] is True
    assert slots["portal_unreachable"] is False
    assert slots["role"] == "worker"
    assert slots["first_name"] == "Sanne"
    assert slots["contact_person_name"] == "Fatima el Amrani"
    assert slots["contact_person_email"] == "f.elamrani@wsp.example"
    assert dispatcher.messages == []


@responses.activate
def test_identify_user_unknown_sender_is_anonymous():
    responses.get(
        f"{PORTAL}/api/v1/conversations/anon-x7/context",
        json={"known": False, "role": "anonymous", "contact_person": None},
    )

    _, events = run(ActionIdentifyUser(), make_tracker(sender_id="anon-x7"))

    slots = slots_of(events)
    assert slots["known_user"] is False
    assert slots["portal_unreachable"] is False
    assert slots["role"] == "anonymous"
    assert slots["contact_person_name"] is None


@responses.activate
def test_identify_user_sender_id_is_url_encoded():
    responses.get(f"{PORTAL}/api/v1/conversations/a%2Fb/context", json={"known": False})

    _, events = run(ActionIdentifyUser(), make_tracker(sender_id="a/b"))

    assert slots_of(events)["known_user"] is False


@pytest.mark.parametrize(
    "mock_kwargs",
    [
        {"body": requests.ConnectionError("connection refused")},
        {"body": requests.Timeout("read timed out")},
        {"status": 500, "json": {"error": "internal"}},
        {"status": 401, "json": {"error": "unauthorized"}},
        {"status": 200, "body": "<html>not json</html>"},
    ],
)
@responses.activate
def test_identify_user_portal_unreachable_is_not_anonymous(mock_kwargs):
    responses.get(CONTEXT_URL, **mock_kwargs)

    dispatcher, events = run(ActionIdentifyUser(), make_tracker(events=escalation_events()))

    slots = slots_of(events)
    assert slots["portal_unreachable"] is True
    assert slots["known_user"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_portal_unreachable"]
    text = render(dispatcher.messages[0])
    assert "niet bereikbaar" in text
    assert "werkgeversservicepunt" in text


@responses.activate
def test_identify_user_uses_default_portal_url(monkeypatch):
    monkeypatch.delenv("PORTAL_API_URL")
    responses.get("http://127.0.0.1:5000/api/v1/conversations/chat-123/context", json=KNOWN_CONTEXT)

    _, events = run(ActionIdentifyUser(), make_tracker())

    assert slots_of(events)["known_user"] is True


# --- action_create_help_request -------------------------------------------------------------


@responses.activate
def test_help_request_known_user_is_assigned_to_contact_person():
    responses.post(
        HELP_REQUESTS_URL,
        status=201,
        json={
            "reference": "HV-2026-000042",
            "queue": "contact_person",
            "assigned_to": {"name": "Fatima el Amrani", "phone": "030", "email": "f@x.nl"},
        },
        match=[responses.matchers.header_matcher(AUTH_HEADER)],
    )
    tracker = make_tracker({"known_user": True}, escalation_events())

    dispatcher, events = run(ActionCreateHelpRequest(), tracker)

    body = json.loads(responses.calls[0].request.body)
    assert body["sender_id"] == "chat-123"
    assert body["subject"] == "Vraag via de assistent"
    assert body["text"] == "ik wil iemand spreken"
    assert [entry["author"] for entry in body["transcript"]] == ["user", "bot", "user"]
    assert body["transcript"][0] == {
        "author": "user",
        "text": "wat is de no-riskpolis",
        "timestamp": 10.0,
    }
    assert not any(key.startswith("requester_") for key in body)

    assert len(dispatcher.messages) == 1
    text = render(dispatcher.messages[0])
    assert text == (
        "Ik heb je vraag doorgezet naar Fatima el Amrani. Je referentie is HV-2026-000042. "
        "Je contactpersoon neemt binnen 2 werkdagen contact met je op."
    )
    assert slots_of(events) == {"requester_name": None, "requester_contact": None}


@responses.activate
def test_help_request_anonymous_user_goes_to_wsp_queue():
    responses.post(
        HELP_REQUESTS_URL,
        status=201,
        json={"reference": "HV-2026-000043", "queue": "wsp", "assigned_to": None},
    )
    events = escalation_events() + [
        user_event("Sanne de Vries", "inform", 30.0),
        user_event("sanne@voorbeeld.nl", "inform", 40.0),
    ]
    tracker = make_tracker(
        {
            "known_user": False,
            "requester_name": "Sanne de Vries",
            "requester_contact": "sanne@voorbeeld.nl",
        },
        events,
    )

    dispatcher, result = run(ActionCreateHelpRequest(), tracker)

    body = json.loads(responses.calls[0].request.body)
    assert body["text"] == "ik wil iemand spreken"
    assert body["requester_name"] == "Sanne de Vries"
    assert body["requester_email"] == "sanne@voorbeeld.nl"
    assert "requester_phone" not in body
    text = render(dispatcher.messages[0])
    assert "werkgeversservicepunt" in text
    assert "HV-2026-000043" in text
    assert slots_of(result) == {"requester_name": None, "requester_contact": None}


@responses.activate
def test_help_request_anonymous_phone_and_english_reply():
    responses.post(
        HELP_REQUESTS_URL,
        status=201,
        json={"reference": "HV-2026-000044", "queue": "wsp", "assigned_to": None},
    )
    tracker = make_tracker(
        {
            "language": "en",
            "known_user": False,
            "requester_name": "John Smith",
            "requester_contact": "0612345678",
        },
        escalation_events(),
    )

    dispatcher, _ = run(ActionCreateHelpRequest(), tracker)

    body = json.loads(responses.calls[0].request.body)
    assert body["requester_phone"] == "0612345678"
    assert "requester_email" not in body
    text = render(dispatcher.messages[0], language="en")
    assert text.startswith("I have passed your question on to the employer service point.")
    assert "HV-2026-000044" in text


@pytest.mark.parametrize(
    "mock_kwargs",
    [
        {"body": requests.ConnectionError("connection refused")},
        {"status": 400, "json": {"error": "validation", "fields": {"requester_email": "bad"}}},
        {"status": 500, "body": "oops"},
        {"status": 201, "json": {"queue": "wsp", "assigned_to": None}},
    ],
)
@responses.activate
def test_help_request_failure_is_reported_honestly(mock_kwargs):
    responses.post(HELP_REQUESTS_URL, **mock_kwargs)
    tracker = make_tracker({"known_user": True}, escalation_events())

    dispatcher, events = run(ActionCreateHelpRequest(), tracker)

    assert [m["response"] for m in dispatcher.messages] == ["utter_help_request_failed"]
    text = render(dispatcher.messages[0])
    assert "niet gelukt" in text
    assert "HV-" not in text
    assert slots_of(events) == {"requester_name": None, "requester_contact": None}


@responses.activate
def test_help_request_without_details_is_cancelled_without_calling_the_portal():
    tracker = make_tracker({"known_user": False, "requester_name": "Sanne"}, escalation_events())

    dispatcher, _ = run(ActionCreateHelpRequest(), tracker)

    assert len(responses.calls) == 0
    assert [m["response"] for m in dispatcher.messages] == ["utter_help_request_cancelled"]


# --- transcript and escalation text ---------------------------------------------------------


def test_transcript_covers_only_user_and_bot_messages_of_the_current_session():
    events = [
        user_event("oude sessie", "greet", 1.0),
        bot_event("Hallo!", 2.0),
        {"event": "session_started", "timestamp": 3.0},
        action_event("action_listen", 3.0),
        user_event("hoi", "greet", 4.0),
        slot_event("language", "nl"),
        bot_event("Hallo! Waar kan ik u mee helpen?", 5.0),
        bot_event(None, 5.5),
        user_event("ik wil iemand spreken", "request_human", 6.0),
    ]

    assert build_transcript(events) == [
        {"author": "user", "text": "hoi", "timestamp": 4.0},
        {"author": "bot", "text": "Hallo! Waar kan ik u mee helpen?", "timestamp": 5.0},
        {"author": "user", "text": "ik wil iemand spreken", "timestamp": 6.0},
    ]


def test_escalation_text_ignores_form_answers():
    events = escalation_events() + [
        user_event("Sanne de Vries", "inform", 30.0),
        user_event("0612345678", "inform", 40.0),
    ]

    assert escalation_text(events) == "ik wil iemand spreken"


def test_escalation_text_after_accepted_offer_uses_the_question():
    events = [
        user_event("mijn contract wordt niet verlengd", "out_of_scope", 1.0),
        bot_event("Zal ik uw vraag doorzetten?", 2.0),
        user_event("ja graag", "affirm", 3.0),
        action_event("action_identify_user", 4.0),
    ]

    assert escalation_text(events) == "mijn contract wordt niet verlengd"


# --- validate_contact_details_form ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sanne@voorbeeld.nl", "sanne@voorbeeld.nl"),
        ("mijn mail is j.de.vries+wsp@mail.example.com", "j.de.vries+wsp@mail.example.com"),
        ("0612345678", "0612345678"),
        ("06-12345678", "0612345678"),
        ("06 12 34 56 78", "0612345678"),
        ("030 286 00 00", "0302860000"),
        ("+31 6 12345678", "0612345678"),
        ("+31 (0)6 1234 5678", "0612345678"),
        ("0031612345678", "0612345678"),
        ("bel me op 06-98765432 graag", "0698765432"),
    ],
)
def test_contact_validation_accepts_email_and_dutch_phone(text, expected):
    dispatcher = CollectingDispatcher()

    result = ValidateContactDetailsForm().validate_requester_contact(
        text, dispatcher, make_tracker(), DOMAIN
    )

    assert result == {"requester_contact": expected}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "text",
    ["sanne@voorbeeld", "sanne.voorbeeld.nl", "061234567", "06123456789", "12345", "geen idee", ""],
)
def test_contact_validation_rejects_invalid_input_and_asks_again(text):
    dispatcher = CollectingDispatcher()

    result = ValidateContactDetailsForm().validate_requester_contact(
        text, dispatcher, make_tracker(), DOMAIN
    )

    assert result == {"requester_contact": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_invalid_requester_contact"]
    assert "telefoonnummer" in render(dispatcher.messages[0])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sanne de Vries", "Sanne de Vries"),
        ("ik heet Jan-Willem d'Ancona", "Jan-Willem d'Ancona"),
        ("Mijn naam is  Fatima el Amrani.", "Fatima el Amrani"),
        ("J. Jansen", "J. Jansen"),
        ("my name is Émile Zola", "Émile Zola"),
    ],
)
def test_name_validation_accepts_names(text, expected):
    dispatcher = CollectingDispatcher()

    result = ValidateContactDetailsForm().validate_requester_name(
        text, dispatcher, make_tracker(), DOMAIN
    )

    assert result == {"requester_name": expected}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "text",
    [
        "0612345678",
        "sanne@voorbeeld.nl",
        "x",
        "???",
        "dit is echt een veel te lange zin voor een naam",
        "ik wil iemand spreken",
        "waarom wil je dat weten",
        "Sanne?",
    ],
)
def test_name_validation_rejects_non_names(text):
    dispatcher = CollectingDispatcher()

    result = ValidateContactDetailsForm().validate_requester_name(
        text, dispatcher, make_tracker(), DOMAIN
    )

    assert result == {"requester_name": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_invalid_requester_name"]


@pytest.mark.parametrize("text", ["stop", "Laat maar", "nee", "cancel"])
def test_cancel_words_stop_the_form(text):
    validator = ValidateContactDetailsForm()
    dispatcher = CollectingDispatcher()

    assert validator.validate_requester_name(text, dispatcher, make_tracker(), DOMAIN) == {
        "requester_name": None,
        "requested_slot": None,
    }
    assert validator.validate_requester_contact(text, dispatcher, make_tracker(), DOMAIN) == {
        "requester_contact": None,
        "requested_slot": None,
    }
    assert dispatcher.messages == []


def test_form_validation_action_runs_on_the_form_slots():
    events = escalation_events() + [
        user_event("+31 6 1234 5678", "inform", 40.0),
        slot_event("requester_contact", "+31 6 1234 5678"),
    ]
    tracker = make_tracker(
        {"requester_name": "Sanne de Vries", "requester_contact": "+31 6 1234 5678"},
        events,
        active_loop={"name": "contact_details_form"},
    )

    dispatcher, result = run(ValidateContactDetailsForm(), tracker)

    assert SlotSet("requester_contact", "0612345678") in result
    assert dispatcher.messages == []


def test_extract_contact_prefers_email():
    assert extract_contact("06-12345678 of jan@example.nl") == "jan@example.nl"


# --- domain consistency ---------------------------------------------------------------------


def test_every_response_has_a_dutch_default_and_an_english_variant():
    for name, variations in DOMAIN["responses"].items():
        defaults = [v for v in variations if "condition" not in v]
        english = [
            v
            for v in variations
            if any(
                c == {"type": "slot", "name": "language", "value": "en"}
                for c in v.get("condition", [])
            )
        ]
        assert defaults and english, name
