"""Contact-person hand-over: explicit (new person, date, note), history kept, everyone concerned
told exactly once, open work moves along; and the contact stays after a permanent contract."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ContactAssignment,
    HelpRequest,
    InboxMessage,
    Phase,
    Placement,
    ProblemCategory,
    Urgency,
)
from portal.services.contacts import current_assignment
from portal.services.placement_workflow import change_phase
from portal.services.problem_reports import create_report
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

THIRD_CONTACT = "a.jansen@wsp-demo.nl"


def _inbox(email: str) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(InboxMessage)
        .where(InboxMessage.user_id == user_by_email(email).id)
    )


def _hand_over(client, path, new_email, on=None, note="Sanne werkt graag 's ochtends."):
    return client.post(
        path,
        data={
            "new_contact": user_by_email(new_email).id,
            "on": (on or date.today()).isoformat(),
            "note": note,
        },
    )


def _worker_path(email=WORKER) -> str:
    return f"/contactpersonen/werknemer/{user_by_email(email).id}"


def test_contact_person_hands_a_worker_over(client, auth, demo):
    sanne = user_by_email(WORKER)
    category = db.session.scalar(select(ProblemCategory).where(ProblemCategory.code == "travel"))
    report = create_report(
        db.session, reporter=sanne, worker=sanne, category=category, urgency=Urgency.TODAY, text="x"
    )
    db.session.commit()
    help_request = make_help_request(sanne)
    assert help_request.assigned_to.email == CONTACT
    counts = {email: _inbox(email) for email in (WORKER, CONTACT, OTHER_CONTACT, EMPLOYER)}

    auth.login(CONTACT)
    response = _hand_over(client, _worker_path(), OTHER_CONTACT)
    assert response.status_code == 302 and response.location == "/contactpersonen/"
    assert client.get(_worker_path()).status_code == 403  # no longer her contact person

    db.session.expire_all()
    history = db.session.scalars(
        select(ContactAssignment)
        .where(ContactAssignment.worker_id == sanne.id)
        .order_by(ContactAssignment.id)
    ).all()
    assert [(a.contact_person.email, a.ends_on) for a in history] == [
        (CONTACT, date.today()),
        (OTHER_CONTACT, None),
    ]
    assert history[-1].recorded_by.email == CONTACT
    assert history[-1].note == "Sanne werkt graag 's ochtends."
    assert report.contact_person.email == OTHER_CONTACT
    assert db.session.get(HelpRequest, help_request.id).assigned_to.email == OTHER_CONTACT
    # the worker and the new contact person are told once; the one who did it is not
    assert {email: _inbox(email) - n for email, n in counts.items()} == {
        WORKER: 1,
        CONTACT: 0,
        OTHER_CONTACT: 1,
        EMPLOYER: 0,
    }
    auth.logout()
    auth.login(OTHER_CONTACT)
    page = client.get(_worker_path()).get_data(as_text=True)
    assert "Fatima el Amrani" in page and "Jeroen de Vries" in page  # the history stays


def test_administrator_hands_an_employer_over_and_everyone_is_told(client, auth, demo):
    employer = user_by_email(EMPLOYER).employer
    counts = {email: _inbox(email) for email in (EMPLOYER, CONTACT, THIRD_CONTACT)}
    auth.login(ADMIN)
    path = f"/contactpersonen/werkgever/{employer.id}"
    assert client.get(path).status_code == 200
    assert _hand_over(client, path, THIRD_CONTACT, note="").status_code == 302
    assert {email: _inbox(email) - n for email, n in counts.items()} == {
        EMPLOYER: 1,
        CONTACT: 1,
        THIRD_CONTACT: 1,
    }
    db.session.expire_all()
    assert current_assignment(db.session, employer=employer).contact_person.email == THIRD_CONTACT
    # a second hand-over keeps the whole history
    assert _hand_over(client, path, CONTACT, note="Terug").status_code == 302
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(ContactAssignment)
            .where(ContactAssignment.employer_id == employer.id)
        )
        == 3
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"on": date.today() + timedelta(days=1)}, "De datum kan niet in de toekomst liggen"),
        ({"on": date(2023, 12, 31)}, "De datum kan niet vóór de start"),
        ({"new_email": CONTACT}, "Dit is al de contactpersoon."),
        ({"new_email": JOBCOACH}, "Kies een actieve contactpersoon."),
    ],
)
def test_bad_hand_overs_are_refused_and_change_nothing(client, auth, demo, change, message):
    auth.login(CONTACT)
    response = _hand_over(
        client, _worker_path(), change.get("new_email", OTHER_CONTACT), on=change.get("on")
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "Sanne werkt graag" in html  # the note typed is kept
    db.session.expire_all()
    assert current_assignment(db.session, worker=user_by_email(WORKER)).contact_person.email == (
        CONTACT
    )


@pytest.mark.parametrize("email", [OTHER_CONTACT, WORKER, EMPLOYER, JOBCOACH])
def test_only_the_current_contact_person_or_the_administrator_hands_over(client, auth, demo, email):
    auth.login(email)
    assert client.get(_worker_path()).status_code == 403
    assert _hand_over(client, _worker_path(), THIRD_CONTACT).status_code == 403
    db.session.expire_all()
    assert current_assignment(db.session, worker=user_by_email(WORKER)).contact_person.email == (
        CONTACT
    )


def test_lists_and_unknown_ids(client, auth, demo):
    auth.login(CONTACT)
    own = client.get("/contactpersonen/").get_data(as_text=True)
    assert "Sanne Bakker" in own and "Bakkerij De Korenschoof" in own
    assert "Daan Visser" not in own  # Jeroen's worker
    assert client.get("/contactpersonen/werknemer/999999").status_code == 404
    employer_user = user_by_email(EMPLOYER)
    assert client.get(f"/contactpersonen/werknemer/{employer_user.id}").status_code == 404
    auth.logout()
    auth.login(ADMIN)
    everyone = client.get("/contactpersonen/").get_data(as_text=True)
    assert "Sanne Bakker" in everyone and "Daan Visser" in everyone
    auth.logout()
    auth.login(WORKER)
    assert client.get("/contactpersonen/").status_code == 403


def test_the_contact_person_stays_after_a_permanent_contract(demo):
    daan = user_by_email(OTHER_WORKER)
    before = current_assignment(db.session, worker=daan)
    placement = db.session.scalar(select(Placement).where(Placement.worker_id == daan.id))
    assert placement.phase == Phase.TIJDELIJK
    change_phase(
        db.session,
        placement,
        Phase.VAST,
        effective_on=date.today(),
        by=user_by_email(OTHER_CONTACT),
        today=date.today(),
    )
    db.session.commit()
    assert placement.phase == Phase.VAST
    after = current_assignment(db.session, worker=daan)
    assert (after.id, after.contact_person_id, after.ends_on) == (
        before.id,
        before.contact_person_id,
        None,
    )
