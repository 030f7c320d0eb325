"""The audit log through the web: a staff member opening a worker's placement, evaluation, sick
report or help request writes exactly one read row (actor, role, IP, worker); a change made in a
request writes its actor and changed fields; the administrator filters and exports; a worker sees
who looked at their own data only; and only the right role reaches the new pages."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditAction, AuditEvent, Placement, SickReport
from portal.services.sickness import create_sick_report
from tests.conftest import (
    ADMIN,
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    OTHER_WORKER,
    WORKER,
    make_help_request,
    user_by_email,
)

IP = "203.0.113.7"
TODAY = date.today()


@pytest.fixture(autouse=True)
def _from_ip(client):
    """Every request of these tests comes from one documentation address (the session is bound
    to the address, so logging in and reading must share it)."""
    client.environ_base["REMOTE_ADDR"] = IP


def _html(response) -> str:
    return unescape(response.get_data(as_text=True))


def _get(client, path: str):
    return client.get(path)


def _reads() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.READ).order_by(AuditEvent.id)
        )
    )


def _sanne_placement() -> Placement:
    return db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(WORKER).id)
    )


def _sick_report(email: str = WORKER) -> SickReport:
    worker = user_by_email(email)
    report = create_sick_report(
        db.session,
        reporter=worker,
        worker=worker,
        first_sick_day=TODAY - timedelta(days=1),
        today=TODAY,
    )
    db.session.commit()
    return report


def _evaluation_moment_id(email: str) -> int:
    from portal.models import EvaluationMoment, EvaluationResponse, ResponseStatus

    return db.session.scalar(
        select(EvaluationMoment.id)
        .join(EvaluationResponse, EvaluationResponse.moment_id == EvaluationMoment.id)
        .join(Placement, Placement.id == EvaluationMoment.placement_id)
        .where(
            Placement.worker_id == user_by_email(email).id,
            EvaluationResponse.status == ResponseStatus.SUBMITTED,
        )
        .limit(1)
    )


def _jobcoach_report_id(email: str) -> int:
    from portal.models import JobcoachReport

    return db.session.scalar(
        select(JobcoachReport.id)
        .join(Placement, Placement.id == JobcoachReport.placement_id)
        .where(Placement.worker_id == user_by_email(email).id)
        .limit(1)
    )


# Reads by staff ----------------------------------------------------------------------------


def _pages(kind: str) -> tuple[str, str, str]:
    """(path, entity, entity id) of one of Sanne's records."""
    if kind == "placement":
        placement = _sanne_placement()
        return f"/plaatsingen/{placement.id}", "placement", str(placement.id)
    if kind == "sick_report":
        report = _sick_report()
        return f"/ziekmelding/{report.id}", "sick_report", str(report.id)
    if kind == "help_request":
        help_request = make_help_request(user_by_email(WORKER))
        return f"/hulpvraag/{help_request.reference}", "help_request", str(help_request.id)
    if kind == "problem_report":
        from portal.models import ProblemCategory, Urgency
        from portal.services.problem_reports import create_report

        sanne = user_by_email(WORKER)
        category = db.session.scalar(
            select(ProblemCategory).where(ProblemCategory.code == "travel")
        )
        report = create_report(
            db.session,
            reporter=sanne,
            worker=sanne,
            category=category,
            urgency=Urgency.THIS_WEEK,
            text="Mijn rooster verandert steeds.",
        )
        db.session.commit()
        return f"/meldingen/{report.reference}", "problem_report", str(report.id)
    if kind == "contact_history":
        sanne = user_by_email(WORKER)
        return f"/contactpersonen/werknemer/{sanne.id}", "contact_assignment", str(sanne.id)
    if kind == "comparison":
        moment_id = _evaluation_moment_id(WORKER)
        return f"/evaluaties/{moment_id}/vergelijking", "evaluation_moment", str(moment_id)
    if kind == "response":
        from portal.models import EvaluationResponse, ResponseStatus, Side

        moment_id = _evaluation_moment_id(WORKER)
        response = db.session.scalar(
            select(EvaluationResponse).where(
                EvaluationResponse.moment_id == moment_id,
                EvaluationResponse.side == Side.WORKER,
                EvaluationResponse.status == ResponseStatus.SUBMITTED,
            )
        )
        return f"/evaluaties/{moment_id}/werknemer", "evaluation_response", str(response.id)
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "placement",
        "sick_report",
        "help_request",
        "problem_report",
        "contact_history",
        "comparison",
        "response",
    ],
)
def test_a_contact_person_opening_sannes_record_writes_exactly_one_read(client, auth, demo, kind):
    path, entity, entity_id = _pages(kind)
    auth.login(CONTACT)
    before = len(_reads())
    response = _get(client, path)
    assert response.status_code == 200
    reads = _reads()[before:]
    assert len(reads) == 1
    [read] = reads
    contact = user_by_email(CONTACT)
    assert (read.actor_id, read.actor_role) == (contact.id, "contact_person")
    assert (read.entity, read.entity_id) == (entity, entity_id)
    assert read.subject_worker_id == user_by_email(WORKER).id
    assert read.ip_address == IP
    assert read.path == path
    assert read.endpoint and read.changes is None


