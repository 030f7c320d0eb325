"""Help requests on screen: the form (logged in, anonymous, the preferred way of contact,
validation keeping the input), who may ask, the contact person's work (status, notes, closing with
an outcome, reopening), what the requester sees, the lists, and the messages (exactly once)."""

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.models import (
    ChatMessage,
    ContactTime,
    ContactWay,
    HelpRequest,
    HelpRequestChannel,
    HelpRequestStatus,
    InboxMessage,
)
from tests.conftest import (
    ADMIN,
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    OTHER_CONTACT,
    OTHER_WORKER,
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


# The preferred way of contact ---------------------------------------------------------------


def _english(client) -> None:
    """New strings are checked in English (the msgids), whatever the Dutch catalogue holds."""
    client.post("/taal", data={"lang": "en", "next": "/"})


def _checked(html: str, name: str) -> str | None:
    match = re.search(rf'<input checked[^>]*name="{name}"[^>]*value="([a-z_]+)"', html)
    return match.group(1) if match else None


def test_the_form_preselects_the_phone_or_else_the_email_of_the_account(client, auth, demo):
    auth.login(WORKER)
    html = client.get("/hulpvraag/nieuw").data.decode()
    assert _checked(html, "preferred_contact_way") == "phone"
    assert _checked(html, "preferred_time") == "any"
    assert 'value="portal"' in html
    assert "06 12 34 56 01" in html  # the number we would call
    user_by_email(WORKER).phone = None
    db.session.commit()
    assert _checked(client.get("/hulpvraag/nieuw").data.decode(), "preferred_contact_way") == (
        "email"
    )


def test_a_logged_in_request_stores_the_preference(client, auth, demo):
    auth.login(EMPLOYER)
    client.post(
        "/hulpvraag/nieuw",
        data={
            "subject": "Rooster",
            "text": "Vraag over uren",
            "preferred_contact_way": "portal",
            "preferred_time": "afternoon",
        },
    )
    help_request = _only_request()
    assert help_request.preferred_contact_way == ContactWay.PORTAL
    assert help_request.preferred_time == ContactTime.AFTERNOON
    assert help_request.requester.email == EMPLOYER


def test_a_post_without_a_preference_gets_the_accounts_default(client, auth, demo):
    auth.login(WORKER)
    client.post("/hulpvraag/nieuw", data={"subject": "Vraag", "text": "Tekst"})
    help_request = _only_request()
    assert help_request.preferred_contact_way == ContactWay.PHONE
    assert help_request.preferred_time == ContactTime.ANY


def test_a_call_is_refused_when_the_account_has_no_phone_and_the_input_is_kept(client, auth, demo):
    user_by_email(WORKER).phone = None
    db.session.commit()
    auth.login(WORKER)
    _english(client)
    data = {"subject": "Mijn rooster", "text": "Te veel uren", "preferred_contact_way": "phone"}
    html = client.post("/hulpvraag/nieuw", data=data).data.decode()
    assert "This way of contact is not possible. Choose another way." in html
    assert 'href="#preferred_contact_way"' in html  # the error summary links to the group
    assert 'value="Mijn rooster"' in html and "Te veel uren" in html
    assert db.session.scalars(select(HelpRequest)).all() == []


def test_anonymous_visitors_cannot_choose_a_portal_message(client, demo):
    html = client.get("/hulpvraag/nieuw").data.decode()
    assert 'name="preferred_contact_way"' in html
    assert 'value="portal"' not in html
    assert _checked(html, "preferred_contact_way") is None  # taken from what they fill in
    _english(client)
    data = {
        "requester_name": "Piet Jansen",
        "requester_phone": "0612345678",
        "subject": "Vraag",
        "text": "Mijn vraag",
        "preferred_contact_way": "portal",
    }
    html = client.post("/hulpvraag/nieuw", data=data).data.decode()
    assert "Choose one of the ways of contact." in html
    assert 'value="Piet Jansen"' in html and "Mijn vraag" in html
    assert db.session.scalars(select(HelpRequest)).all() == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"requester_phone": "0612345678"}, ContactWay.PHONE),
        ({"requester_email": "piet@voorbeeld.nl"}, ContactWay.EMAIL),
        (
            {
                "requester_phone": "0612345678",
                "requester_email": "piet@voorbeeld.nl",
                "preferred_contact_way": "visit",
                "preferred_time": "morning",
            },
            ContactWay.VISIT,
        ),
    ],
)
def test_anonymous_way_of_contact(client, demo, given, expected):
    data = {"requester_name": "Piet", "subject": "Vraag", "text": "Tekst", **given}
    assert client.post("/hulpvraag/nieuw", data=data).status_code == 302
    help_request = _only_request()
    assert help_request.preferred_contact_way == expected
    assert help_request.assigned_to is None


