"""Placement screens per role: who may see and change what, forms that keep input, the caseload."""

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import event, func, select

from portal.extensions import db
from portal.models import ContractDecision, Decision, Phase, Placement
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


def _placement_of(email: str) -> Placement:
    return db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(email).id)
    )


def test_each_role_sees_only_what_it_may(client, auth, demo):
    sanne = _placement_of(WORKER)  # Bakkerij De Korenschoof, contact Fatima, jobcoach Pieter
    daan = _placement_of(OTHER_WORKER)  # another company, contact Jeroen
    allowed = {
        WORKER: {sanne.id},
        EMPLOYER: {sanne.id},
        CONTACT: {sanne.id},
        JOBCOACH: {sanne.id, daan.id},
        OTHER_CONTACT: {daan.id},
        ADMIN: set(),
    }
    for email, may_see in allowed.items():
        auth.login(email)
        for placement in (sanne, daan):
            status = client.get(f"/plaatsingen/{placement.id}").status_code
            assert status == (200 if placement.id in may_see else 403), (email, placement.id)
        auth.logout()


def test_worker_reads_but_cannot_change(client, auth, demo):
    placement = _placement_of(WORKER)
    auth.login(WORKER)
    html = client.get(f"/plaatsingen/{placement.id}").data.decode()
    assert "Bakkerij De Korenschoof" in html
    assert f"/plaatsingen/{placement.id}/bewerken" not in html
    for path in ("bewerken", "volgende-stap", "beeindigen", "besluit"):
        assert client.get(f"/plaatsingen/{placement.id}/{path}").status_code == 403


def test_employer_of_another_company_is_refused(client, auth, demo):
    placement = _placement_of(OTHER_WORKER)
    auth.login(EMPLOYER)
    assert client.get(f"/plaatsingen/{placement.id}").status_code == 403
    assert client.get(f"/plaatsingen/{placement.id}/bewerken").status_code == 403
    assert client.get(f"/plaatsingen/{placement.id}/besluit").status_code == 403


def test_employer_updates_supervisor_and_hours(client, auth, demo):
    placement = _placement_of(WORKER)
    auth.login(EMPLOYER)
    response = client.post(
        f"/plaatsingen/{placement.id}/bewerken",
        data={
            "workplace": "Winkel",
            "supervisor_id": user_by_email(EMPLOYER).id,
            "hours_per_week": "20",
            "buddy_name": "Ans",
            "buddy_harrie_trained": "y",
        },
    )
    assert response.status_code == 302
    db.session.refresh(placement)
    assert (placement.workplace, placement.hours_per_week) == ("Winkel", 20.0)
    assert placement.buddy_harrie_trained is True


def test_supervisor_must_belong_to_the_employer(client, auth, demo):
    placement = _placement_of(WORKER)
    auth.login(EMPLOYER)
    other_company_user = user_by_email("leiding@heuvelrug-demo.nl")
    html = client.post(
        f"/plaatsingen/{placement.id}/bewerken",
        data={"supervisor_id": other_company_user.id, "hours_per_week": "18"},
    ).data.decode()
    assert 'value="18' in html
    db.session.refresh(placement)
    assert placement.supervisor_id != other_company_user.id


def test_contact_person_starts_a_placement(client, auth, demo):
    auth.login(CONTACT)
    worker = user_by_email(WORKER)
    employer_id = user_by_email("leiding@heuvelrug-demo.nl").employer_id
    response = client.post(
        "/plaatsingen/nieuw",
        data={
            "worker_id": worker.id,
            "employer_id": employer_id,
            "phase": "tijdelijk",
            "start_date": "2027-01-04",
            "contract_end": "2027-07-03",
            "supervisor_id": 0,
            "jobcoach_id": 0,
            "route": "regular",
            "permanent_intention": "maybe",
            "praktijkroute_outcome": "",
        },
    )
    assert response.status_code == 302, response.data.decode()[:2000]
    created = db.session.scalar(
        select(Placement).where(
            Placement.worker_id == worker.id, Placement.employer_id == employer_id
        )
    )
    assert created.phase == Phase.TIJDELIJK
    assert created.contract_end == date(2027, 7, 3)
    assert created.permanent_intention.value == "maybe"