@pytest.mark.parametrize(
    ("kind", "path_of", "entity"),
    [
        ("coaching", lambda: f"/jobcoaching/plaatsing/{_sanne_placement().id}", "placement"),
        (
            "report",
            lambda: f"/jobcoaching/rapportage/{_jobcoach_report_id(WORKER)}",
            "jobcoach_report",
        ),
        (
            "comparison",
            lambda: f"/evaluaties/{_evaluation_moment_id(WORKER)}/vergelijking",
            "evaluation_moment",
        ),
    ],
)
def test_the_jobcoach_reads_are_recorded_with_their_role(client, auth, demo, kind, path_of, entity):
    path = path_of()
    auth.login(JOBCOACH)
    assert _get(client, path).status_code == 200
    [read] = _reads()
    assert (read.actor_role, read.entity) == ("jobcoach", entity)
    assert read.subject_worker_id == user_by_email(WORKER).id


@pytest.mark.parametrize("email", [WORKER, EMPLOYER])
def test_the_worker_and_the_employer_reading_write_no_read(client, auth, demo, email):
    placement = _sanne_placement()
    auth.login(email)
    assert _get(client, f"/plaatsingen/{placement.id}").status_code == 200
    assert _reads() == []


def test_a_refused_read_writes_nothing(client, auth, demo):
    """Daan's sick report is not for Sanne's ... nor for another worker."""
    report = _sick_report(OTHER_WORKER)
    auth.login(WORKER)
    assert _get(client, f"/ziekmelding/{report.id}").status_code == 403
    assert _reads() == []


# Changes in a request -------------------------------------------------------------------------


def test_a_change_in_a_request_writes_actor_ip_and_changed_fields(client, auth, demo):
    report = _sick_report()
    auth.login(CONTACT)
    response = client.post(
        f"/ziekmelding/{report.id}/hersteld",
        data={"recovered_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    [change] = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.UPDATE, AuditEvent.entity == "sick_report"
        )
    ).all()
    contact = user_by_email(CONTACT)
    assert (change.actor_id, change.actor_role, change.ip_address) == (
        contact.id,
        "contact_person",
        IP,
    )
    assert change.entity_id == str(report.id)
    assert change.subject_worker_id == user_by_email(WORKER).id
    assert change.changes["recovered_on"] == [None, TODAY.isoformat()]
    assert {"recovered_on", "recovery_reported_by_id"} <= set(change.changes)
    assert change.path == f"/ziekmelding/{report.id}/hersteld"


