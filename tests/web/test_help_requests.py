"""The help-request form: logged in, anonymous, validation keeping input, the shared queue."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import ChatMessage, HelpRequest, HelpRequestChannel
from tests.conftest import (
    CONTACT,
    EMPLOYER,
    OTHER_CONTACT,
    WORKER,
    make_help_request,
    user_by_email,
)


def _only_request() -> HelpRequest:
    return db.session.scalars(select(HelpRequest)).one()


def test_worker_request_goes_to_own_contact_person(client, auth, demo):
    auth.login(WORKER)
    response = client.post(
        "/hulpvraag/nieuw", data={"subject": "Nieuwe baas", "text": "Mijn baas gaat weg."}
    )
    assert response.headers["Location"] == "/hulpvraag/verstuurd"
    page = client.get("/hulpvraag/verstuurd").data.decode()
    help_request = _only_request()
    assert help_request.reference.startswith("HV-")
    assert help_request.reference in page
    assert "Fatima el Amrani" in page
    assert help_request.assigned_to.email == CONTACT
    assert help_request.requester.email == WORKER
    assert help_request.channel == HelpRequestChannel.FORM


def test_employer_request_goes_to_the_companys_contact(client, auth, demo):
    auth.login(EMPLOYER)
    client.post(
        "/hulpvraag/nieuw", data={"subject": "Reorganisatie", "text": "Er komt een reorganisatie."}
    )
    assert _only_request().assigned_to.email == CONTACT


def test_anonymous_request_goes_to_the_shared_queue(client, demo):
    response = client.post(
        "/hulpvraag/nieuw",
        data={
            "requester_name": "Piet Jansen",
            "requester_email": "piet@voorbeeld.nl",
            "subject": "No-riskpolis",
            "text": "Hoe werkt de no-riskpolis?",
        },
    )
    assert response.status_code == 302
    help_request = _only_request()
    assert help_request.assigned_to is None
    assert help_request.requester_name == "Piet Jansen"
    assert help_request.reference.encode() in client.get("/hulpvraag/verstuurd").data


def test_anonymous_needs_a_way_to_be_reached_and_keeps_the_input(client, demo):
    response = client.post(
        "/hulpvraag/nieuw",
        data={"requester_name": "Piet Jansen", "subject": "Vraag", "text": "Mijn lange vraag"},
    )
    html = response.data.decode()
    assert response.status_code == 200
    assert "Vul een telefoonnummer of een e-mailadres in." in html
    assert 'value="Piet Jansen"' in html
    assert "Mijn lange vraag" in html
    assert db.session.scalars(select(HelpRequest)).all() == []


def test_invalid_phone_and_email_are_explained(client, demo):
    html = client.post(
        "/hulpvraag/nieuw",
        data={
            "requester_name": "Piet",
            "requester_phone": "abc",
            "requester_email": "geen-adres",
            "subject": "Vraag",
            "text": "Tekst",
        },
    ).data.decode()
    assert "Vul een telefoonnummer in, bijvoorbeeld 06 12345678." in html
    assert "Vul een e-mailadres in, bijvoorbeeld naam@voorbeeld.nl." in html


def test_missing_fields_for_logged_in_user(client, auth, demo):
    auth.login(WORKER)
    html = client.post("/hulpvraag/nieuw", data={"subject": "", "text": ""}).data.decode()
    assert "Schrijf in een paar woorden waar uw vraag over gaat." in html
    assert 'aria-invalid="true"' in html


def test_chat_transcript_is_attached_when_asked(client, auth, demo):
    auth.login(WORKER)
    sanne = user_by_email(WORKER)
    db.session.add_all(
        [
            ChatMessage(
                conversation_id=sanne.chat_id, author="user", text="wat is de no-riskpolis"
            ),
            ChatMessage(conversation_id=sanne.chat_id, author="user", text="hallo?"),
        ]
    )
    db.session.commit()
    form = client.get("/hulpvraag/nieuw?gesprek=1&vraag=hallo%3F").data.decode()
    assert 'name="attach_chat" type="hidden" value="1"' in form
    client.post(
        "/hulpvraag/nieuw",
        data={"subject": "Assistent deed het niet", "text": "hallo?", "attach_chat": "1"},
    )
    transcript = _only_request().transcript
    assert [line["text"] for line in transcript] == ["wat is de no-riskpolis", "hallo?"]


def test_contact_person_takes_a_request_from_the_queue(client, auth, demo):
    help_request = make_help_request(channel=HelpRequestChannel.ASSISTANT)
    auth.login(OTHER_CONTACT)
    page = client.get(f"/hulpvraag/{help_request.reference}").data.decode()
    assert "Piet" in page
    client.post(f"/hulpvraag/{help_request.reference}/oppakken")
    db.session.refresh(help_request)
    assert help_request.assigned_to.email == OTHER_CONTACT
    auth.logout()
    auth.login(CONTACT)  # no longer in the shared queue, so no longer visible to others
    assert client.get(f"/hulpvraag/{help_request.reference}").status_code == 403


def test_help_request_form_is_rate_limited(app, client, demo):
    app.config["HELP_REQUEST_LIMIT"] = "2 per hour"
    try:
        data = {"requester_name": "P", "requester_phone": "0612345678", "subject": "s", "text": "t"}
        assert client.post("/hulpvraag/nieuw", data=data).status_code == 302
        assert client.post("/hulpvraag/nieuw", data=data).status_code == 302
        assert client.post("/hulpvraag/nieuw", data=data).status_code == 429
    finally:
        app.config["HELP_REQUEST_LIMIT"] = "10 per hour"


def test_detail_shows_transcript_escaped(client, auth, demo):
    help_request = make_help_request(
        user_by_email(WORKER),
        subject="<b>vet</b>",
        text="<script>alert(1)</script>",
        channel=HelpRequestChannel.ASSISTANT,
        transcript=[{"author": "user", "text": "<img src=x onerror=alert(1)>", "timestamp": 1.0}],
    )
    auth.login(CONTACT)
    html = client.get(f"/hulpvraag/{help_request.reference}").data.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_failed_save_is_told_and_the_input_kept(client, auth, demo, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import portal.blueprints.help.routes as routes

    def database_down(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(routes, "create_help_request", database_down)
    auth.login(WORKER)
    response = client.post(
        "/hulpvraag/nieuw", data={"subject": "Mijn rooster", "text": "Ik werk te veel uren."}
    )
    html = response.data.decode()
    assert response.status_code == 200
    assert "Uw hulpvraag is niet opgeslagen. Probeer het opnieuw." in html
    assert 'value="Mijn rooster"' in html
    assert "Ik werk te veel uren." in html