def test_new_placement_errors_keep_the_input(client, auth, demo):
    auth.login(CONTACT)
    worker = user_by_email(WORKER)
    html = client.post(
        "/plaatsingen/nieuw",
        data={
            "worker_id": worker.id,
            "employer_id": user_by_email("leiding@heuvelrug-demo.nl").employer_id,
            "phase": "tijdelijk",
            "start_date": "2027-01-04",
            "supervisor_id": 0,
            "jobcoach_id": 0,
            "route": "regular",
            "workplace": "Bakkerij, winkel",
        },
    ).data.decode()
    assert "Vul de einddatum van het tijdelijke contract in." in html
    assert 'value="Bakkerij, winkel"' in html
    assert 'value="2027-01-04"' in html


def test_invalid_date_is_explained(client, auth, demo):
    auth.login(CONTACT)
    html = client.post(
        "/plaatsingen/nieuw",
        data={
            "worker_id": user_by_email(WORKER).id,
            "employer_id": user_by_email(EMPLOYER).employer_id,
            "phase": "proefplaatsing",
            "start_date": "31-02-2027",
            "supervisor_id": 0,
            "jobcoach_id": 0,
            "route": "regular",
        },
    ).data.decode()
    assert "Vul een datum in, bijvoorbeeld 1 maart 2026." in html


def test_contact_person_cannot_start_a_placement_for_another_caseload(client, auth, demo):
    auth.login(CONTACT)
    response = client.post(
        "/plaatsingen/nieuw",
        data={
            "worker_id": user_by_email(OTHER_WORKER).id,
            "employer_id": 1,
            "phase": "proefplaatsing",
            "start_date": "2027-01-04",
            "supervisor_id": 0,
            "jobcoach_id": 0,
            "route": "regular",
        },
    )
    assert response.status_code == 200  # "not a valid choice": only the own caseload is offered
    assert db.session.scalar(select(func.count()).select_from(Placement)) == 6


def test_ending_a_placement_through_the_form(client, auth, demo):
    placement = _placement_of(WORKER)
    auth.login(CONTACT)
    html = client.post(
        f"/plaatsingen/{placement.id}/beeindigen",
        data={
            "end_date": date.today().isoformat(),
            "main_reason": "other",
            "initiator": "worker",
            "cause": "worker",
            "follow_up_owner_id": user_by_email(CONTACT).id,
        },
    ).data.decode()
    assert "Licht de reden 'Overig' toe." in unescape(html)
    response = client.post(
        f"/plaatsingen/{placement.id}/beeindigen",
        data={
            "end_date": date.today().isoformat(),
            "main_reason": "other",
            "initiator": "worker",
            "cause": "worker",
            "follow_up_owner_id": user_by_email(CONTACT).id,
            "explanation": "Verhuist naar Groningen",
        },
    )
    assert response.status_code == 302
    db.session.refresh(placement)
    assert placement.phase == Phase.BEEINDIGD
    assert placement.end_risk_moment == "during_trial"


def test_employer_records_a_renewal_and_the_contact_sees_it(client, auth, demo):
    daan = _placement_of(OTHER_WORKER)  # temporary contract ending in 23 days, no decision
    employer_user = user_by_email("leiding@heuvelrug-demo.nl")
    auth.login("leiding@heuvelrug-demo.nl")
    new_end = daan.contract_end + timedelta(days=365)
    response = client.post(
        f"/plaatsingen/{daan.id}/besluit",
        data={"decision": "renew", "new_end": new_end.isoformat()},
    )
    assert response.status_code == 302
    decision = db.session.scalar(select(ContractDecision))
    assert decision.decision == Decision.RENEW and decision.decided_by == employer_user
    db.session.refresh(daan)
    assert daan.chain_number == 2 and daan.contract_end == new_end
    auth.logout()
    auth.login(OTHER_CONTACT)
    html = client.get(f"/plaatsingen/{daan.id}").data.decode()
    assert "Tijdelijk contract verlengen" in html


