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

from sqlalchemy import Date, Numeric, and_, cast, literal, null, or_, select, union_all
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
    WorkerProfile,
)
from portal.services.routing import Rule, executing_organisation
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


def report_frequencies(
    session: Session, placements: Sequence[Placement]
) -> dict[int, ReportFrequency]:
    """The report frequency per placement id, in one query (two when a worker has no route).

    The executing organisation that serves the worker follows from the routing table (regime and
    municipality of the worker's profile, the most specific rule wins as in
    `portal.services.routing`); without a route, the organisation of the worker's current
    contact person; without one, MONTHLY.
    """
    if not placements:
        return {}
    routed = _routed_organisations(session, {placement.worker_id for placement in placements})
    unrouted = {placement.worker_id for placement in placements} - routed.keys()
    contacts = _contact_organisations(session, unrouted) if unrouted else {}
    result = {}
    for placement in placements:
        organisation = routed.get(placement.worker_id) or contacts.get(placement.worker_id)
        result[placement.id] = (
            organisation.jobcoach_report_frequency
            if organisation is not None and organisation.jobcoach_report_frequency
            else ReportFrequency.MONTHLY
        )
    return result


def _routed_organisations(
    session: Session, worker_ids: set[int]
) -> dict[int, ExecutingOrganisation]:
    """Per worker the organisation of the winning routing rule, from the rules that match the
    worker's profile (fetched together in one query)."""
    matches = (
        or_(RoutingRule.regime.is_(None), RoutingRule.regime == WorkerProfile.regime),
        or_(
            RoutingRule.municipality_id.is_(None),
            RoutingRule.municipality_id == WorkerProfile.municipality_id,
        ),
    )
    rows = session.execute(
        select(
            WorkerProfile.user_id,
            WorkerProfile.regime,
            WorkerProfile.municipality_id,
            RoutingRule.regime,
            RoutingRule.municipality_id,
            ExecutingOrganisation,
        )
        .join(RoutingRule, and_(*matches))
        .join(
            ExecutingOrganisation, ExecutingOrganisation.id == RoutingRule.executing_organisation_id
        )
        .where(WorkerProfile.user_id.in_(worker_ids))
    )
    candidates: dict[int, list[Rule]] = defaultdict(list)
    profiles: dict[int, tuple[str, str]] = {}
    organisations: dict[str, ExecutingOrganisation] = {}
    for worker_id, regime, municipality_id, rule_regime, rule_municipality, organisation in rows:
        profiles[worker_id] = (regime.value, str(municipality_id))
        organisations[organisation.name] = organisation
        candidates[worker_id].append(
            Rule(
                rule_regime.value if rule_regime else None,
                str(rule_municipality) if rule_municipality is not None else None,
                organisation.name,
            )
        )
    return {
        worker_id: organisations[executing_organisation(*profiles[worker_id], rules)]
        for worker_id, rules in candidates.items()
    }


def _contact_organisations(
    session: Session, worker_ids: set[int]
) -> dict[int, ExecutingOrganisation | None]:
    """The organisation of each worker's current contact person."""
    rows = session.execute(
        select(ContactAssignment.worker_id, ExecutingOrganisation)
        .join(User, User.id == ContactAssignment.contact_person_id)
        .join(ExecutingOrganisation, ExecutingOrganisation.id == User.executing_organisation_id)
        .where(ContactAssignment.worker_id.in_(worker_ids), ContactAssignment.ends_on.is_(None))
    )
    return {worker_id: organisation for worker_id, organisation in rows}


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
    """One summary per placement, in the given order, in two queries (three when a worker has
    no route, see `report_frequencies`)."""
    ids = [placement.id for placement in placements]
    if not ids:
        return []
    activities: dict[int, list[tuple[date, float]]] = defaultdict(list)
    periods: dict[int, list[tuple[date, date]]] = defaultdict(list)
    refusals: dict[int, list[date]] = defaultdict(list)
    for kind, placement_id, first, second, hours in session.execute(_coaching_facts(ids)):
        if kind == "activity":
            activities[placement_id].append((first, float(hours)))
        elif kind == "report":
            periods[placement_id].append((first, second))
        else:
            refusals[placement_id].append(first)
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


def _coaching_facts(ids: list[int]):
    """Activities, report periods and refusals of the placements as one query:
    (kind, placement id, date, end date, hours)."""
    no_date, no_hours = cast(null(), Date), cast(null(), Numeric(5, 2))
    return union_all(
        select(
            literal("activity"),
            CoachingActivity.placement_id,
            CoachingActivity.activity_date,
            no_date,
            cast(CoachingActivity.hours, Numeric(5, 2)),
        ).where(CoachingActivity.placement_id.in_(ids)),
        select(
            literal("report"),
            JobcoachReport.placement_id,
            JobcoachReport.period_start,
            JobcoachReport.period_end,
            no_hours,
        ).where(JobcoachReport.placement_id.in_(ids)),
        select(
            literal("refusal"),
            CoachingRefusal.placement_id,
            CoachingRefusal.refused_on,
            no_date,
            no_hours,
        ).where(CoachingRefusal.placement_id.in_(ids)),
    )


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
            .options(joinedload(Placement.worker), joinedload(Placement.employer))
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
