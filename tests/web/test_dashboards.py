"""Each role's dashboard, and the refusals of the wrong role."""

from portal.models import HelpRequest, HelpRequestChannel
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


def test_worker_sees_fixed_contact_person_and_help_button(client, auth, demo):
    auth.login(WORKER)
    html = client.get("/dashboard").data.decode()
    assert "Vaste contactpersoon" in html
    assert "Fatima el Amrani" in html
    assert "030 286 11 22" in html
    assert "f.elamrani@wsp-demo.nl" in html
    assert "Gemeente Utrecht" in html
    assert 'href="/hulpvraag/nieuw"' in html
    assert 'href="/meldingen/nieuw"' in html
    assert "Wij helpen je." in html  # plain language for workers: "je", not "u"
    assert "Bakkerij De Korenschoof" in html


def test_employer_sees_company_contact_and_own_workers_only(client, auth, demo):
    auth.login(EMPLOYER)
    html = client.get("/dashboard").data.decode()
    assert "Fatima el Amrani" in html
    assert "Sanne Bakker" in html and "Mohammed Yilmaz" in html
    assert "Daan Visser" not in html  # works at another company
    assert 'href="/hulpvraag/nieuw"' in html


def test_contact_person_sees_caseload_and_assigned_requests(client, auth, demo):
    assigned = make_help_request(user_by_email(WORKER), subject="Nieuwe leidinggevende")
    other = make_help_request(user_by_email(OTHER_WORKER), subject="Vraag van Daan")
    queued = make_help_request(subject="Anonieme vraag", channel=HelpRequestChannel.ASSISTANT)
    auth.login(CONTACT)
    html = client.get("/dashboard").data.decode()
    assert "Sanne Bakker" in html and "Mohammed Yilmaz" in html
    assert "Daan Visser" not in html
    assert "Bakkerij De Korenschoof" in html
    assert assigned.reference in html
    assert queued.reference in html  # the shared queue is visible to every contact person
    assert other.reference not in html


def test_jobcoach_sees_coached_workers(client, auth, demo):
    auth.login(JOBCOACH)
    html = client.get("/dashboard").data.decode()
    assert "Sanne Bakker" in html and "Noah Mulder" in html
    assert "Lotte Smit" not in html


def test_administrator_sees_counts(client, auth, demo):
    auth.login(ADMIN)
    html = client.get("/dashboard").data.decode()
    assert "Beheer" in html
    assert "<dd>6</dd>" in html  # six workers


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")


def _help_request_of(email: str) -> HelpRequest:
    return make_help_request(user_by_email(email))


def test_worker_is_refused_on_a_contact_persons_page(client, auth, demo):
    reference = _help_request_of(EMPLOYER).reference
    auth.login(WORKER)
    assert client.get(f"/hulpvraag/{reference}").status_code == 403
    assert client.post(f"/hulpvraag/{reference}/oppakken").status_code == 403


def test_worker_is_refused_on_another_workers_data(client, auth, demo):
    reference = _help_request_of(OTHER_WORKER).reference
    auth.login(WORKER)
    assert client.get(f"/hulpvraag/{reference}").status_code == 403


def test_worker_sees_own_help_request(client, auth, demo):
    reference = _help_request_of(WORKER).reference
    auth.login(WORKER)
    response = client.get(f"/hulpvraag/{reference}")
    assert response.status_code == 200
    assert reference.encode() in response.data


def test_other_contact_person_is_refused(client, auth, demo):
    reference = _help_request_of(WORKER).reference
    auth.login(OTHER_CONTACT)
    assert client.get(f"/hulpvraag/{reference}").status_code == 403


def test_staff_cannot_file_help_requests(client, auth, demo):
    for email in (CONTACT, JOBCOACH, ADMIN):
        auth.login(email)
        assert client.get("/hulpvraag/nieuw").status_code == 403
        auth.logout()


def test_unknown_help_request_is_404(client, auth, demo):
    auth.login(CONTACT)
    assert client.get("/hulpvraag/HV-2026-999999").status_code == 404


def test_administrator_sees_whether_the_assistant_answers(client, auth, demo, monkeypatch):
    from portal.services.assistant import AssistantClient, ProcessStatus

    statuses = [
        ProcessStatus("http://rasa-1:5005", True, "3.6.21", 12),
        ProcessStatus("http://rasa-2:5005", False, None, None),
    ]
    monkeypatch.setattr(AssistantClient, "status", lambda self: statuses)
    auth.login(ADMIN)
    line = " ".join(client.get("/dashboard").get_data(as_text=True).split())
    assert "Assistent:</strong> werkt gedeeltelijk (1 van 2 Rasa-processen antwoorden" in line
    assert "Rasa 3.6.21, 12 ms" in line
    statuses[0] = ProcessStatus("http://rasa-1:5005", False, None, None)
    line = " ".join(client.get("/dashboard").get_data(as_text=True).split())
    assert "Assistent:</strong> niet bereikbaar (0 van 2 Rasa-processen antwoorden)" in line
    assert "contactgegevens en het hulpvraagformulier" in line