def test_anonymous_call_without_a_phone_number_is_explained(client, demo):
    _english(client)
    data = {
        "requester_name": "Piet",
        "requester_email": "piet@voorbeeld.nl",
        "subject": "Vraag",
        "text": "Tekst",
        "preferred_contact_way": "phone",
    }
    html = client.post("/hulpvraag/nieuw", data=data).data.decode()
    assert "Fill in a phone number, or choose another way." in html
    assert 'value="piet@voorbeeld.nl"' in html
    assert db.session.scalars(select(HelpRequest)).all() == []


@pytest.mark.parametrize(
    ("field", "value"), [("preferred_contact_way", "fax"), ("preferred_time", "night")]
)
def test_unknown_preferences_are_refused(client, auth, demo, field, value):
    auth.login(WORKER)
    data = {"subject": "Vraag", "text": "Tekst", field: value}
    response = client.post("/hulpvraag/nieuw", data=data)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.data.decode()
    assert db.session.scalars(select(HelpRequest)).all() == []


def test_the_confirmation_shows_the_preference_and_a_link_to_follow_it(client, auth, demo):
    auth.login(WORKER)
    _english(client)
    client.post(
        "/hulpvraag/nieuw",
        data={
            "subject": "Vraag",
            "text": "Tekst",
            "preferred_contact_way": "email",
            "preferred_time": "morning",
        },
    )
    html = client.get("/hulpvraag/verstuurd").data.decode()
    reference = _only_request().reference
    assert "Mornings" in html and "E-mail" in html
    assert f'href="/hulpvraag/{reference}"' in html


# Who may ask --------------------------------------------------------------------------------


@pytest.mark.parametrize("email", [WORKER, EMPLOYER])
def test_worker_and_employer_dashboards_offer_the_form(client, auth, demo, email):
    auth.login(email)
    html = client.get("/dashboard").data.decode()
    assert (
        '<a class="utrecht-button-link utrecht-button-link--html-a '
        'utrecht-button-link--primary-action" href="/hulpvraag/nieuw">'
        "Ik wil hulp van mijn contactpersoon</a>"
    ) in html
    assert client.get("/hulpvraag/nieuw").status_code == 200


@pytest.mark.parametrize("email", [CONTACT, JOBCOACH, ADMIN])
def test_staff_neither_see_nor_use_the_form(client, auth, demo, email):
    auth.login(email)
    assert 'href="/hulpvraag/nieuw"' not in client.get("/dashboard").data.decode()
    assert client.get("/hulpvraag/nieuw").status_code == 403
    response = client.post("/hulpvraag/nieuw", data={"subject": "Vraag", "text": "Tekst"})
    assert response.status_code == 403
    assert db.session.scalars(select(HelpRequest)).all() == []


# Messages about a new request ---------------------------------------------------------------


def _messages_to(email: str) -> list[InboxMessage]:
    user = user_by_email(email)
    return list(db.session.scalars(select(InboxMessage).where(InboxMessage.user_id == user.id)))


def _message_count() -> int:
    return db.session.scalar(select(func.count(InboxMessage.id)))


def test_a_new_request_tells_the_contact_person_exactly_once(client, auth, demo):
    auth.login(WORKER)
    client.post("/hulpvraag/nieuw", data={"subject": "Nieuwe baas", "text": "Hij is streng."})
    client.get("/hulpvraag/verstuurd")  # the confirmation sends nothing more
    help_request = _only_request()
    [message] = _messages_to(CONTACT)
    assert help_request.reference in message.subject
    assert message.link == f"/hulpvraag/{help_request.reference}"
    assert _message_count() == 1


