"""Exactly one current contact person per worker and per employer, with history kept."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import ContactAssignment, Role
from portal.services.contacts import (
    ContactRuleError,
    assign_contact,
    contact_person_for,
    current_assignment,
)
from tests.conftest import CONTACT, EMPLOYER, OTHER_CONTACT, WORKER, user_by_email


def test_worker_and_employer_user_see_their_contact(demo):
    assert contact_person_for(db.session, user_by_email(WORKER)).email == CONTACT
    assert contact_person_for(db.session, user_by_email(EMPLOYER)).email == CONTACT
    assert contact_person_for(db.session, user_by_email(CONTACT)) is None


def test_handover_closes_the_previous_assignment_and_keeps_history(demo):
    worker = user_by_email(WORKER)
    new_contact = user_by_email(OTHER_CONTACT)
    assign_contact(
        db.session,
        contact_person=new_contact,
        worker=worker,
        starts_on=date(2026, 12, 1),
        note="Overdracht",
    )
    db.session.commit()
    history = db.session.scalars(
        select(ContactAssignment)
        .where(ContactAssignment.worker_id == worker.id)
        .order_by(ContactAssignment.starts_on)
    ).all()
    assert [a.contact_person.email for a in history] == [CONTACT, OTHER_CONTACT]
    assert history[0].ends_on == date(2026, 12, 1)
    assert history[1].ends_on is None
    assert current_assignment(db.session, worker=worker).contact_person == new_contact


def test_database_refuses_a_second_current_contact(demo):
    worker = user_by_email(WORKER)
    db.session.add(
        ContactAssignment(
            contact_person=user_by_email(OTHER_CONTACT), worker=worker, starts_on=date(2026, 1, 1)
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_a_second_current_employer_contact(demo):
    employer = user_by_email(EMPLOYER).employer
    db.session.add(
        ContactAssignment(
            contact_person=user_by_email(OTHER_CONTACT),
            employer=employer,
            starts_on=date(2026, 1, 1),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_an_assignment_for_both_or_neither(demo):
    worker = user_by_email(WORKER)
    db.session.add(
        ContactAssignment(
            contact_person=user_by_email(CONTACT),
            worker=worker,
            employer=user_by_email(EMPLOYER).employer,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 2, 1),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_only_contact_persons_can_be_assigned(demo):
    with pytest.raises(ContactRuleError):
        assign_contact(
            db.session,
            contact_person=user_by_email(EMPLOYER),
            worker=user_by_email(WORKER),
            starts_on=date(2026, 12, 1),
        )


def test_handover_cannot_start_before_current_assignment(demo):
    with pytest.raises(ContactRuleError):
        assign_contact(
            db.session,
            contact_person=user_by_email(OTHER_CONTACT),
            worker=user_by_email(WORKER),
            starts_on=date(2020, 1, 1),
        )


def test_demo_contacts_follow_the_routing(demo):
    # Wajong worker Daan (Zeist) is served by UWV's contact person.
    daan = user_by_email("daan@werknemer-demo.nl")
    contact = contact_person_for(db.session, daan)
    assert contact.email == OTHER_CONTACT
    assert contact.role == Role.CONTACT_PERSON
    assert contact.executing_organisation.name == "UWV"


def test_reference_data_is_seeded_once(demo):
    from sqlalchemy import func

    from portal.demo import seed_demo
    from portal.models import EndReason, Municipality, RoutingRule

    seed_demo(db.session)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Municipality)) == 14
    assert db.session.scalar(select(func.count()).select_from(RoutingRule)) == 15
    assert db.session.scalar(select(func.count()).select_from(EndReason)) == 26
