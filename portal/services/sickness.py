"""Ziekmeldingen: who is in charge of a sick worker, the dated steps (DESIGN §8), and storing a
sick report or its recovery.

The rules are one function, `guidance`, on plain values: the first sick day, the situation (from
the placement, `situation_for`) and today. Steps carry a code, a date and the sick week; the portal
words them. Nothing about the illness itself is ever stored or asked.

Counting: sick week N runs from first_sick_day + 7*(N-1) to first_sick_day + 7*N - 1, so "by week
N" is at the latest on `week_end(first_sick_day, N)`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.models import (
    ContactAssignment,
    ExpectedDuration,
    Phase,
    Placement,
    Role,
    SickReport,
    User,
)
from portal.services.placements import no_riskpolis

# Wet verbetering poortwachter (DESIGN §8), in sick weeks.
PROBLEEMANALYSE_WEEK = 6
NO_RISKPOLIS_REPORT_WEEK = 6  # "within 6 weeks": the end of week 6 is the safe side
PLAN_VAN_AANPAK_WEEK = 8
PLAN_EVALUATION_EVERY_WEEKS = 6
UWV_REPORT_WEEK = 42  # the 42e-weeksmelding
FIRST_YEAR_EVALUATION_WEEK = 52
WIA_AROUND_WEEK = 91
WIA_LATEST_WEEK = 93
CONTINUED_PAY_WEEKS = 104
NO_RISKPOLIS_RECOVERY_DAYS = 2
REMARK_MAX = 2000


def week_end(first_sick_day: date, week: int) -> date:
    """The last day of sick week `week`: the latest date for a step "by week N"."""
    return first_sick_day + timedelta(days=7 * week - 1)


def week_of(first_sick_day: date, day: date) -> int:
    """The sick week in which `day` falls; the first sick day is in week 1."""
    return (day - first_sick_day).days // 7 + 1


def days_sick(first_sick_day: date, today: date, recovered_on: date | None = None) -> int:
    """Days sick so far; the first sick day counts as day 1. The recovery day itself is not a sick
    day, except when the worker recovered on the first sick day (1 day)."""
    last = today
    if recovered_on is not None:
        last = min(today, max(first_sick_day, recovered_on - timedelta(days=1)))
    return max(0, (last - first_sick_day).days + 1)


class SituationKind(enum.StrEnum):
    EMPLOYMENT = "employment"  # a tijdelijk or vast contract on the first sick day
    PROEFPLAATSING = "proefplaatsing"  # no employment contract: the worker keeps the benefit
    NO_EMPLOYER = "no_employer"  # no placement, or it had ended (or not started yet)


class BenefitProvider(enum.StrEnum):
    UWV = "uwv"  # Wajong
    MUNICIPALITY = "municipality"  # Participatiewet and the other regimes


class InCharge(enum.StrEnum):
    EMPLOYER = "employer"  # poortwachter, for the whole 104 weeks
    EMPLOYER_THEN_UWV = "employer_then_uwv"  # the temporary contract ends during sickness
    BENEFIT_PROVIDER = "benefit_provider"  # proefplaatsing
    UWV = "uwv"  # no employer: the Ziektewet as safety net


@dataclass(frozen=True)
class Situation:
    """What the rules need to know of the worker's placement, as plain values."""

    kind: SituationKind
    benefit_provider: BenefitProvider = BenefitProvider.UWV
    employment_ends: date | None = None  # last day of the contract, when it is known
    no_riskpolis: bool = False
    no_riskpolis_basis: str | None = None


def benefit_provider_for(regime: str | None) -> BenefitProvider:
    """Wajong: UWV; Participatiewet and the other regimes: the municipality."""
    if regime is None or regime == "wajong":
        return BenefitProvider.UWV
    return BenefitProvider.MUNICIPALITY