def test_a_request_in_the_shared_queue_tells_nobody(client, demo):
    client.post(
        "/hulpvraag/nieuw",
        data={
            "requester_name": "Piet",
            "requester_phone": "0612345678",
            "subject": "V",
            "text": "T",
        },
    )
    assert _only_request().assigned_to is None
    assert _message_count() == 0


def test_a_failed_save_sends_no_message(client, auth, demo, monkeypatch):
    from portal.blueprints.help import routes

    def commit_fails():
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    auth.login(WORKER)
    monkeypatch.setattr(routes.db.session, "commit", commit_fails)
    client.post("/hulpvraag/nieuw", data={"subject": "Vraag", "text": "Tekst"})
    monkeypatch.undo()
    assert db.session.scalars(select(HelpRequest)).all() == []
    assert _message_count() == 0


# Working it off -----------------------------------------------------------------------------


@pytest.fixture
def sannes_request(demo):
    return make_help_request(
        user_by_email(WORKER),
        subject="Nieuwe leidinggevende",
        preferred_contact_way=ContactWay.PHONE,
        preferred_time=ContactTime.MORNING,
    )


def _work(client, reference: str, step: str, data: dict | None = None):
    return client.post(f"/hulpvraag/{reference}/{step}", data=data or {})


def test_the_contact_person_works_a_request_off(client, auth, sannes_request):
    reference = sannes_request.reference
    auth.login(CONTACT)
    _english(client)
    page = client.get(f"/hulpvraag/{reference}").data.decode()
    assert "Mark as in progress" in page and "Close help request" in page
    assert "Reopen" not in page

    assert _work(client, reference, "in-behandeling").status_code == 302
    assert (
        _work(client, reference, "notitie", {"note-text": "Voicemail ingesproken."}).status_code
        == 302
    )
    response = _work(
        client, reference, "afsluiten", {"close-outcome": "Gesprek op 3 maart gepland."}
    )
    assert response.headers["Location"] == f"/hulpvraag/{reference}"

    db.session.refresh(sannes_request)
    assert sannes_request.status == HelpRequestStatus.CLOSED
    assert sannes_request.outcome == "Gesprek op 3 maart gepland."
    assert sannes_request.closed_at is not None
    assert [(n.status, n.text) for n in sannes_request.notes] == [
        (HelpRequestStatus.IN_PROGRESS, None),
        (None, "Voicemail ingesproken."),
        (HelpRequestStatus.CLOSED, "Gesprek op 3 maart gepland."),
    ]
    page = client.get(f"/hulpvraag/{reference}").data.decode()
    assert "Voicemail ingesproken." in page  # staff read the working notes
    assert "Why is it reopened?" in page
    assert "Close help request" not in page


def test_closing_needs_an_outcome_and_keeps_the_input(client, auth, sannes_request):
    reference = sannes_request.reference
    auth.login(CONTACT)
    _english(client)
    html = _work(client, reference, "afsluiten", {"close-outcome": "  "}).data.decode()
    assert "Write the outcome before you close the help request." in html
    assert 'href="#close-outcome"' in html and 'aria-invalid="true"' in html
    long_outcome = "Afspraak gemaakt. " + "x" * 5000
    html = _work(client, reference, "afsluiten", {"close-outcome": long_outcome}).data.decode()
    assert "Use at most 5000 characters." in html
    assert long_outcome in html
    db.session.refresh(sannes_request)
    assert sannes_request.status == HelpRequestStatus.NEW
    assert sannes_request.notes == []
    assert _message_count() == 0


def test_reopening_needs_a_note(client, auth, sannes_request):
    reference = sannes_request.reference
    auth.login(CONTACT)
    _english(client)
    _work(client, reference, "afsluiten", {"close-outcome": "Klaar"})
    html = _work(client, reference, "heropenen", {"reopen-note": ""}).data.decode()
    assert "Write why the help request is reopened." in html
    _work(client, reference, "heropenen", {"reopen-note": "Sanne belde opnieuw."})
    db.session.refresh(sannes_request)
    assert sannes_request.status == HelpRequestStatus.IN_PROGRESS
    assert sannes_request.outcome is None
    assert sannes_request.notes[-1].text == "Sanne belde opnieuw."


