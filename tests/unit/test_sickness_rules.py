"""The sick-leave rules (DESIGN §8) without the web layer: week counting against worked examples,
who is in charge, the dated steps per situation, recovery, days sick and the validation; then
storing a sick report and its recovery."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import ExpectedDuration, Phase, SickReport
from portal.services.placement_workflow import change_phase
from portal.services.sickness import (
    BenefitProvider,
    InCharge,
    SicknessError,
    Situation,
    SituationKind,
    check_first_sick_day,
    check_working_percent,
    create_sick_report,
    days_sick,
    guidance,
    guidance_for,
    next_plan_evaluation,
    open_report,
    placement_on,
    report_recovery,
    reportable_workers,
    sick_worker_ids,
    sick_workers,
    situation_for,
    week_end,
    week_of,
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

EMPLOYED = Situation(SituationKind.EMPLOYMENT, BenefitProvider.MUNICIPALITY)
EMPLOYED_NRP = Situation(
    SituationKind.EMPLOYMENT,
    BenefitProvider.UWV,
    no_riskpolis=True,
    no_riskpolis_basis="wajong",
)


def _dates(g):
    return [(s.code, s.date, s.week) for s in g.steps]


# Counting: the worked examples ----------------------------------------------------------------


def test_worked_example_from_the_design():
    first = date(2026, 1, 5)
    assert week_end(first, 1) == date(2026, 1, 11)
    assert week_end(first, 6) == date(2026, 2, 15)
    assert week_end(first, 8) == date(2026, 3, 1)
    assert week_end(first, 42) == date(2026, 10, 25)
    assert week_end(first, 52) == date(2027, 1, 3)
    assert week_end(first, 93) == date(2027, 10, 17)
    assert week_end(first, 104) == date(2028, 1, 2)


def test_worked_example_across_the_leap_day():
    # Checked by hand: 2028 has 29 February. Week 8 ends 13 Feb 2028 (+55 days); the first
    # evaluation of the plan (week 14, +97 days) is 26 March, not 27 as in a common year;
    # week 42 (+293) 8 Oct 2028; week 52 (+363) 17 Dec 2028, because 20 Dec 2027 to 20 Dec 2028
    # is 366 days; week 93 (+650) 30 Sep 2029; week 104 (+727) 16 Dec 2029 (731 - 4 days).
    first = date(2027, 12, 20)
    assert week_end(first, 6) == date(2028, 1, 30)
    assert week_end(first, 8) == date(2028, 2, 13)
    assert week_end(first, 14) == date(2028, 3, 26)
    assert week_end(first, 42) == date(2028, 10, 8)
    assert week_end(first, 52) == date(2028, 12, 17)
    assert week_end(first, 93) == date(2029, 9, 30)
    assert week_end(first, 104) == date(2029, 12, 16)
    g = guidance(first, EMPLOYED, today=first)
    assert ("evaluate_plan", date(2028, 3, 26), 14) in _dates(g)
    assert ("loondoorbetaling_end", date(2029, 12, 16), 104) in _dates(g)


def test_week_of_a_day():
    first = date(2026, 1, 5)
    assert week_of(first, first) == 1
    assert week_of(first, date(2026, 1, 11)) == 1
    assert week_of(first, date(2026, 1, 12)) == 2
    assert week_of(first, week_end(first, 42)) == 42


def test_days_sick_counts_the_first_day_as_day_one():
    first = date(2026, 3, 2)
    assert days_sick(first, first) == 1
    assert days_sick(first, date(2026, 3, 22)) == 21
    # The recovery day is not a sick day; the day before recovery is the last one.
    assert days_sick(first, date(2026, 4, 30), recovered_on=date(2026, 3, 9)) == 7
    assert days_sick(first, date(2026, 4, 30), recovered_on=first) == 1
    # Recovery reported ahead of today is not possible, but today still caps the count.
    assert days_sick(first, date(2026, 3, 4), recovered_on=date(2026, 3, 9)) == 3


# Who is in charge, and the steps ----------------------------------------------------------------


def test_employment_with_no_riskpolis_full_timeline():
    first = date(2026, 1, 5)
    g = guidance(first, EMPLOYED_NRP, today=first)
    assert g.in_charge == InCharge.EMPLOYER
    assert g.no_riskpolis
    assert _dates(g) == [
        ("bedrijfsarts", first, 1),
        ("no_riskpolis_report", date(2026, 2, 15), 6),
        ("probleemanalyse", date(2026, 2, 15), 6),
        ("plan_van_aanpak", date(2026, 3, 1), 8),
        ("evaluate_plan", date(2026, 4, 12), 14),
        ("uwv_42", date(2026, 10, 25), 42),
        ("eerstejaarsevaluatie", date(2027, 1, 3), 52),
        ("wia", date(2027, 10, 17), 93),
        ("loondoorbetaling_end", date(2028, 1, 2), 104),
    ]
    assert not any(s.past for s in g.steps)
    assert g.next_step.code == "bedrijfsarts"  # today is the first sick day: report at once


def test_employment_without_no_riskpolis_has_no_uwv_step_in_week_6():
    first = date(2026, 1, 5)
    g = guidance(first, EMPLOYED, today=first)
    codes = [s.code for s in g.steps]
    assert "no_riskpolis_report" not in codes
    assert codes[:3] == ["bedrijfsarts", "probleemanalyse", "plan_van_aanpak"]
    assert not g.no_riskpolis


def test_past_steps_and_the_next_deadline():
    first = date(2026, 1, 5)
    today = date(2026, 2, 16)  # the day after week 6
    g = guidance(first, EMPLOYED_NRP, today=today)
    past = [s.code for s in g.steps if s.past]
    assert past == ["bedrijfsarts", "no_riskpolis_report", "probleemanalyse"]
    assert g.next_step.code == "plan_van_aanpak"
    assert g.next_step.date == date(2026, 3, 1)
    # A deadline on today is not past yet.
    on_the_day = guidance(first, EMPLOYED, today=date(2026, 2, 15))
    assert on_the_day.next_step.code == "probleemanalyse"


@pytest.mark.parametrize(
    ("today", "expected_week"),
    [
        (date(2026, 1, 5), 14),
        (date(2026, 4, 12), 14),  # on the day itself
        (date(2026, 4, 13), 20),
        (date(2026, 5, 24), 20),
        (date(2026, 5, 25), 26),
        (date(2027, 11, 21), 98),  # week 98 ends 21 Nov 2027
        (date(2027, 11, 22), None),  # no evaluation after week 98: pay ends in week 104
    ],
)
def test_the_plan_is_evaluated_every_six_weeks(today, expected_week):
    first = date(2026, 1, 5)
    expected = week_end(first, expected_week) if expected_week else None
    assert next_plan_evaluation(first, today) == expected
    steps = [s for s in guidance(first, EMPLOYED, today).steps if s.code == "evaluate_plan"]
    assert [s.week for s in steps] == ([expected_week] if expected_week else [])


def test_temporary_contract_ending_during_sickness_hands_over_to_uwv():
    first = date(2026, 1, 5)
    situation = Situation(
        SituationKind.EMPLOYMENT,
        BenefitProvider.UWV,
        employment_ends=date(2026, 3, 31),
        no_riskpolis=True,
        no_riskpolis_basis="wajong",
    )
    g = guidance(first, situation, today=first)
    assert g.in_charge == InCharge.EMPLOYER_THEN_UWV
    assert g.uwv_from == date(2026, 4, 1)
    # Employer steps after the contract end are not the employer's duties any more.
    assert _dates(g) == [
        ("bedrijfsarts", first, 1),
        ("no_riskpolis_report", date(2026, 2, 15), 6),
        ("probleemanalyse", date(2026, 2, 15), 6),
        ("plan_van_aanpak", date(2026, 3, 1), 8),
        ("contract_ends", date(2026, 4, 1), 13),
    ]
    # Later in the sickness: the next evaluation would fall after the contract end.
    later = guidance(first, situation, today=date(2026, 3, 2))
    assert "evaluate_plan" not in [s.code for s in later.steps]
    assert later.next_step.code == "contract_ends"


def test_contract_ending_on_the_first_day_of_sickness_still_starts_with_the_employer():
    first = date(2026, 1, 5)
    situation = Situation(SituationKind.EMPLOYMENT, employment_ends=first)
    g = guidance(first, situation, today=first)
    assert [s.code for s in g.steps] == ["bedrijfsarts", "contract_ends"]
    assert g.uwv_from == date(2026, 1, 6)


def test_contract_ending_after_104_weeks_leaves_the_employer_in_charge():
    first = date(2026, 1, 5)
    ends_at_104 = Situation(SituationKind.EMPLOYMENT, employment_ends=date(2028, 1, 2))
    g = guidance(first, ends_at_104, today=first)
    assert g.in_charge == InCharge.EMPLOYER and g.uwv_from is None
    assert g.steps[-1].code == "loondoorbetaling_end"
    one_day_earlier = Situation(SituationKind.EMPLOYMENT, employment_ends=date(2028, 1, 1))
    g = guidance(first, one_day_earlier, today=first)
    assert g.in_charge == InCharge.EMPLOYER_THEN_UWV
    assert g.steps[-1].code == "contract_ends"
    assert "loondoorbetaling_end" not in [s.code for s in g.steps]


def test_proefplaatsing_the_benefit_provider_and_the_contact_person():
    first = date(2026, 1, 5)
    situation = Situation(SituationKind.PROEFPLAATSING, BenefitProvider.MUNICIPALITY)
    g = guidance(first, situation, today=date(2026, 1, 7))
    assert g.in_charge == InCharge.BENEFIT_PROVIDER
    assert _dates(g) == [("tell_contact", first, 1)]
    assert g.steps[0].past and g.next_step is None
    assert not g.no_riskpolis  # no employment contract: no Ziektewet benefit to an employer


def test_no_employer_uwv_directly():
    first = date(2026, 1, 5)
    g = guidance(first, Situation(SituationKind.NO_EMPLOYER), today=first)
    assert g.in_charge == InCharge.UWV
    assert _dates(g) == [("report_uwv", first, 1), ("tell_contact", first, 1)]
    assert g.next_step.code == "report_uwv"


def test_recovery_drops_later_steps_and_asks_to_tell_uwv_with_the_no_riskpolis():
    first = date(2026, 1, 5)
    recovered = date(2026, 2, 20)  # in week 7
    g = guidance(first, EMPLOYED_NRP, today=date(2026, 2, 21), recovered_on=recovered)
    assert _dates(g) == [
        ("bedrijfsarts", first, 1),
        ("no_riskpolis_report", date(2026, 2, 15), 6),
        ("probleemanalyse", date(2026, 2, 15), 6),
        ("recovered", recovered, 7),
        ("no_riskpolis_recovery", date(2026, 2, 22), 7),
    ]
    assert g.next_step.code == "no_riskpolis_recovery"
    assert g.recovered_on == recovered
    # Without the no-riskpolis there is nothing to tell UWV.
    plain = guidance(first, EMPLOYED, today=date(2026, 2, 21), recovered_on=recovered)
    assert [s.code for s in plain.steps][-1] == "recovered"
    assert plain.next_step is None  # the recovery is a fact, not a deadline


def test_recovery_after_the_contract_end_is_not_the_employers_to_report():
    first = date(2026, 1, 5)
    situation = Situation(
        SituationKind.EMPLOYMENT,
        employment_ends=date(2026, 3, 31),
        no_riskpolis=True,
        no_riskpolis_basis="doelgroepregister",
    )
    after = guidance(first, situation, today=date(2026, 5, 1), recovered_on=date(2026, 4, 20))
    assert [s.code for s in after.steps][-2:] == ["contract_ends", "recovered"]
    before = guidance(first, situation, today=date(2026, 3, 20), recovered_on=date(2026, 3, 16))
    assert [s.code for s in before.steps][-2:] == ["recovered", "no_riskpolis_recovery"]
    assert "contract_ends" not in [s.code for s in before.steps]


# The situation from the placement ---------------------------------------------------------------


FIRST = date(2026, 1, 5)


def test_situation_employment_with_the_no_riskpolis_for_wajong():
    s = situation_for(
        FIRST,
        phase="vast",
        placement_start=date(2024, 1, 1),
        employed_since=date(2024, 1, 1),
        regime="wajong",
    )
    assert s == Situation(SituationKind.EMPLOYMENT, BenefitProvider.UWV, None, True, "wajong")


def test_situation_temporary_contract_carries_its_end():
    s = situation_for(
        FIRST,
        phase="tijdelijk",
        placement_start=date(2025, 6, 1),
        employed_since=date(2025, 6, 1),
        contract_end=date(2026, 5, 31),
        regime="praktijkroute",
        in_doelgroepregister=False,
    )
    assert s.kind == SituationKind.EMPLOYMENT
    assert s.employment_ends == date(2026, 5, 31)
    assert (s.no_riskpolis, s.no_riskpolis_basis) == (False, "not_registered")
    assert s.benefit_provider == BenefitProvider.MUNICIPALITY
    registered = situation_for(
        FIRST,
        phase="tijdelijk",
        employed_since=date(2025, 6, 1),
        contract_end=date(2026, 5, 31),
        regime="participatiewet",
        in_doelgroepregister=True,
    )
    assert (registered.no_riskpolis, registered.no_riskpolis_basis) == (True, "doelgroepregister")


def test_situation_proefplaatsing():
    s = situation_for(
        FIRST, phase="proefplaatsing", placement_start=date(2025, 12, 1), regime="participatiewet"
    )
    assert s == Situation(SituationKind.PROEFPLAATSING, BenefitProvider.MUNICIPALITY)
    # Sick during the trial, a contract started later: the trial counts on the first sick day.
    later_contract = situation_for(
        FIRST, phase="tijdelijk", employed_since=date(2026, 2, 1), contract_end=date(2026, 8, 1)
    )
    assert later_contract.kind == SituationKind.PROEFPLAATSING


def test_situation_without_an_employer():
    assert situation_for(FIRST, phase=None).kind == SituationKind.NO_EMPLOYER
    assert situation_for(FIRST, phase=None, regime="wajong").benefit_provider == BenefitProvider.UWV
    ended_before = situation_for(
        FIRST, phase="beeindigd", employed_since=date(2025, 1, 1), end_date=date(2025, 12, 31)
    )
    assert ended_before.kind == SituationKind.NO_EMPLOYER
    not_started = situation_for(FIRST, phase="tijdelijk", placement_start=date(2026, 2, 1))
    assert not_started.kind == SituationKind.NO_EMPLOYER
    run_out = situation_for(
        FIRST, phase="tijdelijk", employed_since=date(2025, 1, 1), contract_end=date(2026, 1, 4)
    )
    assert run_out.kind == SituationKind.NO_EMPLOYER
    ended_trial = situation_for(FIRST, phase="beeindigd", end_date=date(2026, 2, 1))
    assert ended_trial.kind == SituationKind.NO_EMPLOYER


def test_situation_placement_ended_during_sickness_is_a_contract_ending():
    s = situation_for(
        FIRST,
        phase="beeindigd",
        employed_since=date(2025, 1, 1),
        end_date=date(2026, 2, 28),
        regime="wajong",
    )
    assert s.kind == SituationKind.EMPLOYMENT and s.employment_ends == date(2026, 2, 28)
    assert guidance(FIRST, s, FIRST).uwv_from == date(2026, 3, 1)


# Validation -------------------------------------------------------------------------------------


def test_first_sick_day_not_in_the_future_and_at_most_104_weeks_back():
    today = date(2026, 6, 1)
    check_first_sick_day(today, today)
    check_first_sick_day(today - timedelta(weeks=104), today)
    with pytest.raises(SicknessError) as future:
        check_first_sick_day(today + timedelta(days=1), today)
    assert (future.value.code, future.value.field) == ("first_day_in_future", "first_sick_day")
    with pytest.raises(SicknessError) as old:
        check_first_sick_day(today - timedelta(weeks=104, days=1), today)
    assert old.value.code == "first_day_too_old"


def test_working_percent_only_when_partially_working():
    assert check_working_percent(False, None) is None
    assert check_working_percent(False, 50) is None  # ignored: not partially working
    assert check_working_percent(True, 1) == 1
    assert check_working_percent(True, 99) == 99
    for value, code in ((None, "working_percent_required"), (0, "working_percent_range")):
        with pytest.raises(SicknessError) as error:
            check_working_percent(True, value)
        assert (error.value.code, error.value.field) == (code, "working_percent")
    with pytest.raises(SicknessError):
        check_working_percent(True, 100)


# Storing (database) -------------------------------------------------------------------------------

TODAY = date.today()


def _report(reporter=EMPLOYER, worker=WORKER, **fields):
    fields.setdefault("first_sick_day", TODAY - timedelta(days=3))
    return create_sick_report(
        db.session,
        reporter=user_by_email(reporter),
        worker=user_by_email(worker),
        today=TODAY,
        **fields,
    )


def test_create_stores_the_placement_at_the_first_sick_day(demo):
    report = _report(
        expected_duration=ExpectedDuration.WEEKS,
        partially_working=True,
        working_percent=50,
        remark="  Werkt de ochtenden.  ",
    )
    sanne = user_by_email(WORKER)
    assert report.placement is not None and report.placement.worker_id == sanne.id
    assert report.employer_id == user_by_email(EMPLOYER).employer_id
    assert report.remark == "Werkt de ochtenden."
    assert (report.partially_working, report.working_percent) == (True, 50)
    assert report.is_open


def test_one_open_report_per_worker(demo):
    first = _report()
    db.session.commit()
    with pytest.raises(SicknessError) as error:
        _report(reporter=WORKER)
    assert error.value.code == "already_open"
    assert error.value.params == {"report_id": first.id, "since": first.first_sick_day}


def test_a_new_period_cannot_overlap_a_closed_one(demo):
    report = _report(first_sick_day=TODAY - timedelta(days=20))
    report_recovery(
        db.session,
        report,
        by=user_by_email(WORKER),
        recovered_on=TODAY - timedelta(days=10),
        today=TODAY,
    )
    with pytest.raises(SicknessError) as error:
        _report(first_sick_day=TODAY - timedelta(days=11))
    assert error.value.code == "overlaps_earlier"
    again = _report(first_sick_day=TODAY - timedelta(days=10))  # the recovery day itself is fine
    assert again.is_open


def test_an_employer_reports_only_for_days_at_their_company(demo):
    sanne_start = placement_on(db.session, user_by_email(WORKER).id, TODAY).start_date
    with pytest.raises(SicknessError) as error:
        _report(first_sick_day=sanne_start - timedelta(days=1))
    assert (error.value.code, error.value.field) == ("no_placement_on_day", "first_sick_day")
    # The contact person may: then there was no placement, UWV or the benefit provider leads.
    report = _report(reporter=CONTACT, first_sick_day=sanne_start - timedelta(days=1))
    assert report.placement is None
    assert guidance_for(report, TODAY).in_charge == InCharge.UWV


def test_only_workers_can_be_reported_sick(demo):
    with pytest.raises(SicknessError) as error:
        _report(reporter=CONTACT, worker=EMPLOYER)
    assert error.value.code == "not_a_worker"


def test_recovery_rules(demo):
    report = _report(first_sick_day=TODAY - timedelta(days=5))
    by = user_by_email(WORKER)
    for day, code in (
        (TODAY + timedelta(days=1), "recovery_in_future"),
        (TODAY - timedelta(days=6), "recovery_before_start"),
    ):
        with pytest.raises(SicknessError) as error:
            report_recovery(db.session, report, by=by, recovered_on=day, today=TODAY)
        assert (error.value.code, error.value.field) == (code, "recovered_on")
    now = datetime(2026, 5, 1, 9, tzinfo=UTC)
    report_recovery(
        db.session,
        report,
        by=by,
        recovered_on=TODAY,
        remark=" Weer aan het werk ",
        today=TODAY,
        now=now,
    )
    assert report.recovered_on == TODAY and report.recovery_reported_by_id == by.id
    assert report.recovery_remark == "Weer aan het werk"
    with pytest.raises(SicknessError) as error:
        report_recovery(db.session, report, by=by, recovered_on=TODAY, today=TODAY)
    assert error.value.code == "already_recovered"


def test_the_database_refuses_a_second_open_report(demo):
    _report()
    db.session.commit()
    db.session.add(
        SickReport(
            worker_id=user_by_email(WORKER).id,
            reported_by_id=user_by_email(WORKER).id,
            first_sick_day=TODAY,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    count = db.session.scalar(
        select(func.count())
        .select_from(SickReport)
        .where(SickReport.worker_id == user_by_email(WORKER).id)
    )
    assert count == 1


def test_guidance_of_a_stored_report_follows_the_placement_today(demo):
    # Mo (the demo): Praktijkroute, temporary contract, not in the register: the employer
    # until the contract ends.
    report = open_report(db.session, user_by_email(MO).id)
    g = guidance_for(report, TODAY)
    assert g.in_charge == InCharge.EMPLOYER_THEN_UWV
    assert g.uwv_from == report.placement.contract_end + timedelta(days=1)
    assert not g.no_riskpolis
    # Sanne is in a proefplaatsing: the benefit provider (the municipality).
    sanne = _report(worker=WORKER, first_sick_day=TODAY)
    g = guidance_for(sanne, TODAY)
    assert g.in_charge == InCharge.BENEFIT_PROVIDER
    assert g.situation.benefit_provider == BenefitProvider.MUNICIPALITY
    # A permanent contract from the start of the trial onwards: the employer for 104 weeks.
    change_phase(
        db.session,
        sanne.placement,
        Phase.VAST,
        effective_on=sanne.placement.start_date + timedelta(days=1),
        by=user_by_email(CONTACT),
        today=TODAY,
    )
    sanne.first_sick_day = sanne.placement.start_date + timedelta(days=2)
    g = guidance_for(sanne, TODAY)
    assert g.in_charge == InCharge.EMPLOYER and g.no_riskpolis  # in the doelgroepregister


def test_who_can_be_reported_sick_by_whom(demo):
    def emails(email):
        return sorted(w.email for w in reportable_workers(db.session, user_by_email(email)))

    assert emails(WORKER) == [WORKER]
    assert emails(EMPLOYER) == sorted([WORKER, MO])  # Korenschoof's live placements
    assert emails(CONTACT) == sorted([WORKER, MO])  # Fatima's caseload
    assert OTHER_WORKER in emails(OTHER_CONTACT)
    for staff in (JOBCOACH, ADMIN):
        assert emails(staff) == []


def test_the_demo_reports_mo_sick_three_weeks_ago(demo):
    report = open_report(db.session, user_by_email(MO).id)
    assert report.first_sick_day == TODAY - timedelta(days=21)
    assert report.reported_by.email == EMPLOYER
    assert (report.partially_working, report.working_percent) == (True, 50)
    g = guidance_for(report, TODAY)
    assert g.next_step.code == "probleemanalyse"
    # Seeding again changes nothing.
    from portal.demo import seed_demo

    seed_demo(db.session)
    assert db.session.scalar(select(func.count()).select_from(SickReport)) == 1


def test_sick_workers_of_a_caseload(demo):
    _report(reporter=OTHER_CONTACT, worker=OTHER_WORKER)
    db.session.commit()
    rows = sick_workers(db.session, user_by_email(CONTACT).id, TODAY)
    assert [(r.report.worker.email, r.days_sick) for r in rows] == [(MO, 22)]
    assert rows[0].guidance.next_step is not None
    ids = [user_by_email(e).id for e in (WORKER, MO, OTHER_WORKER)]
    assert sick_worker_ids(db.session, ids) == {ids[1], ids[2]}
    assert sick_worker_ids(db.session, []) == set()