def situation_for(
    first_sick_day: date,
    *,
    phase: str | None,
    placement_start: date | None = None,
    employed_since: date | None = None,
    contract_end: date | None = None,
    end_date: date | None = None,
    regime: str | None = None,
    in_doelgroepregister: bool = False,
) -> Situation:
    """The situation on the first sick day, with what is known today (a renewal, an ending).

    `phase` is the placement's phase today (None: no placement); `employed_since` the start of its
    first employment contract; `contract_end` the end of the current temporary contract; `end_date`
    the day the placement ended.
    """
    provider = benefit_provider_for(regime)
    no_employer = Situation(SituationKind.NO_EMPLOYER, provider)
    if phase is None or (placement_start is not None and placement_start > first_sick_day):
        return no_employer
    if phase == Phase.BEEINDIGD.value and (end_date is None or end_date < first_sick_day):
        return no_employer
    employed = employed_since is not None and employed_since <= first_sick_day
    if not employed:
        if phase == Phase.BEEINDIGD.value:
            return no_employer  # a proefplaatsing that has ended: back to the benefit
        return Situation(SituationKind.PROEFPLAATSING, provider)
    if phase == Phase.BEEINDIGD.value:
        ends = end_date
    elif phase == Phase.TIJDELIJK.value:
        ends = contract_end
    else:
        ends = None
    if ends is not None and ends < first_sick_day:
        return no_employer  # the contract had run out before the first sick day
    applies, basis = no_riskpolis(regime, in_doelgroepregister) if regime else (False, None)
    return Situation(
        SituationKind.EMPLOYMENT,
        provider,
        employment_ends=ends,
        no_riskpolis=applies,
        no_riskpolis_basis=basis.value if basis is not None else None,
    )


@dataclass(frozen=True)
class Step:
    """One dated step of the timeline. `week` is the sick week of `date`."""

    code: str
    date: date
    week: int
    past: bool


@dataclass(frozen=True)
class Guidance:
    in_charge: InCharge
    steps: tuple[Step, ...]
    situation: Situation
    uwv_from: date | None = None  # EMPLOYER_THEN_UWV: the day after the contract ends
    recovered_on: date | None = None

    @property
    def no_riskpolis(self) -> bool:
        """The no-riskpolis block is shown while the employer is (or was) in charge."""
        return self.situation.no_riskpolis and self.in_charge in (
            InCharge.EMPLOYER,
            InCharge.EMPLOYER_THEN_UWV,
        )

    @property
    def next_step(self) -> Step | None:
        """The next deadline: the first step on or after today (the recovery is a fact, not a
        deadline)."""
        return next((s for s in self.steps if not s.past and s.code != "recovered"), None)


def guidance(
    first_sick_day: date,
    situation: Situation,
    today: date,
    recovered_on: date | None = None,
) -> Guidance:
    """Who is in charge and the dated steps, in date order (DESIGN §8)."""
    dated: list[tuple[str, date]] = []
    uwv_from = None
    if situation.kind == SituationKind.PROEFPLAATSING:
        in_charge = InCharge.BENEFIT_PROVIDER
        dated.append(("tell_contact", first_sick_day))
    elif situation.kind == SituationKind.NO_EMPLOYER:
        in_charge = InCharge.UWV
        dated += [("report_uwv", first_sick_day), ("tell_contact", first_sick_day)]
    else:
        ends = situation.employment_ends
        end_of_pay = week_end(first_sick_day, CONTINUED_PAY_WEEKS)
        if ends is not None and ends < end_of_pay:
            in_charge = InCharge.EMPLOYER_THEN_UWV
            uwv_from = ends + timedelta(days=1)
        else:
            in_charge = InCharge.EMPLOYER
            ends = None
        employer = _employer_steps(first_sick_day, situation.no_riskpolis, today)
        # After the contract end UWV is in charge: those are no longer the employer's duties.
        dated += [(code, day) for code, day in employer if ends is None or day <= ends]
        if uwv_from is not None:
            dated.append(("contract_ends", uwv_from))
    if recovered_on is not None:
        dated = [(code, day) for code, day in dated if day <= recovered_on]
        dated.append(("recovered", recovered_on))
        # Only the employer reports the recovery to UWV, so only while the employer was in charge.
        employer_in_charge = in_charge in (InCharge.EMPLOYER, InCharge.EMPLOYER_THEN_UWV) and (
            uwv_from is None or recovered_on < uwv_from
        )
        if situation.no_riskpolis and employer_in_charge:
            dated.append(
                (
                    "no_riskpolis_recovery",
                    recovered_on + timedelta(days=NO_RISKPOLIS_RECOVERY_DAYS),
                )
            )
    order = {code: index for index, code in enumerate(STEP_ORDER)}
    dated.sort(key=lambda item: (item[1], order[item[0]]))
    steps = tuple(
        Step(code, day, week_of(first_sick_day, day), past=day < today) for code, day in dated
    )
    return Guidance(in_charge, steps, situation, uwv_from, recovered_on)