def test_a_closed_request_is_not_changed_by_a_stale_page(client, auth, sannes_request):
    reference = sannes_request.reference
    auth.login(CONTACT)
    _english(client)
    _work(client, reference, "afsluiten", {"close-outcome": "Klaar"})
    html = _work(client, reference, "in-behandeling").data.decode()
    assert "This help request is closed. Reopen it first." in html
    html = _work(client, reference, "afsluiten", {"close-outcome": "Nog eens"}).data.decode()
    assert "This help request is closed. Reopen it first." in html
    db.session.refresh(sannes_request)
    assert sannes_request.outcome == "Klaar"
    assert len(sannes_request.notes) == 1


def test_a_failed_save_of_a_step_is_told_and_the_input_kept(
    client, auth, sannes_request, monkeypatch
):
    from portal.blueprints.help import routes

    def database_down(*_args, **_kwargs):
        raise OperationalError("UPDATE", {}, Exception("server closed the connection"))

    monkeypatch.setattr(routes.service, "close", database_down)
    auth.login(CONTACT)
    _english(client)
    html = _work(
        client, sannes_request.reference, "afsluiten", {"close-outcome": "Mijn uitkomst"}
    ).data.decode()
    assert "This has not been saved. Please try again." in html
    assert "Mijn uitkomst" in html
    assert _message_count() == 0


STEPS = [
    ("in-behandeling", {}),
    ("afsluiten", {"close-outcome": "Klaar"}),
    ("heropenen", {"reopen-note": "Opnieuw"}),
    ("notitie", {"note-text": "Notitie"}),
]


@pytest.mark.parametrize(("step", "data"), STEPS)
@pytest.mark.parametrize("email", [OTHER_CONTACT, WORKER, EMPLOYER, JOBCOACH, ADMIN])
def test_only_the_assigned_contact_person_works_on_it(
    client, auth, sannes_request, email, step, data
):
    auth.login(email)
    assert _work(client, sannes_request.reference, step, data).status_code == 403
    db.session.refresh(sannes_request)
    assert sannes_request.notes == []


@pytest.mark.parametrize("email", [OTHER_CONTACT, EMPLOYER, OTHER_WORKER, JOBCOACH, ADMIN])
def test_others_cannot_see_the_request(client, auth, sannes_request, email):
    auth.login(email)
    assert client.get(f"/hulpvraag/{sannes_request.reference}").status_code == 403


def test_unknown_reference_is_404_on_every_step(client, auth, demo):
    auth.login(CONTACT)
    for step, data in STEPS:
        assert _work(client, "HV-2026-999999", step, data).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, sannes_request):
    response = _work(client, sannes_request.reference, "afsluiten", {"close-outcome": "x"})
    assert response.status_code in (302, 401, 403)
    db.session.refresh(sannes_request)
    assert sannes_request.status == HelpRequestStatus.NEW


def test_a_queue_request_is_worked_on_only_after_taking_it(client, auth, demo):
    queued = make_help_request(channel=HelpRequestChannel.ASSISTANT)
    auth.login(OTHER_CONTACT)
    _english(client)
    page = client.get(f"/hulpvraag/{queued.reference}").data.decode()
    assert "Take this request" in page and "Close help request" not in page
    assert _work(client, queued.reference, "afsluiten", {"close-outcome": "x"}).status_code == 403
    _work(client, queued.reference, "oppakken")
    assert (
        _work(client, queued.reference, "afsluiten", {"close-outcome": "Gebeld"}).status_code == 302
    )
    db.session.refresh(queued)
    assert queued.assigned_to.email == OTHER_CONTACT
    assert queued.status == HelpRequestStatus.CLOSED
    assert _message_count() == 0  # an anonymous requester has no inbox


def test_taking_a_request_someone_else_took_is_refused(client, auth, demo):
    queued = make_help_request()
    auth.login(OTHER_CONTACT)
    client.get(f"/hulpvraag/{queued.reference}")
    queued.assigned_to = user_by_email(CONTACT)  # Fatima was quicker
    db.session.commit()
    assert _work(client, queued.reference, "oppakken").status_code == 403
    db.session.refresh(queued)
    assert queued.assigned_to.email == CONTACT