def test_a_created_record_in_a_request_has_the_worker_as_actor(client, auth, demo):
    auth.login(WORKER)
    response = client.post(
        "/ziekmelding/nieuw",
        data={
            "first_sick_day": TODAY.isoformat(),
            "expected_duration": "days",
            "partially_working": "no",
            "working_percent": "",
            "remark": "",
        },
    )
    assert response.status_code == 302
    sanne = user_by_email(WORKER)
    [created] = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.CREATE,
            AuditEvent.entity == "sick_report",
            AuditEvent.subject_worker_id == sanne.id,
        )
    ).all()
    assert (created.actor_id, created.actor_role) == (sanne.id, "worker")
    assert created.subject_worker_id == sanne.id


def test_an_anonymous_help_request_is_recorded_as_anonymous(client, demo):
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
    [created] = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "help_request", AuditEvent.action == AuditAction.CREATE
        )
    ).all()
    assert (created.actor_id, created.actor_role, created.ip_address) == (None, "anonymous", IP)
    assert created.subject_worker_id is None


def test_requests_never_change_earlier_audit_rows(client, auth, demo):
    """Rows written before a series of reads and changes are exactly the same afterwards."""
    report = _sick_report()
    snapshot = {
        e.id: (e.actor_id, e.action, e.entity, e.entity_id, e.changes)
        for e in db.session.scalars(select(AuditEvent))
    }
    auth.login(CONTACT)
    _get(client, f"/ziekmelding/{report.id}")
    client.post(f"/ziekmelding/{report.id}/hersteld", data={"recovered_on": TODAY.isoformat()})
    auth.logout()
    auth.login(ADMIN)
    client.get("/beheer/audit")
    client.get("/beheer/audit.csv")
    db.session.expire_all()
    after = {
        e.id: (e.actor_id, e.action, e.entity, e.entity_id, e.changes)
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(snapshot)))
    }
    assert after == snapshot


# The administrator's screen ------------------------------------------------------------------


def _two_reads(client, auth):
    """The contact person reads Sanne's placement, the jobcoach Daan's report."""
    auth.login(CONTACT)
    _get(client, f"/plaatsingen/{_sanne_placement().id}")
    auth.logout()
    auth.login(JOBCOACH)
    _get(client, f"/jobcoaching/rapportage/{_jobcoach_report_id(OTHER_WORKER)}")
    auth.logout()


def test_the_admin_dashboard_links_to_the_audit_log(client, auth, demo):
    auth.login(ADMIN)
    assert 'href="/beheer/audit"' in _html(client.get("/dashboard"))


def test_the_admin_filters_the_log(client, auth, demo):
    _two_reads(client, auth)
    auth.login(ADMIN)
    page = _html(client.get("/beheer/audit", query_string={"action": "read", "worker": WORKER}))
    assert "1 line" in page or "1 regel" in page
    assert "Fatima" in page or user_by_email(CONTACT).full_name in page
    assert user_by_email(JOBCOACH).full_name not in page
    page = _html(client.get("/beheer/audit", query_string={"actor_role": "jobcoach"}))
    assert user_by_email(JOBCOACH).full_name in page
    everything = _html(client.get("/beheer/audit"))
    assert "placement" in everything and "sick_report" in everything or "Volgende" in everything