# Steps on the same date are shown in this order.
STEP_ORDER = (
    "report_uwv",
    "bedrijfsarts",
    "tell_contact",
    "no_riskpolis_report",
    "probleemanalyse",
    "plan_van_aanpak",
    "evaluate_plan",
    "uwv_42",
    "eerstejaarsevaluatie",
    "wia",
    "loondoorbetaling_end",
    "contract_ends",
    "recovered",
    "no_riskpolis_recovery",
)


def _employer_steps(first: date, with_no_riskpolis: bool, today: date) -> list[tuple[str, date]]:
    steps = [("bedrijfsarts", first)]
    if with_no_riskpolis:
        steps.append(("no_riskpolis_report", week_end(first, NO_RISKPOLIS_REPORT_WEEK)))
    steps += [
        ("probleemanalyse", week_end(first, PROBLEEMANALYSE_WEEK)),
        ("plan_van_aanpak", week_end(first, PLAN_VAN_AANPAK_WEEK)),
    ]
    evaluation = next_plan_evaluation(first, today)
    if evaluation is not None:
        steps.append(("evaluate_plan", evaluation))
    steps += [
        ("uwv_42", week_end(first, UWV_REPORT_WEEK)),
        ("eerstejaarsevaluatie", week_end(first, FIRST_YEAR_EVALUATION_WEEK)),
        ("wia", week_end(first, WIA_LATEST_WEEK)),
        ("loondoorbetaling_end", week_end(first, CONTINUED_PAY_WEEKS)),
    ]
    return steps


def next_plan_evaluation(first_sick_day: date, today: date) -> date | None:
    """The next evaluation of the plan van aanpak on or after today: every 6 weeks after week 8
    (the ends of weeks 14, 20, 26, ...), while the continued pay lasts."""
    week = PLAN_VAN_AANPAK_WEEK + PLAN_EVALUATION_EVERY_WEEKS
    while week < CONTINUED_PAY_WEEKS:
        day = week_end(first_sick_day, week)
        if day >= today:
            return day
        week += PLAN_EVALUATION_EVERY_WEEKS
    return None


# Storing ------------------------------------------------------------------------------------


class SicknessError(ValueError):
    """A sick report or recovery that breaks the rules; `code` names the rule, `field` the form
    field it belongs to, `params` what the message needs."""

    def __init__(self, code: str, field: str, **params):
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


def placement_on(
    session: Session, worker_id: int, day: date, employer_id: int | None = None
) -> Placement | None:
    """The worker's placement on `day` (at this employer, when given): started by then and not
    ended before it; the latest start wins."""
    query = select(Placement).where(
        Placement.worker_id == worker_id,
        Placement.start_date <= day,
        or_(Placement.end_date.is_(None), Placement.end_date >= day),
    )
    if employer_id is not None:
        query = query.where(Placement.employer_id == employer_id)
    return session.scalars(query.order_by(Placement.start_date.desc()).limit(1)).first()


def open_report(session: Session, worker_id: int) -> SickReport | None:
    return session.scalar(
        select(SickReport).where(
            SickReport.worker_id == worker_id, SickReport.recovered_on.is_(None)
        )
    )


def check_first_sick_day(first_sick_day: date, today: date) -> None:
    if first_sick_day > today:
        raise SicknessError("first_day_in_future", "first_sick_day")
    if first_sick_day < today - timedelta(weeks=CONTINUED_PAY_WEEKS):
        raise SicknessError("first_day_too_old", "first_sick_day", weeks=CONTINUED_PAY_WEEKS)


