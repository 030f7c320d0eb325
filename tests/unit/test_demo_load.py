"""The large demo caseload for the load benchmark and the fault tests."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.demo_load import seed_caseload
from portal.extensions import db
from portal.models import Placement
from portal.services.contacts import caseload_workers
from tests.conftest import CONTACT, JOBCOACH, user_by_email

TODAY = date(2026, 11, 24)


def test_the_contact_person_gets_the_workers_once(demo):
    contact = user_by_email(CONTACT)
    before = len(caseload_workers(db.session, contact.id))
    ids = seed_caseload(db.session, CONTACT, 20, TODAY)
    db.session.commit()
    assert len(set(ids)) == 20
    assert len(caseload_workers(db.session, contact.id)) == before + 20
    assert seed_caseload(db.session, CONTACT, 20, TODAY) == ids  # a second run adds nobody
    placements = db.session.scalar(
        select(func.count()).select_from(Placement).where(Placement.worker_id.in_(ids))
    )
    assert placements == 20


def test_a_fixed_contract_end_for_the_reminder_test(demo):
    ids = seed_caseload(db.session, CONTACT, 5, TODAY, contract_end=date(2027, 2, 24))
    ends = {
        p.contract_end
        for p in db.session.scalars(select(Placement).where(Placement.worker_id.in_(ids)))
    }
    assert ends == {date(2027, 2, 24)}


def test_only_a_contact_person_gets_a_caseload(demo):
    with pytest.raises(ValueError, match="not a contact person"):
        seed_caseload(db.session, JOBCOACH, 1, TODAY)
