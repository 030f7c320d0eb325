"""Jobcoaching rules with known answers: report schedule, hours per coaching year, warnings,
the report frequency per placement and the demo coaching data."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.demo_coaching import seed_coaching_demo
from portal.extensions import db
from portal.models import (
    CoachingActivity,
    CoachingRefusal,
    ExecutingOrganisation,
    JobcoachReport,
    Phase,
    Placement,
    ReportFrequency,
    RoutingRule,
)
from portal.services.coaching import (
    MAX_HOURS_PER_YEAR,
    MIN_JOB_HOURS_PER_WEEK,
    OVER_2_YEARS,
    OVER_52_HOURS,
    REPORT_GRACE_DAYS,
    UNDER_12_HOURS,
    USUAL_MAX_YEARS,
    ReportStatus,
    coaching_declined,
    coaching_start,
    coaching_summary,
    coaching_warnings,
    coaching_year,
    coaching_year_hours,
    hours_in_period,
    jobcoach_overview,
    next_period_start,
    period_overlaps,
    report_frequencies,
    report_frequency,
    report_status,
)
from tests.conftest import JOBCOACH, OTHER_WORKER, WORKER, user_by_email

MONTHLY = ReportFrequency.MONTHLY
QUARTERLY = ReportFrequency.QUARTERLY_AFTER_TRIAL


def _status(frequency=MONTHLY, *, start=date(2026, 1, 10), trial_end=None, last=None, today):
    return report_status(
        frequency,
        placement_start=start,
        trial_end=trial_end,
        coaching_start=start,
        last_period_end=last,
        today=today,
    )


def test_constants_follow_design_section_7():
    assert REPORT_GRACE_DAYS == 14
    assert MIN_JOB_HOURS_PER_WEEK == 12
    assert MAX_HOURS_PER_YEAR == 52
    assert USUAL_MAX_YEARS == 2


# Report schedule ------------------------------------------------------------------------------


def test_first_monthly_report_is_due_one_month_after_coaching_starts():
    assert _status(today=date(2026, 1, 20)) == ReportStatus(date(2026, 2, 10), 0)


def test_next_report_covers_the_period_after_the_last_one():
    assert next_period_start(date(2026, 1, 10), None) == date(2026, 1, 10)
    assert next_period_start(date(2026, 1, 10), date(2026, 1, 31)) == date(2026, 2, 1)
    status = _status(last=date(2026, 1, 31), today=date(2026, 2, 5))
    assert status == ReportStatus(date(2026, 3, 1), 0)


def test_month_arithmetic_clamps_to_the_end_of_the_month():
    status = _status(start=date(2026, 1, 31), today=date(2026, 2, 1))
    assert status.next_due == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("today", "days_late"),
    [
        (date(2026, 2, 10), 0),  # due today
        (date(2026, 2, 24), 0),  # exactly on the grace boundary: not late yet
        (date(2026, 2, 25), 15),  # one day past the grace: late, counted from the due date
        (date(2026, 3, 12), 30),
    ],
)
def test_late_only_after_the_grace_days_and_counted_from_the_due_date(today, days_late):
    status = _status(today=today)
    assert status.next_due == date(2026, 2, 10)
    assert status.days_late == days_late
    assert status.late is (days_late > 0)


def test_quarterly_organisation_reports_monthly_during_the_trial_then_quarterly():
    start, trial_end = date(2026, 1, 1), date(2026, 2, 28)

    def due(last):
        return _status(
            QUARTERLY, start=start, trial_end=trial_end, last=last, today=date(2026, 1, 2)
        ).next_due

    assert due(None) == date(2026, 2, 1)  # first period begins in the trial
    assert due(date(2026, 2, 27)) == date(2026, 3, 28)  # begins on the last trial day: monthly
    assert due(date(2026, 2, 28)) == date(2026, 6, 1)  # begins after the trial: quarterly


def test_quarterly_without_a_trial_is_quarterly_from_the_start():
    status = _status(QUARTERLY, start=date(2026, 1, 15), today=date(2026, 1, 15))
    assert status.next_due == date(2026, 4, 15)


def test_monthly_organisation_stays_monthly_after_the_trial():
    status = _status(
        MONTHLY,
        start=date(2026, 1, 1),
        trial_end=date(2026, 2, 28),
        last=date(2026, 5, 31),
        today=date(2026, 6, 1),
    )
    assert status.next_due == date(2026, 7, 1)


def test_quarterly_report_late_after_three_months_and_the_grace():
    kwargs = {"start": date(2026, 1, 1), "trial_end": date(2026, 2, 28), "last": date(2026, 2, 28)}
    assert _status(QUARTERLY, today=date(2026, 6, 15), **kwargs).days_late == 0
    assert _status(QUARTERLY, today=date(2026, 6, 16), **kwargs).days_late == 15


def test_period_never_starts_before_the_placement():
    status = report_status(
        MONTHLY,
        placement_start=date(2026, 3, 1),
        trial_end=None,
        coaching_start=date(2026, 2, 20),  # coached before the first working day
        last_period_end=None,
        today=date(2026, 3, 1),
    )
    assert status.next_due == date(2026, 4, 1)


# Coaching start and year ----------------------------------------------------------------------


def test_coaching_start_is_the_earliest_activity_or_report_else_the_placement_start():
    assert coaching_start(date(2026, 1, 1)) == date(2026, 1, 1)
    assert coaching_start(date(2026, 1, 1), [date(2026, 1, 20), date(2026, 1, 5)]) == date(
        2026, 1, 5
    )
    assert coaching_start(date(2026, 1, 1), [date(2026, 1, 20)], [date(2026, 1, 3)]) == date(
        2026, 1, 3
    )


def test_coaching_year_counts_from_the_coaching_start():
    assert coaching_year(date(2025, 3, 15), date(2026, 3, 14)) == (
        date(2025, 3, 15),
        date(2026, 3, 15),
    )
    assert coaching_year(date(2025, 3, 15), date(2026, 3, 15)) == (
        date(2026, 3, 15),
        date(2027, 3, 15),
    )
    # Before the start it is the first year.
    assert coaching_year(date(2025, 3, 15), date(2025, 1, 1))[0] == date(2025, 3, 15)


ACTIVITIES = [
    (date(2025, 3, 15), 2.0),
    (date(2026, 3, 14), 3.0),  # last day of the first coaching year
    (date(2026, 3, 15), 4.0),  # first day of the second
    (date(2026, 6, 1), 1.5),
]


def test_year_hours_on_both_sides_of_the_year_boundary():
    start = date(2025, 3, 15)
    assert coaching_year_hours(ACTIVITIES, start, date(2026, 3, 14)) == 5.0
    assert coaching_year_hours(ACTIVITIES, start, date(2026, 3, 15)) == 5.5
    assert coaching_year_hours([], start, date(2026, 3, 15)) == 0.0


def test_year_of_a_leap_day_start_ends_on_28_february():
    start = date(2024, 2, 29)
    hours = [(date(2025, 2, 27), 1.0), (date(2025, 2, 28), 2.0)]
    assert coaching_year_hours(hours, start, date(2025, 2, 27)) == 1.0
    assert coaching_year_hours(hours, start, date(2025, 2, 28)) == 2.0


def test_hours_in_a_period_include_both_ends():
    assert hours_in_period(ACTIVITIES, date(2026, 3, 14), date(2026, 3, 15)) == 7.0
    assert hours_in_period(ACTIVITIES, date(2026, 3, 16), date(2026, 5, 31)) == 0.0


# Warnings -------------------------------------------------------------------------------------


def _warnings(hours_per_week=20.0, year_hours=10.0, start=date(2024, 3, 1), today=date(2025, 1, 1)):
    return coaching_warnings(
        hours_per_week=hours_per_week, year_hours=year_hours, coaching_start=start, today=today
    )


def test_no_warnings_within_the_rules():
    assert _warnings() == []


def test_job_under_12_hours_a_week_warns_unless_the_hours_are_unknown():
    assert _warnings(hours_per_week=11.5) == [UNDER_12_HOURS]
    assert _warnings(hours_per_week=12) == []
    assert _warnings(hours_per_week=None) == []


def test_more_than_52_hours_in_the_coaching_year_warns():
    assert _warnings(year_hours=52) == []
    assert _warnings(year_hours=52.25) == [OVER_52_HOURS]


def test_coaching_longer_than_2_years_warns():
    assert _warnings(today=date(2026, 3, 1)) == []  # exactly two years
    assert _warnings(today=date(2026, 3, 2)) == [OVER_2_YEARS]


def test_all_warnings_together_in_a_fixed_order():
    assert _warnings(hours_per_week=8, year_hours=60, today=date(2027, 1, 1)) == [
        UNDER_12_HOURS,
        OVER_52_HOURS,
        OVER_2_YEARS,
    ]


# Refusals and overlapping periods -------------------------------------------------------------


def test_declined_when_the_refusal_is_after_the_last_coaching():
    assert not coaching_declined([], date(2026, 1, 1))
    assert coaching_declined([date(2026, 1, 5)], None)
    assert coaching_declined([date(2026, 1, 5)], date(2026, 1, 5))
    assert not coaching_declined([date(2026, 1, 5)], date(2026, 1, 6))  # coaching resumed


def test_overlapping_periods():
    periods = [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28))]
    assert period_overlaps(date(2026, 3, 1), date(2026, 3, 31), periods) is None
    assert period_overlaps(date(2026, 2, 28), date(2026, 3, 31), periods) == periods[1]
    assert period_overlaps(date(2025, 12, 1), date(2026, 1, 1), periods) == periods[0]


# Frequency per placement (database) -----------------------------------------------------------


def _placement_of(email):
    return db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(email).id)
    )


def _organisation(name):
    return db.session.scalar(
        select(ExecutingOrganisation).where(ExecutingOrganisation.name == name)
    )


def test_frequency_follows_the_organisation_from_the_routing(demo):
    sanne = _placement_of(WORKER)  # Participatiewet, Utrecht -> Gemeente Utrecht
    daan = _placement_of(OTHER_WORKER)  # Wajong -> UWV
    assert report_frequency(db.session, sanne) == MONTHLY
    _organisation("UWV").jobcoach_report_frequency = QUARTERLY
    db.session.commit()
    assert report_frequencies(db.session, [sanne, daan]) == {
        sanne.id: MONTHLY,
        daan.id: QUARTERLY,
    }


def test_frequency_falls_back_to_the_contact_persons_organisation_then_monthly(demo):
    sanne = _placement_of(WORKER)  # contact person Fatima works for Gemeente Utrecht
    for rule in db.session.scalars(select(RoutingRule)):
        db.session.delete(rule)
    _organisation("Gemeente Utrecht").jobcoach_report_frequency = QUARTERLY
    _organisation("UWV").jobcoach_report_frequency = QUARTERLY
    db.session.commit()
    assert report_frequency(db.session, sanne) == QUARTERLY
    user_by_email("f.elamrani@wsp-demo.nl").executing_organisation = None
    db.session.commit()
    assert report_frequency(db.session, sanne) == MONTHLY


# Demo data ------------------------------------------------------------------------------------


def test_demo_shows_one_placement_on_schedule_and_one_late(demo):
    today = date.today()
    seed_coaching_demo(db.session, today)
    db.session.commit()
    count = db.session.query(CoachingActivity).count()
    seed_coaching_demo(db.session, today)  # idempotent
    assert db.session.query(CoachingActivity).count() == count

    overview = jobcoach_overview(db.session, user_by_email(JOBCOACH).id, today)
    by_name = {s.placement.worker.full_name: s for s in overview}
    assert set(by_name) == {"Sanne Bakker", "Daan Visser", "Noah Mulder"}
    assert overview[0].placement.worker.full_name == "Daan Visser"  # late first
    assert by_name["Daan Visser"].status.days_late > REPORT_GRACE_DAYS
    assert not by_name["Sanne Bakker"].status.late
    assert not by_name["Noah Mulder"].status.late
    assert by_name["Sanne Bakker"].status.next_due > today
    for summary in overview:
        assert summary.warnings == ()
        assert summary.year_hours > 0
    # Reports cover the activities of their period, and nothing is in the future.
    for report in db.session.scalars(select(JobcoachReport)):
        assert report.period_end < today
    assert (
        db.session.scalar(select(CoachingActivity.id).where(CoachingActivity.activity_date > today))
        is None
    )


def test_summary_has_no_schedule_after_a_refusal_or_an_ended_placement(demo):
    today = date.today()
    sanne = _placement_of(WORKER)
    assert coaching_summary(db.session, sanne, today).status is not None
    db.session.add(
        CoachingRefusal(
            placement=sanne,
            refused_on=today - timedelta(days=1),
            reason="Wil het eerst zelf proberen.",
            recorded_by_id=user_by_email(JOBCOACH).id,
        )
    )
    db.session.commit()
    summary = coaching_summary(db.session, sanne, today)
    assert summary.declined and summary.status is None
    ended = db.session.scalar(select(Placement).where(Placement.phase == Phase.BEEINDIGD))
    assert coaching_summary(db.session, ended, today).status is None
