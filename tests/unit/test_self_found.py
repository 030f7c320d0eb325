"""Self-found jobs become placements with the right contact person (the demo cast: Fatima at
Gemeente Utrecht, Jeroen at UWV, Anouk at FermWerk)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ContactAssignment, Employer, Municipality, Regime, Role, User
from portal.models.placements import Phase
from portal.security import verify_password
from portal.services.contacts import current_assignment
from portal.services.placements import PlacementRuleError
from portal.services.self_found import (
    Job,
    NewEmployer,
    NewWorker,
    SelfFoundError,
    register_by_employer,
    register_by_worker,
)
from portal.services.settings import DEFAULTS
from tests.conftest import ADMIN, CONTACT, EMPLOYER, WORKER, user_by_email

TODAY = date(2026, 11, 24)
JOB = Job(start=date(2026, 11, 2), phase=Phase.TIJDELIJK, contract_end=date(2027, 5, 1))
SHOP = NewEmployer("Fietsenmaker Spaak", "Dorpsstraat 1", "3481 AB", "Harmelen")


def _municipality(name: str) -> Municipality:
    return db.session.scalar(select(Municipality).where(Municipality.name == name))


def _worker(email="nieuw@example.org", regime=Regime.PARTICIPATIEWET, place="Woerden"):
    return NewWorker("Nina", "Nieuw", email, regime, _municipality(place))


def test_a_worker_registers_a_job_at_a_new_company(demo):
    sanne = user_by_email(WORKER)
    result = register_by_worker(
        db.session, worker=sanne, employer=SHOP, job=JOB, today=TODAY, defaults=DEFAULTS
    )
    placement = result.placement
    assert placement.self_found and placement.worker_id == sanne.id
    assert placement.phase == Phase.TIJDELIJK and placement.contract_end == date(2027, 5, 1)
    assert result.new_employer and not result.new_contact
    assert result.contact_person.email == CONTACT  # she keeps her own contact person
    shop = placement.employer
    assert (shop.name, shop.postcode, shop.kvk_number) == ("Fietsenmaker Spaak", "3481 AB", None)
    # the new company gets the same contact person, so it has one from the start
    assert current_assignment(db.session, employer=shop).contact_person.email == CONTACT


def test_a_known_company_is_found_by_kvk_or_by_name_and_postcode(demo):
    korenschoof = user_by_email(EMPLOYER).employer
    by_kvk = NewEmployer("Other name", "x", "9999 ZZ", "x", kvk_number=korenschoof.kvk_number)
    by_name = NewEmployer(korenschoof.name.upper(), "x", korenschoof.postcode, "x")
    for number, details in enumerate((by_kvk, by_name)):
        employers = db.session.scalar(select(func.count()).select_from(Employer))
        worker = User(
            email=f"w{number}@example.org",
            first_name="W",
            last_name="W",
            role=Role.WORKER,
            password_hash="!",
        )
        db.session.add(worker)
        result = register_by_worker(
            db.session, worker=worker, employer=details, job=JOB, today=TODAY, defaults=DEFAULTS
        )
        assert result.placement.employer_id == korenschoof.id and not result.new_employer
        assert db.session.scalar(select(func.count()).select_from(Employer)) == employers


@pytest.mark.parametrize(
    ("regime", "place", "contact"),
    [
        (Regime.PARTICIPATIEWET, "Woerden", "a.jansen@wsp-demo.nl"),  # FermWerk
        (Regime.WAJONG, "Woerden", "j.devries@wsp-demo.nl"),  # Wajong: UWV anywhere
        (Regime.PRAKTIJKROUTE, "Utrecht", CONTACT),  # Gemeente Utrecht
    ],
)
def test_an_unknown_worker_gets_an_account_and_the_routed_contact_person(
    demo, regime, place, contact
):
    employer_user = user_by_email(EMPLOYER)
    result = register_by_employer(
        db.session,
        employer=employer_user.employer,
        worker=_worker(regime=regime, place=place),
        job=JOB,
        by=employer_user,
        today=TODAY,
        defaults=DEFAULTS,
    )
    worker = result.placement.worker
    assert result.new_worker and result.new_contact
    assert worker.role == Role.WORKER and worker.email == "nieuw@example.org"
    assert worker.worker_profile.regime == regime
    assert result.contact_person.email == contact
    assert current_assignment(db.session, worker=worker).contact_person.email == contact
    assert not verify_password(worker.password_hash, "")  # nobody can log in with it yet


def test_without_a_contact_person_at_the_routed_organisation_the_least_busy_one_takes_it(demo):
    # Houten: Werk en Inkomen Lekstroom, where the demo has no contact person
    employer_user = user_by_email(EMPLOYER)
    caseloads = dict(
        db.session.execute(
            select(ContactAssignment.contact_person_id, func.count())
            .where(ContactAssignment.worker_id.is_not(None), ContactAssignment.ends_on.is_(None))
            .group_by(ContactAssignment.contact_person_id)
        ).all()
    )
    contacts = db.session.scalars(select(User).where(User.role == Role.CONTACT_PERSON)).all()
    least = min(contacts, key=lambda person: (caseloads.get(person.id, 0), person.id))
    result = register_by_employer(
        db.session,
        employer=employer_user.employer,
        worker=_worker(place="Houten"),
        job=JOB,
        by=employer_user,
        today=TODAY,
        defaults=DEFAULTS,
    )
    assert result.contact_person.id == least.id


def test_nobody_to_take_it_is_an_error_not_a_worker_without_contact(demo):
    for person in db.session.scalars(select(User).where(User.role == Role.CONTACT_PERSON)):
        person.active = False
    employer_user = user_by_email(EMPLOYER)
    with pytest.raises(SelfFoundError) as error:
        register_by_employer(
            db.session,
            employer=employer_user.employer,
            worker=_worker(),
            job=JOB,
            by=employer_user,
            today=TODAY,
            defaults=DEFAULTS,
        )
    assert error.value.code == "no_contact_person"


def test_a_staff_address_is_not_turned_into_a_worker(demo):
    employer_user = user_by_email(EMPLOYER)
    with pytest.raises(SelfFoundError) as error:
        register_by_employer(
            db.session,
            employer=employer_user.employer,
            worker=_worker(email=ADMIN.upper()),
            job=JOB,
            by=employer_user,
            today=TODAY,
            defaults=DEFAULTS,
        )
    assert error.value.code == "email_taken"


def test_the_placement_rules_still_hold(demo):
    sanne = user_by_email(WORKER)
    korenschoof = user_by_email(EMPLOYER).employer
    known = NewEmployer(korenschoof.name, "x", korenschoof.postcode, "x")
    with pytest.raises(PlacementRuleError):  # she already works there
        register_by_worker(
            db.session, worker=sanne, employer=known, job=JOB, today=TODAY, defaults=DEFAULTS
        )
    with pytest.raises(PlacementRuleError):
        register_by_worker(
            db.session,
            worker=sanne,
            employer=SHOP,
            job=Job(start=date(2026, 11, 2), phase=Phase.TIJDELIJK),  # no contract end
            today=TODAY,
            defaults=DEFAULTS,
        )
