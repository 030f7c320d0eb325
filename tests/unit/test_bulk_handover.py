"""Handing over a contact person's whole caseload: every current worker and employer moves, with
open reports and help requests, the history stays; rules checked first; all of it or nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ContactAssignment, HelpRequest, ProblemReport, ProblemStatus, User
from portal.services import contacts
from portal.services.contacts import (
    HandoverError,
    caseload_counts,
    current_assignment,
    hand_over_caseload,
)
from tests.conftest import ADMIN, CONTACT, JOBCOACH, OTHER_CONTACT, WORKER, make_help_request
from tests.conftest import user_by_email as by_email

TODAY = date.today()
THIRD_CONTACT = "a.jansen@wsp-demo.nl"


def _current(contact_email: str) -> list[tuple[int | None, int | None]]:
    """(worker id, employer id) of every current assignment of this contact person."""
    return sorted(
        db.session.execute(
            select(ContactAssignment.worker_id, ContactAssignment.employer_id).where(
                ContactAssignment.contact_person_id == by_email(contact_email).id,
                ContactAssignment.ends_on.is_(None),
            )
        ).all(),
        key=str,
    )


def _all_assignments() -> list[tuple]:
    return db.session.execute(
        select(
            ContactAssignment.id, ContactAssignment.contact_person_id, ContactAssignment.ends_on
        ).order_by(ContactAssignment.id)
    ).all()


def _move(leaving=CONTACT, new=OTHER_CONTACT, on=TODAY, note="Fatima gaat weg", **kwargs):
    return hand_over_caseload(
        db.session,
        leaving=by_email(leaving),
        new_contact=by_email(new),
        on=on,
        note=note,
        by=by_email(ADMIN),
        today=TODAY,
        **kwargs,
    )


def test_the_whole_caseload_moves_with_open_work_and_history_stays(demo):
    help_request = make_help_request(by_email(WORKER))
    assert help_request.assigned_to.email == CONTACT
    before = _current(CONTACT)
    others_before = _current(THIRD_CONTACT)
    open_reports = db.session.scalars(
        select(ProblemReport).where(
            ProblemReport.contact_person_id == by_email(CONTACT).id,
            ProblemReport.status != ProblemStatus.CLOSED,
        )
    ).all()
    counts = caseload_counts(db.session, by_email(CONTACT).id)
    assert (counts.workers, counts.employers) == (2, 1)  # Sanne, Mohammed; De Korenschoof

    result = _move()
    db.session.commit()

    assert (result.workers, result.employers) == (2, 1)
    assert result.moved_reports == len(open_reports) > 0
    assert result.moved_help_requests == 1
    assert _current(CONTACT) == []
    assert set(before) <= set(_current(OTHER_CONTACT))
    assert _current(THIRD_CONTACT) == others_before  # nobody else's caseload changed
    assert caseload_counts(db.session, by_email(CONTACT).id).total == 0
    for item in result.items:
        assert item.handover.previous.contact_person.email == CONTACT
        assert item.handover.previous.ends_on == TODAY  # closed, kept as history
        assert item.handover.current.note == "Fatima gaat weg"
        assert item.handover.current.recorded_by.email == ADMIN
    db.session.expire_all()
    assert db.session.get(HelpRequest, help_request.id).assigned_to.email == OTHER_CONTACT
    assert {report.contact_person.email for report in open_reports} == {OTHER_CONTACT}


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"new": CONTACT}, "same_person"),
        ({"new": JOBCOACH}, "not_a_contact_person"),
        ({"on": TODAY + timedelta(days=1)}, "future"),
        ({"on": date(2023, 12, 31)}, "before_current"),  # the demo assignments start in 2024
        ({"note": "x" * 501}, "note_too_long"),
        ({"leaving": JOBCOACH}, "empty_caseload"),
    ],
)
def test_rules_are_checked_before_anything_moves(demo, arguments, code):
    before = _current(CONTACT)
    with pytest.raises(HandoverError) as refused:
        _move(**arguments)
    assert refused.value.code == code
    db.session.rollback()
    assert _current(CONTACT) == before


def test_an_inactive_new_contact_person_is_refused(demo):
    by_email(OTHER_CONTACT).active = False
    db.session.flush()
    with pytest.raises(HandoverError) as refused:
        _move()
    assert refused.value.code == "not_a_contact_person"


def test_the_date_may_not_be_before_any_current_assignment(demo):
    """One worker was handed to Fatima later: the whole caseload can only move from that day."""
    later = TODAY - timedelta(days=10)
    contacts.hand_over(
        db.session,
        new_contact=by_email(CONTACT),
        on=later,
        note=None,
        by=by_email(ADMIN),
        today=TODAY,
        worker=by_email("lotte@werknemer-demo.nl"),
    )
    db.session.commit()
    with pytest.raises(HandoverError) as refused:
        _move(on=later - timedelta(days=1))
    assert refused.value.code == "before_current"
    db.session.rollback()
    assert _move(on=later).workers == 3


def test_a_failure_halfway_leaves_everything_as_it_was(demo, monkeypatch):
    """The function only flushes: when the second hand-over fails, the rollback undoes the first."""
    before, new_before = _current(CONTACT), _current(OTHER_CONTACT)
    rows_before = _all_assignments()
    real = contacts.hand_over
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(contacts, "hand_over", failing)
    with pytest.raises(RuntimeError):
        _move()
    assert len(calls) == 2  # the first one had been done
    db.session.rollback()
    assert _current(CONTACT) == before
    assert _current(OTHER_CONTACT) == new_before
    sanne = db.session.scalar(select(User).where(User.email == WORKER))
    assert current_assignment(db.session, worker=sanne).contact_person.email == CONTACT
    assert _all_assignments() == rows_before  # no closed or new row left behind