def check_working_percent(partially_working: bool, working_percent: int | None) -> int | None:
    """The percentage worked, required (1-99) only when partially working; else nothing."""
    if not partially_working:
        return None
    if working_percent is None:
        raise SicknessError("working_percent_required", "working_percent")
    if not 1 <= working_percent <= 99:
        raise SicknessError("working_percent_range", "working_percent")
    return working_percent


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > REMARK_MAX:
        raise SicknessError("remark_too_long", "remark", max=REMARK_MAX)
    return text or None


def create_sick_report(
    session: Session,
    *,
    reporter: User,
    worker: User,
    first_sick_day: date,
    expected_duration: ExpectedDuration = ExpectedDuration.UNKNOWN,
    partially_working: bool = False,
    working_percent: int | None = None,
    remark: str | None = None,
    today: date,
    now: datetime | None = None,
) -> SickReport:
    """Store a ziekmelding (flushed, not committed). Who may report for whom is policy's; here
    the rules: a sensible first sick day, one open report per worker, no overlap with an earlier
    period. An employer user reports only for a placement at their employer."""
    if worker.role != Role.WORKER:
        raise SicknessError("not_a_worker", "worker")
    check_first_sick_day(first_sick_day, today)
    percent = check_working_percent(partially_working, working_percent)
    remark = _clean(remark)
    existing = open_report(session, worker.id)
    if existing is not None:
        raise SicknessError(
            "already_open", "worker", report_id=existing.id, since=existing.first_sick_day
        )
    overlapping = session.scalar(
        select(SickReport.recovered_on)
        .where(SickReport.worker_id == worker.id, SickReport.recovered_on > first_sick_day)
        .order_by(SickReport.recovered_on.desc())
        .limit(1)
    )
    if overlapping is not None:
        raise SicknessError("overlaps_earlier", "first_sick_day", recovered_on=overlapping)
    employer_id = reporter.employer_id if reporter.role == Role.EMPLOYER else None
    placement = placement_on(session, worker.id, first_sick_day, employer_id)
    if reporter.role == Role.EMPLOYER and placement is None:
        raise SicknessError("no_placement_on_day", "first_sick_day")
    report = SickReport(
        worker=worker,
        placement=placement,
        employer_id=placement.employer_id if placement else None,
        reported_by=reporter,
        first_sick_day=first_sick_day,
        expected_duration=expected_duration,
        partially_working=partially_working,
        working_percent=percent,
        remark=remark,
        created_at=now or datetime.now(UTC),
    )
    session.add(report)
    session.flush()
    return report


def report_recovery(
    session: Session,
    report: SickReport,
    *,
    by: User,
    recovered_on: date,
    remark: str | None = None,
    today: date,
    now: datetime | None = None,
) -> SickReport:
    """Close the sick period (flushed, not committed)."""
    if not report.is_open:
        raise SicknessError("already_recovered", "recovered_on", recovered_on=report.recovered_on)
    if recovered_on > today:
        raise SicknessError("recovery_in_future", "recovered_on")
    if recovered_on < report.first_sick_day:
        raise SicknessError(
            "recovery_before_start", "recovered_on", first_sick_day=report.first_sick_day
        )
    report.recovery_remark = _clean(remark)
    report.recovered_on = recovered_on
    report.recovery_reported_by = by
    report.recovery_reported_at = now or datetime.now(UTC)
    session.flush()
    return report


# Reading ------------------------------------------------------------------------------------


def guidance_for(report: SickReport, today: date) -> Guidance:
    """The guidance of a stored sick report, from its placement as it stands today."""
    placement = report.placement
    profile = report.worker.worker_profile
    regime = profile.regime.value if profile is not None else None
    in_register = profile.in_doelgroepregister if profile is not None else False
    if placement is None:
        situation = situation_for(report.first_sick_day, phase=None, regime=regime)
    else:
        starts = [c.start for c in placement.contracts]
        situation = situation_for(
            report.first_sick_day,
            phase=placement.phase.value,
            placement_start=placement.start_date,
            employed_since=min(starts) if starts else placement.contract_start,
            contract_end=placement.contract_end,
            end_date=placement.end_date,
            regime=regime,
            in_doelgroepregister=in_register,
        )
    return guidance(report.first_sick_day, situation, today, report.recovered_on)