def test_an_unknown_user_in_the_filter_is_an_error_not_everything(client, auth, demo):
    auth.login(ADMIN)
    response = client.get("/beheer/audit", query_string={"actor": "niemand@example.org"})
    assert response.status_code == 200
    page = _html(response)
    assert 'id="error-summary"' in page
    assert "utrecht-table__row" not in page
    before = len(_reads())
    response = client.get("/beheer/audit.csv", query_string={"actor": "niemand@example.org"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/audit?actor=niemand@example.org"
    assert len(_reads()) == before  # no export happened, none is recorded
    response = client.get("/beheer/audit", query_string={"action": "purge"})
    assert 'id="error-summary"' in _html(response)


def test_the_log_is_paginated(client, auth, demo):
    auth.login(ADMIN)
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert total > 50  # the demo's records
    first = _html(client.get("/beheer/audit"))
    assert "pagina=2" in first
    second = client.get("/beheer/audit", query_string={"pagina": 2})
    assert second.status_code == 200 and "pagina=1" in _html(second)


def test_the_csv_export_has_the_filtered_rows_and_neutralised_formulas(client, auth, demo):
    _two_reads(client, auth)
    db.session.add(
        AuditEvent(
            actor_role="system",
            action=AuditAction.CREATE,
            entity="placement",
            entity_id='=HYPERLINK("http://evil")',
        )
    )
    db.session.commit()
    auth.login(ADMIN)
    response = client.get("/beheer/audit.csv", query_string={"action": "read"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 2
    assert {row["action"] for row in rows} == {"read"}
    assert {row["actor_email"] for row in rows} == {CONTACT, JOBCOACH}
    everything = client.get("/beheer/audit.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in everything
    assert "\n=HYPERLINK" not in everything and ",=HYPERLINK" not in everything


def test_an_export_is_recorded_with_its_filter_and_is_not_in_itself(client, auth, demo):
    _two_reads(client, auth)
    auth.login(ADMIN)
    sanne = user_by_email(WORKER)
    response = client.get("/beheer/audit.csv", query_string={"action": "read", "worker": WORKER})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["entity"] for row in rows] == ["placement"]
    export = _reads()[-1]
    assert (export.entity, export.actor_id) == ("audit_export", user_by_email(ADMIN).id)
    assert export.entity_id == f"action=read worker_id={sanne.id}"
    assert export.subject_worker_id == sanne.id  # so Sanne sees that her log was taken
    again = client.get("/beheer/audit.csv", query_string={"action": "read", "worker": WORKER})
    rows = list(csv.DictReader(io.StringIO(again.get_data(as_text=True))))
    assert [row["entity"] for row in rows] == ["audit_export", "placement"]  # newest first
    auth.logout()
    auth.login(WORKER)
    assert "Het overzicht van wie je gegevens bekeek" in _html(client.get("/mijn-gegevens/inzage"))


# The worker's screen ---------------------------------------------------------------------------


def test_a_worker_sees_who_looked_at_their_data_only(client, auth, demo):
    _two_reads(client, auth)
    # Sanne's own reads and changes are not "someone looked"
    auth.login(WORKER)
    _get(client, f"/plaatsingen/{_sanne_placement().id}")
    page = _html(client.get("/mijn-gegevens/inzage"))
    contact = user_by_email(CONTACT)
    assert contact.full_name in page
    assert user_by_email(JOBCOACH).full_name not in page  # read Daan's data, not Sanne's
    assert "1 keer" in page or "1 time" in page
    auth.logout()
    auth.login(OTHER_WORKER)
    page = _html(client.get("/mijn-gegevens/inzage"))
    assert user_by_email(JOBCOACH).full_name in page
    assert contact.full_name not in page


def test_a_worker_without_reads_is_told_so_and_the_dashboard_links(client, auth, demo):
    auth.login(WORKER)
    assert 'href="/mijn-gegevens/inzage"' in _html(client.get("/dashboard"))
    response = client.get("/mijn-gegevens/inzage")
    assert response.status_code == 200
    assert "utrecht-table__row" not in _html(response)


# Who may ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/beheer/audit", "/beheer/audit.csv"])
@pytest.mark.parametrize("email", [WORKER, EMPLOYER, CONTACT, JOBCOACH])
def test_only_the_administrator_reaches_the_audit_log(client, auth, demo, path, email):
    auth.login(email)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/beheer/audit", "/beheer/audit.csv", "/mijn-gegevens/inzage"])
def test_anonymous_visitors_are_sent_to_log_in(client, demo, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


@pytest.mark.parametrize("email", [EMPLOYER, CONTACT, JOBCOACH, ADMIN])
def test_only_workers_reach_their_inzage(client, auth, demo, email):
    auth.login(email)
    assert client.get("/mijn-gegevens/inzage").status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_audit_routes_accept_no_writes(client, auth, demo, method):
    auth.login(ADMIN)
    for path in ("/beheer/audit", "/beheer/audit.csv"):
        assert getattr(client, method)(path).status_code == 405
