"""The melding rules without the web layer: who may report about whom, the status steps, the
hand-over of open meldingen, the counts for the caseload and the buurtteam referral."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import (
    ProblemCategory,
    ProblemReport,
    ProblemReportEvent,
    ProblemStatus,
    ReferenceCounter,
    Urgency,
)
from portal.services.contacts import hand_over
from portal.services.problem_reports import (
    ProblemReportError,
    create_report,
    open_report_counts,
    record_action,
    referral_for,
    reportable_workers,
)
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
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_meldingen(demo):
    """The demo cast without its demo meldingen: these tests count from zero."""
    db.session.execute(delete(ProblemReportEvent))
    db.session.execute(delete(ProblemReport))
    db.session.execute(delete(ReferenceCounter).where(ReferenceCounter.prefix == "ML"))
    db.session.commit()
    return demo


@pytest.fixture
def workload(demo) -> ProblemCategory:
    return db.session.scalar(select(ProblemCategory).where(ProblemCategory.code == "workload"))


def _report(workload, reporter=WORKER, worker=WORKER, text="Te druk"):
    return create_report(
        db.session,
        reporter=user_by_email(reporter),
        worker=user_by_email(worker),
        category=workload,
        urgency=Urgency.THIS_WEEK,
        text=text,
        now=NOW,
    )


def test_who_can_report_about_whom(demo):
    def emails(email):
        return [w.email for w in reportable_workers(db.session, user_by_email(email))]

    assert emails(WORKER) == [WORKER]
    assert sorted(emails(EMPLOYER)) == sorted([WORKER, MO])  # Korenschoof's live placements
    for staff in (CONTACT, JOBCOACH, ADMIN):
        assert emails(staff) == []


def test_a_report_lands_with_the_current_contact_person(workload):
    report = _report(workload, reporter=EMPLOYER, worker=MO)
    assert report.reference == "ML-2026-000001"
    assert report.contact_person.email == CONTACT
    assert report.placement.worker.email == MO
    assert report.status == ProblemStatus.NEW
    assert _report(workload).reference == "ML-2026-000002"


@pytest.mark.parametrize(
    ("reporter", "worker", "text", "code"),
    [
        (WORKER, OTHER_WORKER, "x", "worker_not_allowed"),
        (EMPLOYER, OTHER_WORKER, "x", "worker_not_allowed"),
        (CONTACT, WORKER, "x", "worker_not_allowed"),
        (WORKER, WORKER, "   ", "text_missing"),
        (WORKER, WORKER, "x" * 5001, "text_too_long"),
    ],
)
def test_refused_reports(workload, reporter, worker, text, code):
    with pytest.raises(ProblemReportError) as refused:
        _report(workload, reporter=reporter, worker=worker, text=text)
    assert refused.value.code == code


def test_an_inactive_category_is_refused(workload):
    workload.active = False
    with pytest.raises(ProblemReportError, match="category_inactive"):
        _report(workload)


def test_status_steps(workload):
    report = _report(workload)
    fatima = user_by_email(CONTACT)

    def act(note, status=None):
        return record_action(db.session, report, by=fatima, note=note, status=status, now=NOW)

    with pytest.raises(ProblemReportError, match="note_missing"):
        act("  ")
    event = act("Gebeld")
    assert (event.kind, event.status, report.status) == (
        "status",
        ProblemStatus.IN_PROGRESS,
        ProblemStatus.IN_PROGRESS,
    )
    assert act("Nog een keer gebeld").kind == "action"
    with pytest.raises(ProblemReportError, match="back_to_new"):
        act("x", ProblemStatus.NEW)
    with pytest.raises(ProblemReportError, match="closing_needs_note"):
        act(None, ProblemStatus.CLOSED)
    act("Opgelost", ProblemStatus.CLOSED)
    with pytest.raises(ProblemReportError, match="closed"):
        act("Nog iets")
    act(None, ProblemStatus.IN_PROGRESS)  # reopening needs no note
    assert report.status == ProblemStatus.IN_PROGRESS
    assert len(report.events) == 5


def test_acting_on_an_unassigned_report_takes_it(workload):
    report = _report(workload)
    report.contact_person = None
    jeroen = user_by_email(OTHER_CONTACT)
    record_action(db.session, report, by=jeroen, note="Ik pak het op", now=NOW)
    assert report.contact_person == jeroen


def test_open_reports_move_with_a_hand_over_and_are_counted(workload):
    first, second = _report(workload), _report(workload)
    record_action(
        db.session, second, by=user_by_email(CONTACT), note="Klaar", status=ProblemStatus.CLOSED
    )
    sanne, jeroen = user_by_email(WORKER), user_by_email(OTHER_CONTACT)
    assert open_report_counts(db.session, [sanne.id, user_by_email(MO).id]) == {sanne.id: 1}
    handover = hand_over(
        db.session,
        worker=sanne,
        new_contact=jeroen,
        on=NOW.date(),
        note=None,
        by=user_by_email(ADMIN),
        today=NOW.date(),
    )
    assert handover.moved_reports == 1
    assert first.contact_person == jeroen and first.events[-1].kind == "handover"
    assert second.contact_person.email == CONTACT  # a closed one stays where it was handled


def test_referral_follows_the_workers_municipality(demo):
    referral = referral_for(user_by_email(OTHER_WORKER))
    assert (referral.municipality, referral.url) == ("Zeist", "https://www.zeist.nl")
    assert referral_for(user_by_email(CONTACT)) is None  # staff have no profile
