"""End to end: the real Rasa server (trained model), the real action server and the real portal.

The tests in this module share one running stack and run in file order; the last one stops Rasa.
"""

from __future__ import annotations

import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
import requests
from sqlalchemy import select

from devtools.processes import (
    RASA_MODEL,
    action_server,
    free_port,
    portal_server,
    rasa_server,
)
from portal.extensions import db
from portal.models import HelpRequest, User
from tests.support.stack import Browserless, seeded_portal

pytestmark = pytest.mark.e2e

WORKER = "sanne@werknemer-demo.nl"
REFERENCE = re.compile(r"HV-\d{4}-\d{6}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    assert RASA_MODEL.exists(), "no trained model: run scripts/dev.sh setup"
    settings = seeded_portal(tmp_path_factory.mktemp("e2e"))
    portal_port, rasa_port, actions_port = free_port(), free_port(), free_port()
    portal_url = f"http://127.0.0.1:{portal_port}"
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    processes = {
        "actions": action_server(actions_port, portal_url, settings.service_token),
        "rasa": rasa_server(rasa_port, actions_port),
        "portal": portal_server(portal_port, settings.env(rasa_url)),
    }
    try:
        for process in processes.values():
            process.start()
        for process in processes.values():
            process.wait_healthy(timeout=240)
        app = settings.app()
        with app.app_context():
            yield {"portal": portal_url, "rasa": rasa_url, "processes": processes}
            db.session.remove()
            db.engine.dispose()
    finally:
        for process in reversed(list(processes.values())):
            process.stop()


def _transcript_of(html: str) -> str:
    return html.split('id="transcript"', 1)[1].split("</ol>", 1)[0]


def test_worker_asks_for_a_person_and_gets_a_help_request(stack):
    browser = Browserless(stack["portal"])
    browser.login(WORKER)
    browser.submit("/assistent", {"message": "wat is de no-riskpolis"})
    question = browser.submit("/assistent", {"message": "ik wil iemand spreken"})
    # the assistant names the contact person and asks before it creates anything
    assert "Fatima el Amrani" in _transcript_of(question.text)
    assert not REFERENCE.search(_transcript_of(question.text))
    response = browser.submit("/assistent", {"message": "ja"})
    assert response.status_code == 200
    transcript = _transcript_of(response.text)
    match = REFERENCE.search(transcript)
    assert match, f"no reference in the reply: {transcript}"
    assert match.group(0).startswith(f"HV-{datetime.now().year}-")
    assert "Fatima el Amrani" in transcript

    db.session.expire_all()
    help_request = db.session.scalar(
        select(HelpRequest).where(HelpRequest.reference == match.group(0))
    )
    sanne = db.session.scalar(select(User).where(User.email == WORKER))
    assert help_request is not None
    assert help_request.requester_id == sanne.id
    assert help_request.assigned_to.email == "f.elamrani@wsp-demo.nl"
    user_lines = [line["text"] for line in help_request.transcript if line["author"] == "user"]
    assert user_lines[-3:] == ["wat is de no-riskpolis", "ik wil iemand spreken", "ja"]
    assert help_request.text == "ik wil iemand spreken"
    bot_lines = [line["text"] for line in help_request.transcript if line["author"] == "bot"]
    assert any("Ziektewet" in line for line in bot_lines)

    # The contact person sees it on her dashboard.
    contact = Browserless(stack["portal"])
    contact.login("f.elamrani@wsp-demo.nl")
    assert match.group(0) in contact.get("/dashboard").text


def test_faq_answer_through_the_portal_with_javascript(stack):
    browser = Browserless(stack["portal"])
    page = browser.get("/assistent").text
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    response = browser.session.post(
        stack["portal"] + "/assistent",
        data={"message": "wat is de no-riskpolis", "csrf_token": token},
        headers={"Accept": "application/json"},
        timeout=60,
    )
    body = response.json()
    assert body["available"] is True
    assert "Ziektewet" in " ".join(body["replies"])


def test_two_workers_asking_at_once_each_get_their_own_data(stack):
    """Sanne (contact Fatima, trial placement) and Daan (contact Jeroen, temporary contract) ask
    the same questions at the same moment; neither sees the other's data."""
    people = {
        "sanne@werknemer-demo.nl": ("Fatima el Amrani", "Jeroen de Vries"),
        "daan@werknemer-demo.nl": ("Jeroen de Vries", "Fatima el Amrani"),
    }
    browsers = {}
    for email in people:
        browsers[email] = Browserless(stack["portal"])
        browsers[email].login(email)

    def ask(email: str) -> str:
        browsers[email].submit("/assistent", {"message": "wie is mijn contactpersoon"})
        reply = browsers[email].submit("/assistent", {"message": "wanneer loopt mijn contract af"})
        return _transcript_of(reply.text)

    with ThreadPoolExecutor(max_workers=2) as pool:
        transcripts = dict(zip(people, pool.map(ask, people), strict=True))
    for email, (own, other) in people.items():
        assert own in transcripts[email]
        assert other not in transcripts[email]
    assert "proefplaatsing" in transcripts["sanne@werknemer-demo.nl"]
    assert "tijdelijke contract" in transcripts["daan@werknemer-demo.nl"]


def _rest(stack, sender: str, message: str) -> list[str]:
    response = requests.post(
        stack["rasa"] + "/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=60,
    )
    response.raise_for_status()
    return [item.get("text", "") for item in response.json()]


def test_rest_channel_direct_with_unknown_sender_is_anonymous(stack):
    sender = "whatsapp-" + secrets.token_hex(6)
    replies = _rest(stack, sender, "ik wil iemand spreken")
    answers = iter(["ja", "Piet Jansen", "0612345678"])
    for _ in range(5):
        if REFERENCE.search(" ".join(replies)):
            break
        replies = _rest(stack, sender, next(answers, "0612345678"))
    match = REFERENCE.search(" ".join(replies))
    assert match, f"no reference after the form: {replies}"
    db.session.expire_all()
    help_request = db.session.scalar(
        select(HelpRequest).where(HelpRequest.reference == match.group(0))
    )
    assert help_request.assigned_to_id is None  # the WSP's shared queue
    assert help_request.requester_id is None
    assert help_request.requester_name == "Piet Jansen"
    assert help_request.requester_phone == "0612345678"


def test_assistant_down_offers_contact_details_and_the_form(stack):
    stack["processes"]["rasa"].stop()
    browser = Browserless(stack["portal"])
    browser.login(WORKER)
    response = browser.submit("/assistent", {"message": "mijn contract loopt af, wat nu?"})
    assert response.status_code == 200
    html = response.text
    assert "De assistent is nu niet beschikbaar" in html
    assert "Fatima el Amrani" in html
    assert "030 286 11 22" in html
    form_link = re.search(r'href="(/hulpvraag/nieuw\?[^"]+)"', html).group(1).replace("&amp;", "&")
    form_page = browser.get(form_link).text
    assert "mijn contract loopt af, wat nu?" in form_page
    response = browser.submit(
        "/hulpvraag/nieuw",
        {
            "subject": "Vraag aan de assistent",
            "text": "mijn contract loopt af, wat nu?",
            "attach_chat": "1",
        },
        form_page=form_link,
    )
    match = REFERENCE.search(response.text)
    assert match, "the confirmation shows no reference"
    db.session.expire_all()
    help_request = db.session.scalar(
        select(HelpRequest).where(HelpRequest.reference == match.group(0))
    )
    assert help_request.assigned_to.email == "f.elamrani@wsp-demo.nl"
    assert "mijn contract loopt af, wat nu?" in [line["text"] for line in help_request.transcript]
