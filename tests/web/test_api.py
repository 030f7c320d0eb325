"""The internal API for the action server: service token only, and one user's data per sender."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ContactTime,
    ContactWay,
    HelpRequest,
    HelpRequestChannel,
    InboxMessage,
    Placement,
)
from tests.conftest import CONTACT, EMPLOYER, OTHER_WORKER, WORKER, user_by_email

TOKEN = {"Authorization": "Bearer test-service-token"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "test-service-token"},
        {"Authorization": "Basic dGVzdA=="},
    ],
)
def test_api_refuses_without_the_service_token(client, demo, headers):
    assert client.get("/api/v1/conversations/x/context", headers=headers).status_code == 401
    response = client.post(
        "/api/v1/help-requests", json={"sender_id": "x", "transcript": []}, headers=headers
    )
    assert response.status_code == 401
    assert response.json == {"error": "unauthorized"}


def test_api_refuses_a_logged_in_browser_session(client, auth, demo):
    auth.login(WORKER)
    assert client.get("/api/v1/conversations/x/context").status_code == 401


def test_context_of_a_known_worker(client, demo):
    sanne = user_by_email(WORKER)
    data = client.get(f"/api/v1/conversations/{sanne.chat_id}/context", headers=TOKEN).json
    assert data["known"] is True
    assert data["role"] == "worker"
    assert data["first_name"] == "Sanne"
    assert data["contact_person"]["name"] == "Fatima el Amrani"
    assert data["contact_person"]["organisation"] == "Gemeente Utrecht"
    assert "email" not in {k for k in data if k != "contact_person"}
    placement = data["placement"]  # Sanne is in her trial placement
    assert (placement["phase"], placement["employer"]) == (
        "proefplaatsing",
        "Bakkerij De Korenschoof",
    )
    assert placement["trial_end"] and placement["contract_end"] is None
    assert placement["next_evaluation"] >= placement["start_date"]
    assert data["municipality"] == {
        "name": "Utrecht",
        "buurtteam_name": None,
        "buurtteam_phone": None,
        "buurtteam_url": "https://www.utrecht.nl",
    }


def test_context_of_a_worker_on_a_temporary_contract_and_of_an_employer(client, demo):
    daan = user_by_email(OTHER_WORKER)
    data = client.get(f"/api/v1/conversations/{daan.chat_id}/context", headers=TOKEN).json
    placement = db.session.scalar(select(Placement).where(Placement.worker_id == daan.id))
    assert data["placement"]["phase"] == "tijdelijk"
    assert data["placement"]["contract_end"] == placement.contract_end.isoformat()
    assert data["municipality"]["name"] == "Zeist"
    employer = user_by_email(EMPLOYER)
    data = client.get(f"/api/v1/conversations/{employer.chat_id}/context", headers=TOKEN).json
    assert (data["role"], data["placement"], data["municipality"]) == ("employer", None, None)


def test_context_of_an_unknown_sender_is_anonymous(client, demo):
    data = client.get("/api/v1/conversations/whatsapp-31612345678/context", headers=TOKEN).json
    assert data == {"known": False, "role": "anonymous", "contact_person": None}


def test_the_database_id_is_not_a_sender_id(client, demo):
    sanne = user_by_email(WORKER)
    data = client.get(f"/api/v1/conversations/{sanne.id}/context", headers=TOKEN).json
    assert data["known"] is False


def test_help_request_for_a_known_worker(client, demo):
    sanne = user_by_email(WORKER)
    transcript = [
        {"author": "user", "text": "ik wil iemand spreken", "timestamp": 1764000000.0},
        {"author": "bot", "text": "Ik zet je vraag door.", "timestamp": 1764000001.0},
    ]
    response = client.post(
        "/api/v1/help-requests",
        headers=TOKEN,
        json={
            "sender_id": sanne.chat_id,
            "text": "ik wil iemand spreken",
            "transcript": transcript,
            "requester_name": "Iemand Anders",
        },
    )
    assert response.status_code == 201
    body = response.json
    assert body["queue"] == "contact_person"
    assert body["assigned_to"]["name"] == "Fatima el Amrani"
    help_request = db.session.scalar(
        select(HelpRequest).where(HelpRequest.reference == body["reference"])
    )
    assert help_request.requester == sanne
    assert help_request.requester_name == "Sanne Bakker"  # from the account, not the payload
    assert help_request.assigned_to.email == CONTACT
    assert help_request.transcript == transcript
    assert help_request.channel == HelpRequestChannel.ASSISTANT


def test_help_request_for_an_anonymous_sender_goes_to_the_queue(client, demo):
    response = client.post(
        "/api/v1/help-requests",
        headers=TOKEN,
        json={
            "sender_id": "anon-123",
            "transcript": [],
            "requester_name": "Piet",
            "requester_phone": "06 12345678",
        },
    )
    assert response.status_code == 201
    assert response.json["queue"] == "wsp"
    assert response.json["assigned_to"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"sender_id": "anon-1", "transcript": [], "requester_phone": "0612345678"},
            "requester_name",
        ),
        ({"sender_id": "anon-1", "transcript": [], "requester_name": "P"}, "requester_phone"),
        (
            {
                "sender_id": "anon-1",
                "transcript": [],
                "requester_name": "P",
                "requester_email": "geen",
            },
            "requester_email",
        ),
        (
            {
                "sender_id": "anon-1",
                "transcript": "tekst",
                "requester_name": "P",
                "requester_phone": "0612345678",
            },
            "transcript",
        ),
        (
            {
                "sender_id": "anon-1",
                "transcript": [{"author": "hacker", "text": "x"}],
                "requester_name": "P",
                "requester_phone": "0612345678",
            },
            "transcript",
        ),
        ({"transcript": []}, "sender_id"),
    ],
)
def test_help_request_validation(client, demo, payload, field):
    response = client.post("/api/v1/help-requests", headers=TOKEN, json=payload)
    assert response.status_code == 400
    assert field in response.json["fields"]
    assert db.session.scalars(select(HelpRequest)).all() == []


def test_help_request_requires_a_json_object(client, demo):
    response = client.post(
        "/api/v1/help-requests", headers=TOKEN, data="niet json", content_type="text/plain"
    )
    assert response.status_code == 400


def test_two_senders_never_get_each_others_data(client, demo):
    sanne, daan = user_by_email(WORKER), user_by_email(OTHER_WORKER)
    first = client.get(f"/api/v1/conversations/{sanne.chat_id}/context", headers=TOKEN).json
    second = client.get(f"/api/v1/conversations/{daan.chat_id}/context", headers=TOKEN).json
    assert first["first_name"] == "Sanne" and second["first_name"] == "Daan"
    assert first["contact_person"]["name"] != second["contact_person"]["name"]


def test_help_request_from_staff_lands_in_the_queue_under_their_name(client, demo):
    jobcoach = user_by_email("p.hendriks@jobcoach-demo.nl")
    response = client.post(
        "/api/v1/help-requests",
        headers=TOKEN,
        json={"sender_id": jobcoach.chat_id, "transcript": []},
    )
    assert response.status_code == 201
    assert response.json["queue"] == "wsp"
    help_request = db.session.scalar(
        select(HelpRequest).where(HelpRequest.reference == response.json["reference"])
    )
    assert help_request.requester == jobcoach
    assert help_request.requester_name == "Pieter Hendriks"


def _stored(reference: str) -> HelpRequest:
    return db.session.scalar(select(HelpRequest).where(HelpRequest.reference == reference))


def test_an_escalation_has_no_preference_unless_the_assistant_sends_one(client, demo):
    sanne = user_by_email(WORKER)
    plain = client.post(
        "/api/v1/help-requests", headers=TOKEN, json={"sender_id": sanne.chat_id, "transcript": []}
    )
    with_preference = client.post(
        "/api/v1/help-requests",
        headers=TOKEN,
        json={
            "sender_id": sanne.chat_id,
            "transcript": [],
            "preferred_contact_way": "portal",
            "preferred_time": "afternoon",
        },
    )
    assert plain.status_code == with_preference.status_code == 201
    first, second = _stored(plain.json["reference"]), _stored(with_preference.json["reference"])
    assert (first.preferred_contact_way, first.preferred_time) == (None, None)
    assert second.preferred_contact_way == ContactWay.PORTAL
    assert second.preferred_time == ContactTime.AFTERNOON


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"preferred_contact_way": "fax"}, "preferred_contact_way"),
        ({"preferred_contact_way": 3}, "preferred_contact_way"),
        ({"preferred_time": "night"}, "preferred_time"),
        ({"preferred_contact_way": "portal"}, "preferred_contact_way"),  # no account, no inbox
        ({"preferred_contact_way": "email"}, "preferred_contact_way"),  # no e-mail address given
    ],
)
def test_preferences_are_validated(client, demo, extra, field):
    payload = {
        "sender_id": "anon-1",
        "transcript": [],
        "requester_name": "Piet",
        "requester_phone": "0612345678",
        **extra,
    }
    response = client.post("/api/v1/help-requests", headers=TOKEN, json=payload)
    assert response.status_code == 400
    assert field in response.json["fields"]
    assert db.session.scalars(select(HelpRequest)).all() == []


def test_an_escalation_tells_the_contact_person_exactly_once(client, demo):
    sanne = user_by_email(WORKER)
    response = client.post(
        "/api/v1/help-requests", headers=TOKEN, json={"sender_id": sanne.chat_id, "transcript": []}
    )
    reference = response.json["reference"]
    messages = db.session.scalars(select(InboxMessage)).all()
    assert [(m.user.email, m.link) for m in messages] == [(CONTACT, f"/hulpvraag/{reference}")]
    assert reference in messages[0].subject


def test_an_anonymous_escalation_tells_nobody(client, demo):
    response = client.post(
        "/api/v1/help-requests",
        headers=TOKEN,
        json={
            "sender_id": "anon-9",
            "transcript": [],
            "requester_name": "Piet",
            "requester_phone": "0612345678",
            "preferred_contact_way": "phone",
            "preferred_time": "morning",
        },
    )
    assert response.status_code == 201
    assert _stored(response.json["reference"]).preferred_contact_way == ContactWay.PHONE
    assert db.session.scalar(select(func.count(InboxMessage.id))) == 0
