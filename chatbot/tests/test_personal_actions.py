"""The actions that answer with the asker's own data, the referral and the subsidy sum, on built
trackers with the portal API mocked. One user's context never answers another's question."""

from __future__ import annotations

import pytest
import requests
import responses
from actions.actions import (
    ActionCalculateSubsidy,
    ActionOfferHandover,
    ActionReferNonWork,
    ActionTellContactPerson,
    ActionTellContractEnd,
    escalation_text,
    format_day,
    subsidy_percent,
)
from test_actions import (
    CONTEXT_URL,
    KNOWN_CONTEXT,
    action_event,
    make_tracker,
    render,
    run,
    slots_of,
    user_event,
)

SANNE = {
    **KNOWN_CONTEXT,
    "placement": {
        "phase": "proefplaatsing",
        "employer": "Bakkerij De Korenschoof",
        "start_date": "2026-10-01",
        "trial_end": "2026-11-30",
        "contract_end": None,
        "next_evaluation": "2026-11-30",
    },
    "municipality": {
        "name": "Utrecht",
        "buurtteam_name": None,
        "buurtteam_phone": None,
        "buurtteam_url": "https://www.utrecht.nl",
    },
}
ANONYMOUS = {"known": False, "role": "anonymous", "contact_person": None}


def _context(body: dict, sender: str = "chat-123") -> None:
    url = CONTEXT_URL.replace("chat-123", sender)
    responses.add(responses.GET, url, json=body, status=200)


def _texts(dispatcher, language: str = "nl") -> list[str]:
    return [render(message, language) for message in dispatcher.messages]


@responses.activate
def test_contact_person_of_a_logged_in_worker():
    _context(SANNE)
    dispatcher, events = run(ActionTellContactPerson(), make_tracker())
    [text] = _texts(dispatcher)
    assert "Fatima el Amrani" in text and "030 286 00 00" in text
    assert slots_of(events)["known_user"] is True


@responses.activate
def test_each_conversation_gets_only_its_own_contact_person():
    _context(SANNE, "chat-sanne")
    other = {
        **KNOWN_CONTEXT,
        "contact_person": {**KNOWN_CONTEXT["contact_person"], "name": "Jeroen de Vries"},
    }
    _context(other, "chat-daan")
    sanne, _ = run(ActionTellContactPerson(), make_tracker(sender_id="chat-sanne"))
    daan, _ = run(ActionTellContactPerson(), make_tracker(sender_id="chat-daan"))
    assert "Fatima el Amrani" in _texts(sanne)[0] and "Jeroen" not in _texts(sanne)[0]
    assert "Jeroen de Vries" in _texts(daan)[0] and "Fatima" not in _texts(daan)[0]
    assert [call.request.url.rsplit("/", 2)[-2] for call in responses.calls] == [
        "chat-sanne",
        "chat-daan",
    ]


@responses.activate
def test_anonymous_users_get_the_general_answer_and_a_hint_to_log_in():
    _context(ANONYMOUS)
    dispatcher, _ = run(ActionTellContactPerson(), make_tracker())
    assert dispatcher.messages[0]["response"] == "utter_login_for_personal"
    _context(ANONYMOUS)
    dispatcher, _ = run(ActionTellContractEnd(), make_tracker())
    assert dispatcher.messages[0]["response"] == "utter_login_for_personal"


@responses.activate
def test_portal_down_is_said_honestly():
    responses.add(responses.GET, CONTEXT_URL, body=requests.ConnectionError("down"))
    dispatcher, events = run(ActionTellContactPerson(), make_tracker())
    assert dispatcher.messages[0]["response"] == "utter_portal_unreachable"
    assert slots_of(events)["portal_unreachable"] is True