# What the requester sees and hears ----------------------------------------------------------


def test_the_requester_sees_status_history_and_outcome_but_no_notes(client, auth, sannes_request):
    reference = sannes_request.reference
    auth.login(CONTACT)
    _work(client, reference, "in-behandeling")
    _work(client, reference, "notitie", {"note-text": "Intern: leidinggevende is lastig."})
    _work(client, reference, "afsluiten", {"close-outcome": "We spreken af op 3 maart."})
    auth.logout()

    auth.login(WORKER)
    _english(client)
    page = client.get(f"/hulpvraag/{reference}").data.decode()
    assert reference in page
    assert "We spreken af op 3 maart." in page
    assert "Intern: leidinggevende is lastig." not in page
    assert "Status: In progress" in page and "Status: Closed" in page
    assert "Phone" in page and "Mornings" in page
    assert "Mark as in progress" not in page and "Working note" not in page
    dashboard = client.get("/dashboard").data.decode()
    assert f'href="/hulpvraag/{reference}"' in dashboard
    assert "Closed" in dashboard and "We spreken af op 3 maart." in dashboard
    assert "Phone, mornings" in dashboard
    assert "Intern: leidinggevende is lastig." not in dashboard


def test_every_status_change_tells_the_requester_exactly_once(client, auth, sannes_request):
    reference = sannes_request.reference
    user_by_email(WORKER).locale = "en"
    db.session.commit()
    auth.login(CONTACT)
    _work(client, reference, "in-behandeling")
    _work(client, reference, "notitie", {"note-text": "Alleen voor ons"})
    _work(client, reference, "afsluiten", {"close-outcome": "Opgelost"})
    _work(client, reference, "afsluiten", {"close-outcome": "Dubbel gedrukt"})  # refused
    _work(client, reference, "heropenen", {"reopen-note": "Nog een vraag"})
    subjects = [m.subject for m in _messages_to(WORKER)]
    assert subjects == [
        f"Help request {reference} is in progress",
        f"Help request {reference} has been closed",
        f"Help request {reference} has been reopened",
    ]
    assert _messages_to(CONTACT) == []  # never the one who acted
    assert _message_count() == 3


def test_an_employer_requester_hears_of_the_closure(client, auth, demo):
    help_request = make_help_request(user_by_email(EMPLOYER))
    auth.login(CONTACT)
    _work(client, help_request.reference, "afsluiten", {"close-outcome": "Jobcoach geregeld."})
    [message] = _messages_to(EMPLOYER)
    assert "Jobcoach geregeld." in message.body


# The contact person's lists -----------------------------------------------------------------


def test_the_contact_persons_dashboard_lists_status_and_preference(client, auth, sannes_request):
    queued = make_help_request()
    auth.login(CONTACT)
    _english(client)
    _work(client, sannes_request.reference, "in-behandeling")
    html = client.get("/dashboard").data.decode()
    assert sannes_request.reference in html and queued.reference in html
    assert "In progress" in html and "Phone, mornings" in html
    assert 'href="/hulpvragen"' in html


def test_the_list_filters_open_and_closed(client, auth, sannes_request):
    closed = make_help_request(user_by_email(EMPLOYER), subject="Al klaar")
    elsewhere = make_help_request(user_by_email(OTHER_WORKER))  # on Jan's desk
    auth.login(CONTACT)
    _work(client, closed.reference, "afsluiten", {"close-outcome": "Klaar"})
    open_page = client.get("/hulpvragen").data.decode()
    assert sannes_request.reference in open_page and closed.reference not in open_page
    closed_page = client.get("/hulpvragen?toon=closed").data.decode()
    assert closed.reference in closed_page and sannes_request.reference not in closed_page
    all_page = client.get("/hulpvragen?toon=all").data.decode()
    assert sannes_request.reference in all_page and closed.reference in all_page
    assert elsewhere.reference not in all_page
    assert client.get("/hulpvragen?toon=rubbish").status_code == 200  # falls back to open


@pytest.mark.parametrize("email", [WORKER, EMPLOYER, JOBCOACH, ADMIN])
def test_the_list_is_for_contact_persons_only(client, auth, demo, email):
    auth.login(email)
    assert client.get("/hulpvragen").status_code == 403
