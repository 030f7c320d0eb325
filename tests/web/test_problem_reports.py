"""Meldingen: a worker and an employer report, the contact person works it off, the reporter
follows it; who sees what; the buurtteam referral; messages exactly once."""

from datetime import date

import pytest
from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.models import (
    ContactAssignment,
    InboxMessage,
    ProblemCategory,
    ProblemReport,
    ProblemReportEvent,
    ProblemStatus,
    ReferenceCounter,
)
from portal.services.caseload import caseload_rows
from tests.conftest import (
    ADMIN,
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    OTHER_CONTACT,
    OTHER_WORKER,
    WORKER,
    user_by_email,
)

MO = "mo@werknemer-demo.nl"
OTHER_EMPLOYER = "leiding@heuvelrug-demo.nl"


@pytest.fixture(autouse=True)
def no_meldingen(demo):
    """The demo cast without its demo meldingen: these tests count from zero."""
    db.session.execute(delete(ProblemReportEvent))
    db.session.execute(delete(ProblemReport))
    db.session.execute(delete(ReferenceCounter).where(ReferenceCounter.prefix == "ML"))
    db.session.commit()
    return demo


def _category(code: str) -> ProblemCategory:
    return db.session.scalar(select(ProblemCategory).where(ProblemCategory.code == code))


def _inbox(email: str) -> int:
    user = user_by_email(email)
    return db.session.scalar(
        select(func.count()).select_from(InboxMessage).where(InboxMessage.user_id == user.id)
    )


def _reports() -> list[ProblemReport]:
    db.session.expire_all()
    return db.session.scalars(select(ProblemReport).order_by(ProblemReport.id)).all()


def _file(client, code="workload", urgency="this_week", text="Het is te druk.", **extra):
    data = {"category": _category(code).id, "urgency": urgency, "text": text, **extra}
    return client.post("/meldingen/nieuw", data=data)


def test_worker_reports_and_the_contact_person_is_told_once(client, auth, demo):
    before = _inbox(CONTACT)
    auth.login(WORKER)
    page = client.get("/meldingen/nieuw").get_data(as_text=True)
    assert 'name="worker"' not in page  # a worker reports about their own work
    response = _file(client, urgency="today")
    [report] = _reports()
    assert response.status_code == 302
    assert response.location == f"/meldingen/{report.reference}"
    assert report.reference.startswith(f"ML-{date.today().year}-")
    assert (report.worker.email, report.reporter.email) == (WORKER, WORKER)
    assert report.contact_person.email == CONTACT
    assert report.placement is not None and report.employer_id == report.placement.employer_id
    assert [e.kind for e in report.events] == ["created"]
    assert _inbox(CONTACT) == before + 1
    message = db.session.scalars(
        select(InboxMessage)
        .where(InboxMessage.user_id == user_by_email(CONTACT).id)
        .order_by(InboxMessage.id.desc())
    ).first()
    assert message.link == f"/meldingen/{report.reference}"
    assert "Sanne Bakker" in message.subject
    detail = client.get(response.location).get_data(as_text=True)
    assert report.reference in detail and "Het is te druk." in detail