@pytest.mark.parametrize(
    ("placement", "response", "fragment"),
    [
        (SANNE["placement"], "utter_trial_end_date", "30 november 2026"),
        (
            {"phase": "tijdelijk", "employer": "Groen", "contract_end": "2027-05-17"},
            "utter_contract_end_date",
            "17 mei 2027",
        ),
        ({"phase": "vast", "employer": "Groen"}, "utter_contract_permanent", "vast contract"),
        (None, "utter_contract_unknown", "geen lopend contract"),
    ],
)
@responses.activate
def test_contract_end_from_the_workers_own_placement(placement, response, fragment):
    _context({**SANNE, "placement": placement})
    dispatcher, _ = run(ActionTellContractEnd(), make_tracker())
    assert dispatcher.messages[0]["response"] == response
    assert fragment in _texts(dispatcher)[0]


@responses.activate
def test_contract_end_for_an_employer_is_general():
    _context({**KNOWN_CONTEXT, "role": "employer", "placement": None})
    dispatcher, _ = run(ActionTellContractEnd(), make_tracker())
    assert dispatcher.messages[0]["response"] == "utter_contract_end_employer"


def test_dates_in_both_languages():
    assert format_day("2027-05-17", "nl") == "17 mei 2027"
    assert format_day("2027-05-17", "en") == "17 May 2027"
    assert format_day("not a date", "nl") is None


@responses.activate
def test_referral_names_the_municipality_when_logged_in():
    _context(SANNE)
    dispatcher, _ = run(ActionReferNonWork(), make_tracker())
    [text] = _texts(dispatcher)
    assert "Utrecht" in text and "https://www.utrecht.nl" in text
    _context(ANONYMOUS)
    dispatcher, _ = run(ActionReferNonWork(), make_tracker())
    assert dispatcher.messages[0]["response"] == "utter_refer_buurtteam_general"


@responses.activate
def test_referral_survives_a_portal_that_is_down():
    responses.add(responses.GET, CONTEXT_URL, body=requests.ConnectionError("down"))
    dispatcher, _ = run(ActionReferNonWork(), make_tracker())
    assert dispatcher.messages[0]["response"] == "utter_refer_buurtteam_general"


@pytest.mark.parametrize(
    ("loonwaarde", "subsidy"), [(60, 40), (70, 30), (25, 70), (30, 70), (100, 0), (1, 70)]
)
def test_subsidy_is_minimum_wage_minus_loonwaarde_at_most_70(loonwaarde, subsidy):
    assert subsidy_percent(loonwaarde) == subsidy


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("loonwaarde 60 procent", [{"entity": "percentage", "value": "60"}], ["40 procent"]),
        ("bij 45% loonwaarde", [], ["55 procent"]),
        ("loonwaarde 20", [], ["70 procent", "nooit meer dan 70 procent"]),
        ("hoeveel subsidie krijg ik", [], ["Noem de loonwaarde"]),
    ],
)
def test_subsidy_calculation_answers(text, entities, expected):
    event = user_event(text, "calculate_subsidy", 1.0)
    event["parse_data"]["entities"] = entities
    tracker = make_tracker(events=[event])
    tracker.latest_message["entities"] = entities
    dispatcher, _ = run(ActionCalculateSubsidy(), tracker)
    joined = " ".join(_texts(dispatcher))
    for fragment in expected:
        assert fragment in joined


@responses.activate
def test_the_handover_is_offered_with_the_contact_persons_name_before_anything_is_made():
    _context(SANNE)
    dispatcher, events = run(ActionOfferHandover(), make_tracker())
    assert dispatcher.messages[0]["response"] == "utter_confirm_handover_contact"
    assert "Fatima el Amrani" in _texts(dispatcher)[0]
    assert all(call.request.method == "GET" for call in responses.calls)  # nothing created
    _context(ANONYMOUS)
    dispatcher, _ = run(ActionOfferHandover(), make_tracker())
    assert dispatcher.messages[0]["response"] == "utter_confirm_handover_wsp"


def test_the_escalation_text_is_the_question_before_the_offer():
    events = [
        user_event("ik wil iemand spreken", "request_human", 1.0),
        action_event("action_offer_handover", 2.0),
        user_event("ja", "affirm", 3.0),
        action_event("action_create_help_request", 4.0),
    ]
    assert escalation_text(events) == "ik wil iemand spreken"