def test_caseload_lists_risks_in_words(client, auth, demo):
    auth.login(OTHER_CONTACT)
    html = client.get("/caseload").data.decode()
    assert "Daan Visser" in html
    assert "contract eindigt over 23 dagen, nog geen besluit" in html


@pytest.mark.parametrize("role", [WORKER, EMPLOYER, JOBCOACH, ADMIN])
def test_caseload_is_for_contact_persons_only(client, auth, demo, role):
    auth.login(role)
    assert client.get("/caseload").status_code == 403
    assert client.get("/plaatsingen/nieuw").status_code == 403


def _count_queries(app, client, path) -> int:
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def _grow_caseload(size: int, offset: int = 0) -> None:
    from portal.models import ContactAssignment, Employer, Role, User
    from portal.services.placement_workflow import start_placement

    contact = user_by_email(CONTACT)
    employer = db.session.get(Employer, user_by_email(EMPLOYER).employer_id)
    for n in range(offset, offset + size):
        worker = User(
            email=f"w{n}@example.nl",
            password_hash="x",
            first_name="W",
            last_name=f"{n:04d}",
            role=Role.WORKER,
        )
        db.session.add(worker)
        db.session.add(
            ContactAssignment(contact_person=contact, worker=worker, starts_on=date(2025, 1, 1))
        )
        phase = Phase.TIJDELIJK if n % 2 else Phase.PROEFPLAATSING
        start_placement(
            db.session,
            worker=worker,
            employer=employer,
            phase=phase,
            start=date(2026, 6, 1),
            contract_end=date(2026, 12, 31),
            by=contact,
            today=date(2026, 6, 1),
        )
    db.session.commit()


def test_caseload_queries_do_not_grow_with_the_caseload(app, client, auth, demo):
    auth.login(CONTACT)
    _grow_caseload(3)  # 2 demo workers + 3 = 5 placements
    small = _count_queries(app, client, "/caseload")
    _grow_caseload(195, offset=3)  # 200 placements
    large = _count_queries(app, client, "/caseload?sorteer=contracteinde")
    assert small == large
    # user, the server-side session, caseload, placements + contracts + moments, decisions,
    # evaluation signals (3), coaching facts and routing (2), open sick reports, open meldingen,
    # the unread count in the header
    assert large <= 15


def test_build_up_of_hours(client, auth, demo):
    placement = _placement_of(WORKER)
    auth.login(EMPLOYER)
    later = (placement.start_date + timedelta(days=28)).isoformat()
    response = client.post(
        f"/plaatsingen/{placement.id}/opbouw", data={"from_date": later, "hours": "20"}
    )
    assert response.status_code == 302
    again = client.post(
        f"/plaatsingen/{placement.id}/opbouw",
        data={"from_date": later, "hours": "24"},
        follow_redirects=True,
    )
    assert "Er staat al een stap op deze datum." in again.data.decode()
    too_early = client.post(
        f"/plaatsingen/{placement.id}/opbouw",
        data={"from_date": (placement.start_date - timedelta(days=1)).isoformat(), "hours": "8"},
        follow_redirects=True,
    )
    assert "Een stap kan niet voor de start van de plaatsing liggen." in too_early.data.decode()
    db.session.refresh(placement)
    assert [(s.from_date.isoformat(), s.hours) for s in placement.hours_steps] == [(later, 20.0)]
    auth.logout()
    auth.login(WORKER)
    assert (
        client.post(
            f"/plaatsingen/{placement.id}/opbouw", data={"from_date": later, "hours": "30"}
        ).status_code
        == 403
    )