def test_employer_reports_about_their_own_workers_only(client, auth, demo):
    auth.login(EMPLOYER)
    page = client.get("/meldingen/nieuw").get_data(as_text=True)
    assert "Sanne Bakker" in page and "Mohammed Yilmaz" in page
    assert "Daan Visser" not in page
    daan = user_by_email(OTHER_WORKER)
    refused = _file(client, worker=daan.id, text="Over iemand anders")
    assert refused.status_code == 200
    assert "Over iemand anders" in refused.get_data(as_text=True)  # the input is kept
    assert _reports() == []
    mo = user_by_email(MO)
    assert _file(client, code="reorganisation", worker=mo.id).status_code == 302
    [report] = _reports()
    assert (report.worker.email, report.reporter.email) == (MO, EMPLOYER)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"urgency": "today", "text": "Iets"}, "Kies waar het over gaat."),
        ({"category": "workload", "text": "Iets"}, "Kies hoe dringend het is."),
        (
            {"category": "workload", "urgency": "today", "text": "  "},
            "Schrijf wat er aan de hand is.",
        ),
        ({"category": "workload", "urgency": "soon", "text": "Iets"}, "Ongeldige keuze"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(client, auth, demo, data, message):
    auth.login(WORKER)
    if "category" in data:
        data["category"] = _category(data["category"]).id
    response = client.post("/meldingen/nieuw", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    if data["text"].strip():
        assert data["text"] in html
    assert _reports() == []


def test_problems_outside_work_show_the_buurtteam_of_the_workers_municipality(client, auth, demo):
    auth.login(WORKER)
    _file(client, code="outside_work", text="Ik heb schulden.")
    _file(client, code="travel", text="De bus rijdt niet meer.")
    outside, travel = _reports()
    html = client.get(f"/meldingen/{outside.reference}").get_data(as_text=True)
    assert "buurtteam" in html and "https://www.utrecht.nl" in html  # Sanne lives in Utrecht
    assert "buurtteam" not in client.get(f"/meldingen/{travel.reference}").get_data(as_text=True)
    auth.logout()
    auth.login(OTHER_WORKER)  # Daan lives in Zeist
    _file(client, code="outside_work", text="Problemen thuis.")
    html = client.get(f"/meldingen/{_reports()[-1].reference}").get_data(as_text=True)
    assert "https://www.zeist.nl" in html and "https://www.utrecht.nl" not in html


def test_who_reads_a_melding(client, auth, demo):
    auth.login(WORKER)
    _file(client, code="conflict", text="Ruzie met mijn leidinggevende.")
    auth.logout()
    auth.login(EMPLOYER)
    _file(client, worker=user_by_email(MO).id, text="Mo komt vaak te laat.")
    auth.logout()
    by_worker, by_employer = _reports()
    cases = [
        (WORKER, by_worker, 200),
        (WORKER, by_employer, 403),  # an employer's melding is not shown to the worker
        (EMPLOYER, by_employer, 200),
        (EMPLOYER, by_worker, 403),  # nor the worker's to the employer
        (OTHER_EMPLOYER, by_employer, 403),
        (CONTACT, by_worker, 200),
        (CONTACT, by_employer, 200),
        (OTHER_CONTACT, by_worker, 403),
        (JOBCOACH, by_worker, 403),
        (ADMIN, by_worker, 403),
    ]
    for email, report, status in cases:
        auth.login(email)
        assert client.get(f"/meldingen/{report.reference}").status_code == status, email
        auth.logout()
    auth.login(EMPLOYER)
    listing = client.get("/meldingen/").get_data(as_text=True)
    assert by_employer.reference in listing and by_worker.reference not in listing
    auth.logout()
    auth.login(CONTACT)
    assert client.get("/meldingen/ML-2000-000001").status_code == 404


@pytest.mark.parametrize(
    ("email", "path", "method"),
    [
        (JOBCOACH, "/meldingen/", "get"),
        (ADMIN, "/meldingen/", "get"),
        (CONTACT, "/meldingen/nieuw", "get"),
        (JOBCOACH, "/meldingen/nieuw", "post"),
    ],
)
def test_roles_without_meldingen_are_refused(client, auth, demo, email, path, method):
    auth.login(email)
    assert getattr(client, method)(path).status_code == 403


def test_contact_person_works_it_off_and_the_reporter_follows(client, auth, demo):
    auth.login(WORKER)
    _file(client)
    auth.logout()
    [report] = _reports()
    url = f"/meldingen/{report.reference}/actie"
    before = _inbox(WORKER)

    auth.login(OTHER_CONTACT)
    assert client.post(url, data={"note": "x"}).status_code == 403
    auth.logout()
    auth.login(CONTACT)
    empty = client.post(url, data={"note": ""})
    assert "Schrijf wat er is gedaan" in empty.get_data(as_text=True)
    assert client.post(url, data={"note": "Ik bel je morgen."}).status_code == 302
    assert _reports()[0].status == ProblemStatus.IN_PROGRESS  # acting on it takes it in hand
    refused = client.post(url, data={"status": "closed", "note": ""})
    assert "Schrijf wat er is gedaan voordat u de melding sluit." in refused.get_data(as_text=True)
    assert _reports()[0].status == ProblemStatus.IN_PROGRESS
    closing = client.post(url, data={"status": "closed", "note": "Minder uren afgesproken."})
    assert closing.status_code == 302
    assert _reports()[0].status == ProblemStatus.CLOSED
    after_close = client.post(url, data={"note": "Nog iets"})
    assert "Deze melding is gesloten" in after_close.get_data(as_text=True)
    assert client.post(url, data={"status": "in_progress", "note": "Toch weer"}).status_code == 302
    auth.logout()

    report = _reports()[0]
    assert [(e.kind, e.status) for e in report.events] == [
        ("created", ProblemStatus.NEW),
        ("status", ProblemStatus.IN_PROGRESS),
        ("status", ProblemStatus.CLOSED),
        ("status", ProblemStatus.IN_PROGRESS),
    ]
    assert _inbox(WORKER) == before + 3  # one message per stored step, none for refusals
    auth.login(WORKER)
    html = client.get(f"/meldingen/{report.reference}").get_data(as_text=True)
    assert "Minder uren afgesproken." in html and "Ik bel je morgen." in html
    assert "Werk aan deze melding" not in html  # the reporter reads, the contact person acts
    assert client.post(url, data={"note": "zelf"}).status_code == 403


def test_a_worker_without_contact_person_lands_with_every_contact_person(client, auth, demo):
    assignment = db.session.scalar(
        select(ContactAssignment).where(
            ContactAssignment.worker_id == user_by_email(WORKER).id,
            ContactAssignment.ends_on.is_(None),
        )
    )
    assignment.ends_on = date.today()
    db.session.commit()
    auth.login(WORKER)
    _file(client)
    auth.logout()
    [report] = _reports()
    assert report.contact_person is None
    auth.login(OTHER_CONTACT)
    assert report.reference in client.get("/meldingen/").get_data(as_text=True)
    client.post(f"/meldingen/{report.reference}/actie", data={"note": "Ik pak dit op."})
    auth.logout()
    assert _reports()[0].contact_person.email == OTHER_CONTACT
    auth.login(CONTACT)
    assert client.get(f"/meldingen/{report.reference}").status_code == 403


def test_the_header_counts_unread_messages(client, auth, demo):
    auth.login(CONTACT)
    client.get("/berichten")  # reads everything so far
    assert 'class="badge"' not in client.get("/dashboard").get_data(as_text=True)
    auth.logout()
    auth.login(WORKER)
    _file(client)
    _file(client, code="travel")
    auth.logout()
    auth.login(CONTACT)
    html = client.get("/dashboard").get_data(as_text=True)
    assert '<span class="badge">2<span class="visually-hidden"> ongelezen berichten</span>' in html


def test_open_meldingen_are_a_risk_on_the_caseload_until_handled(client, auth, demo):
    def reasons() -> set[str]:
        db.session.expire_all()
        rows = caseload_rows(db.session, user_by_email(CONTACT).id, date.today())
        sanne = next(row for row in rows if row.worker.email == WORKER)
        return {reason.code for reason in sanne.risk.reasons}

    assert "open_reports" not in reasons()
    auth.login(WORKER)
    _file(client)
    auth.logout()
    assert "open_reports" in reasons()
    auth.login(CONTACT)
    client.post(
        f"/meldingen/{_reports()[0].reference}/actie",
        data={"status": "closed", "note": "Besproken en opgelost."},
    )
    assert "open_reports" not in reasons()