def _with_details(query):
    return query.options(
        joinedload(SickReport.worker).joinedload(User.worker_profile),
        joinedload(SickReport.placement).selectinload(Placement.contracts),
        joinedload(SickReport.placement).joinedload(Placement.employer),
    )


def reportable_workers(session: Session, user: User) -> list[User]:
    """Whom this user may report sick: a worker themselves; an employer user the workers with a
    live placement at their employer; a contact person their caseload."""
    if user.role == Role.WORKER:
        return [user]
    if user.role == Role.EMPLOYER and user.employer_id is not None:
        query = (
            select(User)
            .join(Placement, Placement.worker_id == User.id)
            .where(Placement.employer_id == user.employer_id, Placement.phase != Phase.BEEINDIGD)
        )
    elif user.role == Role.CONTACT_PERSON:
        query = (
            select(User)
            .join(ContactAssignment, ContactAssignment.worker_id == User.id)
            .where(
                ContactAssignment.contact_person_id == user.id,
                ContactAssignment.ends_on.is_(None),
            )
        )
    else:
        return []
    return list(session.scalars(query.order_by(User.last_name, User.first_name).distinct()))


def visible_reports(session: Session, user: User) -> list[SickReport]:
    """The sick reports a worker or an employer user follows: open ones first, newest first."""
    if user.role == Role.WORKER:
        where = SickReport.worker_id == user.id
    elif user.role == Role.EMPLOYER and user.employer_id is not None:
        where = SickReport.employer_id == user.employer_id
    else:
        return []
    reports = session.scalars(
        _with_details(select(SickReport).where(where)).order_by(
            SickReport.first_sick_day.desc(), SickReport.id.desc()
        )
    ).unique()
    return sorted(reports, key=lambda report: not report.is_open)


def open_reports_of(session: Session, worker_ids: list[int]) -> list[SickReport]:
    """The open sick reports of these workers, in one query."""
    if not worker_ids:
        return []
    return list(
        session.scalars(
            _with_details(
                select(SickReport).where(
                    SickReport.worker_id.in_(worker_ids), SickReport.recovered_on.is_(None)
                )
            ).order_by(SickReport.first_sick_day)
        ).unique()
    )


@dataclass(frozen=True)
class SickWorkerRow:
    report: SickReport
    days_sick: int
    guidance: Guidance


def sick_workers(session: Session, contact_person_id: int, today: date) -> list[SickWorkerRow]:
    """The contact person's caseload workers with an open sick report, longest sick first."""
    worker_ids = list(session.scalars(_caseload_worker_ids(contact_person_id)))
    return [
        SickWorkerRow(report, days_sick(report.first_sick_day, today), guidance_for(report, today))
        for report in open_reports_of(session, worker_ids)
    ]


def _caseload_worker_ids(contact_person_id: int):
    return select(ContactAssignment.worker_id).where(
        ContactAssignment.contact_person_id == contact_person_id,
        ContactAssignment.ends_on.is_(None),
        ContactAssignment.worker_id.is_not(None),
    )


def caseload_sick_ids(session: Session, contact_person_id: int) -> set[int]:
    """The workers in the contact person's caseload with an open sick report (one query)."""
    return set(
        session.scalars(
            select(SickReport.worker_id).where(
                SickReport.worker_id.in_(_caseload_worker_ids(contact_person_id)),
                SickReport.recovered_on.is_(None),
            )
        )
    )


def open_count_of_employer(session: Session, user: User) -> int:
    """The open sick reports of the employer user's company."""
    if user.employer_id is None:
        return 0
    return session.scalar(
        select(func.count())
        .select_from(SickReport)
        .where(SickReport.employer_id == user.employer_id, SickReport.recovered_on.is_(None))
    )


def sick_worker_ids(session: Session, worker_ids: list[int]) -> set[int]:
    """Which of these workers have an open sick report: one query (the caseload uses it)."""
    if not worker_ids:
        return set()
    return set(
        session.scalars(
            select(SickReport.worker_id).where(
                SickReport.worker_id.in_(worker_ids), SickReport.recovered_on.is_(None)
            )
        )
    )
