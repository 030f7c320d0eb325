"""Jobcoaching rules (DESIGN §7): the report schedule, hours per coaching year and the warnings.

Pure functions first (dates and numbers in, answers out); below them the few that read the
database to gather the facts of a placement. The rules warn, they never block: a job under 12 hours
a week, more than 52 coaching hours a year or coaching longer than 2 years is shown, not refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.models import (
    CoachingActivity,
    CoachingRefusal,
    ContactAssignment,
    ExecutingOrganisation,
    JobcoachReport,
    Phase,
    Placement,
    ReportFrequency,
    RoutingRule,
    User,
)
from portal.services.routing import NoRoute, Rule, executing_organisation
from portal.services.schedule import add_months

REPORT_GRACE_DAYS = 14
MIN_JOB_HOURS_PER_WEEK = 12
MAX_HOURS_PER_YEAR = 52
USUAL_MAX_YEARS = 2

UNDER_12_HOURS = "under_12_hours"
OVER_52_HOURS = "over_52_hours"
OVER_2_YEARS = "over_2_years"


# Pure rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportStatus:
    """When the next report is due and how many days it is late (0 when not late)."""

    next_due: date
    days_late: int

    @property
    def late(self) -> bool:
        return self.days_late > 0


def next_period_start(coaching_start: date, last_period_end: date | None) -> date:
    """The first day the next report covers: the day after the last report, else the start."""
    return last_period_end + timedelta(days=1) if last_period_end else coaching_start


def report_status(
    frequency: ReportFrequency,
    *,
    placement_start: date,
    trial_end: date | None,
    coaching_start: date,
    last_period_end: date | None,
    today: date,
) -> ReportStatus:
    """When the next report is due, and whether it is late.

    The next report covers the period from the day after `last_period_end` (or from
    `coaching_start`), but never from before `placement_start`. MONTHLY: due one month after the
    period began. QUARTERLY_AFTER_TRIAL: one month while the period begins during the trial (on or
    before `trial_end`), three months once it begins after it (or when there is no trial). Late
    when `today` is more than REPORT_GRACE_DAYS after the due date; `days_late` counts from the
    due date.
    """
    start = max(next_period_start(coaching_start, last_period_end), placement_start)
    months = 1
    if frequency == ReportFrequency.QUARTERLY_AFTER_TRIAL and (
        trial_end is None or start > trial_end
    ):
        months = 3
    next_due = add_months(start, months)
    late = today > next_due + timedelta(days=REPORT_GRACE_DAYS)
    return ReportStatus(next_due=next_due, days_late=(today - next_due).days if late else 0)


def coaching_start(
    placement_start: date,
    activity_dates: Iterable[date] = (),
    report_starts: Iterable[date] = (),
) -> date:
    """The earliest activity or report period start of a placement, else the placement start."""
    return min([*activity_dates, *report_starts], default=placement_start)


def coaching_year(coaching_start: date, today: date) -> tuple[date, date]:
    """The current coaching year as (first day, first day of the next year); years count from
    `coaching_start`. Before the start, the first year."""
    years = 0
    while add_months(coaching_start, 12 * (years + 1)) <= today:
        years += 1
    return add_months(coaching_start, 12 * years), add_months(coaching_start, 12 * (years + 1))


def coaching_year_hours(
    activities: Iterable[tuple[date, float]], coaching_start: date, today: date
) -> float:
    """The hours of the activities (date, hours) that fall in the current coaching year."""
    first, next_first = coaching_year(coaching_start, today)
    return float(sum(hours for day, hours in activities if first <= day < next_first))


def coaching_warnings(
    *, hours_per_week: float | None, year_hours: float, coaching_start: date, today: date
) -> list[str]:
    """The DESIGN §7 rules that do not hold, as codes; warnings only, nothing is refused.

    `under_12_hours`: the job is under 12 hours a week (skipped when the hours are unknown);
    `over_52_hours`: more than 52 hours in the current coaching year; `over_2_years`: coaching
    has lasted longer than 2 years.
    """
    warnings = []
    if hours_per_week is not None and hours_per_week < MIN_JOB_HOURS_PER_WEEK:
        warnings.append(UNDER_12_HOURS)
    if year_hours > MAX_HOURS_PER_YEAR:
        warnings.append(OVER_52_HOURS)
    if today > add_months(coaching_start, 12 * USUAL_MAX_YEARS):
        warnings.append(OVER_2_YEARS)
    return warnings


def coaching_declined(refusal_dates: Iterable[date], last_coached: date | None) -> bool:
    """The worker declined coaching: a refusal on or after the last activity or report period."""
    last_refusal = max(refusal_dates, default=None)
    if last_refusal is None:
        return False
    return last_coached is None or last_refusal >= last_coached


def period_overlaps(
    start: date, end: date, periods: Iterable[tuple[date, date]]
) -> tuple[date, date] | None:
    """The first of `periods` (start, end, both inclusive) that overlaps start..end, if any."""
    for other_start, other_end in periods:
        if other_start <= end and other_end >= start:
            return other_start, other_end
    return None


def hours_in_period(activities: Iterable[tuple[date, float]], start: date, end: date) -> float:
    """The hours of the activities (date, hours) from `start` up to and including `end`."""
    return float(sum(hours for day, hours in activities if start <= day <= end))


# From the database --------------------------------------------------------------------------


def _routing_rules(session: Session) -> list[Rule]:
    rows = session.scalars(
        select(RoutingRule).options(
            joinedload(RoutingRule.municipality), joinedload(RoutingRule.executing_organisation)
        )
    )
    return [
        Rule(
            rule.regime.value if rule.regime else None,
            rule.municipality.name if rule.municipality else None,
            rule.executing_organisation.name,
        )
        for rule in rows
    ]


def report_frequencies(
    session: Session, placements: Sequence[Placement]
) -> dict[int, ReportFrequency]:
    """The report frequency per placement id, in a constant number of queries.

    The executing organisation that serves the worker follows from the routing table (regime and
    municipality of the worker's profile); without a route, the organisation of the worker's
    current contact person; without one, MONTHLY.
    """
    if not placements:
        return {}
    rules = _routing_rules(session)
    organisations = {o.name: o for o in session.scalars(select(ExecutingOrganisation))}
    worker_ids = {placement.worker_id for placement in placements}
    contacts = {
        assignment.worker_id: assignment.contact_person
        for assignment in session.scalars(
            select(ContactAssignment)
            .where(ContactAssignment.worker_id.in_(worker_ids), ContactAssignment.ends_on.is_(None))
            .options(
                joinedload(ContactAssignment.contact_person).joinedload(User.executing_organisation)
            )
        )
    }
    result = {}
    for placement in placements:
        organisation = _routed_organisation(placement.worker, rules, organisations)
        if organisation is None:
            contact = contacts.get(placement.worker_id)
            organisation = contact.executing_organisation if contact else None
        result[placement.id] = (
            organisation.jobcoach_report_frequency
            if organisation is not None and organisation.jobcoach_report_frequency
            else ReportFrequency.MONTHLY
        )
    return result


def _routed_organisation(
    worker: User, rules: list[Rule], organisations: dict[str, ExecutingOrganisation]
) -> ExecutingOrganisation | None:
    profile = worker.worker_profile
    if profile is None:
        return None
    try:
        name = executing_organisation(profile.regime.value, profile.municipality.name, rules)
    except NoRoute:
        return None
    return organisations.get(name)


def report_frequency(session: Session, placement: Placement) -> ReportFrequency:
    """The report frequency of one placement (see `report_frequencies`)."""
    return report_frequencies(session, [placement])[placement.id]


@dataclass(frozen=True)
class CoachingSummary:
    """Everything the overview and the placement page show about the coaching of a placement.

    `status` is None when no report is expected: the placement has ended or the worker declined.
    """

    placement: Placement
    frequency: ReportFrequency
    coaching_start: date
    year_start: date
    year_hours: float
    last_period_end: date | None
    status: ReportStatus | None
    declined: bool
    warnings: tuple[str, ...]


def coaching_summaries(
    session: Session, placements: Sequence[Placement], today: date
) -> list[CoachingSummary]:
    """One summary per placement, in the given order, in a constant number of queries."""
    ids = [placement.id for placement in placements]
    if not ids:
        return []
    activities: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for placement_id, day, hours in session.execute(
        select(
            CoachingActivity.placement_id, CoachingActivity.activity_date, CoachingActivity.hours
        ).where(CoachingActivity.placement_id.in_(ids))
    ):
        activities[placement_id].append((day, float(hours)))
    periods: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for placement_id, start, end in session.execute(
        select(
            JobcoachReport.placement_id, JobcoachReport.period_start, JobcoachReport.period_end
        ).where(JobcoachReport.placement_id.in_(ids))
    ):
        periods[placement_id].append((start, end))
    refusals: dict[int, list[date]] = defaultdict(list)
    for placement_id, day in session.execute(
        select(CoachingRefusal.placement_id, CoachingRefusal.refused_on).where(
            CoachingRefusal.placement_id.in_(ids)
        )
    ):
        refusals[placement_id].append(day)
    frequencies = report_frequencies(session, placements)
    return [
        _summary(
            placement,
            frequencies[placement.id],
            activities[placement.id],
            periods[placement.id],
            refusals[placement.id],
            today,
        )
        for placement in placements
    ]


def coaching_summary(session: Session, placement: Placement, today: date) -> CoachingSummary:
    """The summary of one placement (see `coaching_summaries`)."""
    return coaching_summaries(session, [placement], today)[0]


def _summary(
    placement: Placement,
    frequency: ReportFrequency,
    activities: list[tuple[date, float]],
    periods: list[tuple[date, date]],
    refusals: list[date],
    today: date,
) -> CoachingSummary:
    start = coaching_start(
        placement.start_date, (day for day, _ in activities), (s for s, _ in periods)
    )
    year_start, _ = coaching_year(start, today)
    year_hours = coaching_year_hours(activities, start, today)
    last_end = max((end for _, end in periods), default=None)
    last_coached = max(
        [*(day for day, _ in activities), *([last_end] if last_end else [])], default=None
    )
    declined = coaching_declined(refusals, last_coached)
    status = None
    if placement.phase != Phase.BEEINDIGD and not declined:
        status = report_status(
            frequency,
            placement_start=placement.start_date,
            trial_end=placement.trial_end,
            coaching_start=start,
            last_period_end=last_end,
            today=today,
        )
    warnings = coaching_warnings(
        hours_per_week=placement.hours_per_week,
        year_hours=year_hours,
        coaching_start=start,
        today=today,
    )
    return CoachingSummary(
        placement=placement,
        frequency=frequency,
        coaching_start=start,
        year_start=year_start,
        year_hours=year_hours,
        last_period_end=last_end,
        status=status,
        declined=declined,
        warnings=tuple(warnings),
    )


def coached_placements(session: Session, jobcoach_id: int) -> list[Placement]:
    """The current (not ended) placements this jobcoach coaches, by the worker's name."""
    return list(
        session.scalars(
            select(Placement)
            .join(Placement.worker)
            .where(Placement.jobcoach_id == jobcoach_id, Placement.phase != Phase.BEEINDIGD)
            .options(
                joinedload(Placement.worker).joinedload(User.worker_profile),
                joinedload(Placement.employer),
            )
            .order_by(User.last_name, User.first_name)
        ).unique()
    )


def jobcoach_overview(session: Session, jobcoach_id: int, today: date) -> list[CoachingSummary]:
    """The jobcoach's workers: late reports first (most days late first), then by name."""
    summaries = coaching_summaries(session, coached_placements(session, jobcoach_id), today)
    return sorted(summaries, key=lambda s: -(s.status.days_late if s.status else 0))


def report_periods(session: Session, placement_id: int) -> list[tuple[date, date]]:
    """The (start, end) periods of the placement's reports, oldest first."""
    return [
        (start, end)
        for start, end in session.execute(
            select(JobcoachReport.period_start, JobcoachReport.period_end)
            .where(JobcoachReport.placement_id == placement_id)
            .order_by(JobcoachReport.period_start)
        )
    ]


def activity_hours(session: Session, placement_id: int) -> list[tuple[date, float]]:
    """The (date, hours) of the placement's activities."""
    return [
        (day, float(hours))
        for day, hours in session.execute(
            select(CoachingActivity.activity_date, CoachingActivity.hours).where(
                CoachingActivity.placement_id == placement_id
            )
        )
    ]
