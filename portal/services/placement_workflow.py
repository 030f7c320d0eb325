"""Starting, changing and ending placements: every change goes through here, so the rules of
`portal.services.placements` are always applied, history is written and the evaluation moments
are re-planned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal.models import (
    ContractKind,
    Employer,
    EndReason,
    EvaluationMoment,
    MomentStatus,
    Phase,
    PhaseChange,
    Placement,
    PlacementContract,
    User,
)
from portal.services.placements import (
    ChainStatus,
    Ending,
    PlacementRuleError,
    TemporaryContract,
    chain_status,
    check_transition,
    risk_moment,
    trial_end_default,
    validate_ending,
)
from portal.services.schedule import (
    DEFAULTS,
    Contract,
    PlacementDates,
    ScheduleDefaults,
    StoredMoment,
    add_months,
    evaluation_moments,
    replan,
)

# Yearly moments after a permanent contract are planned this far ahead; the reminder job adds the
# next ones as time passes (extend_yearly_moments).
PLANNING_HORIZON_MONTHS = 13


def overlapping_placement(
    session: Session, worker: User, employer: Employer, start: date
) -> Placement | None:
    """Another placement of this worker at this employer that is still running on `start`."""
    query = select(Placement).where(
        Placement.worker_id == worker.id,
        Placement.employer_id == employer.id,
        or_(Placement.end_date.is_(None), Placement.end_date >= start),
    )
    return session.scalars(query).first()


def start_placement(
    session: Session,
    *,
    worker: User,
    employer: Employer,
    phase: Phase,
    start: date,
    by: User | None,
    today: date,
    trial_end: date | None = None,
    contract_end: date | None = None,
    defaults: ScheduleDefaults = DEFAULTS,
    **details,
) -> Placement:
    """Create a placement in its first phase (trial, temporary or permanent contract)."""
    if phase == Phase.BEEINDIGD:
        raise PlacementRuleError("transition_not_allowed", current=None, new=phase)
    if overlapping_placement(session, worker, employer, start) is not None:
        raise PlacementRuleError("overlapping_placement")
    placement = Placement(
        worker=worker, employer=employer, phase=phase, start_date=start, **details
    )
    if phase == Phase.PROEFPLAATSING:
        placement.trial_end = trial_end or trial_end_default(start)
        if placement.trial_end < start:
            raise PlacementRuleError("end_before_start")
    else:
        _add_contract(placement, phase, start, contract_end)
    session.add(placement)
    session.add(
        PhaseChange(
            placement=placement, from_phase=None, to_phase=phase, effective_on=start, changed_by=by
        )
    )
    session.flush()
    plan_moments(session, placement, today, defaults)
    return placement


def _add_contract(placement: Placement, phase: Phase, start: date, end: date | None) -> None:
    if phase == Phase.TIJDELIJK:
        if end is None:
            raise PlacementRuleError("contract_end_required")
        if end < start:
            raise PlacementRuleError("end_before_start")
        placement.chain_number = chain_of(placement, TemporaryContract(start, end)).number
        kind = ContractKind.TIJDELIJK
    else:
        end = None
        kind = ContractKind.VAST
    placement.contract_start, placement.contract_end = start, end
    placement.contracts.append(
        PlacementContract(kind=kind, number=placement.chain_number or 1, start=start, end_date=end)
    )


def chain_of(placement: Placement, proposed: TemporaryContract) -> ChainStatus:
    """Where a proposed temporary contract stands in this placement's chain."""
    previous = [
        TemporaryContract(c.start, c.end_date)
        for c in placement.contracts
        if c.kind == ContractKind.TIJDELIJK and c.end_date is not None
    ]
    return chain_status(previous, proposed)


@dataclass(frozen=True)
class PhaseChangeResult:
    placement: Placement
    chain: ChainStatus | None  # for a temporary contract: warn the user when `chain.warning`


def change_phase(
    session: Session,
    placement: Placement,
    new_phase: Phase,
    *,
    effective_on: date,
    by: User | None,
    today: date,
    contract_end: date | None = None,
    defaults: ScheduleDefaults = DEFAULTS,
) -> PhaseChangeResult:
    """Move on to the next contract: temporary, a renewal or permanent (ending: end_placement)."""
    if new_phase == Phase.BEEINDIGD:
        raise PlacementRuleError("use_end_placement")
    check_transition(placement.phase, new_phase)
    if effective_on < placement.start_date:
        raise PlacementRuleError("end_before_start")
    if placement.contract_start is not None and effective_on <= placement.contract_start:
        raise PlacementRuleError("overlapping_contract", start=placement.contract_start)
    chain = None
    if new_phase == Phase.TIJDELIJK and contract_end is not None:
        chain = chain_of(placement, TemporaryContract(effective_on, contract_end))
    previous = placement.contracts[-1] if placement.contracts else None
    if previous is not None and previous.end_date is None:
        previous.end_date = effective_on - timedelta(days=1)
    _add_contract(placement, new_phase, effective_on, contract_end)
    session.add(
        PhaseChange(
            placement=placement,
            from_phase=placement.phase,
            to_phase=new_phase,
            effective_on=effective_on,
            changed_by=by,
        )
    )
    placement.phase = new_phase
    session.flush()
    plan_moments(session, placement, today, defaults)
    return PhaseChangeResult(placement, chain)


def end_placement(
    session: Session, placement: Placement, ending: Ending, *, by: User | None, today: date
) -> Placement:
    """End a placement with the structured reason; the risk moment is derived, not asked."""
    check_transition(placement.phase, Phase.BEEINDIGD)
    reasons = {reason.code: reason for reason in session.scalars(select(EndReason))}
    errors = validate_ending(
        ending,
        placement.start_date,
        reasons_needing_explanation=frozenset(c for c, r in reasons.items() if r.needs_explanation),
        known=frozenset(c for c, r in reasons.items() if r.active),
    )
    if errors:
        raise PlacementRuleError("invalid_ending", fields=errors)
    placement.end_risk_moment = risk_moment(
        placement.phase,
        placement.start_date,
        ending.end_date,
        trial_end=placement.trial_end,
        contract_end=placement.contract_end,
    ).value
    session.add(
        PhaseChange(
            placement=placement,
            from_phase=placement.phase,
            to_phase=Phase.BEEINDIGD,
            effective_on=ending.end_date,
            changed_by=by,
        )
    )
    placement.phase = Phase.BEEINDIGD
    placement.end_date = ending.end_date
    placement.end_reason = reasons[ending.main_reason]
    placement.other_end_reasons = [reasons[code] for code in ending.other_reasons]
    placement.ended_by = ending.initiator.value
    placement.end_cause = ending.cause.value
    placement.end_explanation = ending.explanation.strip() or None
    placement.end_lessons = ending.lessons.strip() or None
    placement.follow_up_owner_id = ending.follow_up_owner_id
    if placement.contracts and placement.contracts[-1].end_date is None:
        placement.contracts[-1].end_date = ending.end_date
    session.flush()
    plan_moments(session, placement, today)
    return placement


def placement_dates(placement: Placement) -> PlacementDates:
    return PlacementDates(
        start=placement.start_date,
        trial_end=placement.trial_end,
        contracts=tuple(
            Contract(c.kind.value, c.start, c.end_date, c.number) for c in placement.contracts
        ),
        end=placement.end_date,
    )


def plan_moments(
    session: Session, placement: Placement, today: date, defaults: ScheduleDefaults = DEFAULTS
) -> None:
    """Store the evaluation moments of the placement; only future, not-done moments change."""
    planned = evaluation_moments(
        placement_dates(placement), defaults, horizon=add_months(today, PLANNING_HORIZON_MONTHS)
    )
    stored = {moment.key: moment for moment in placement.evaluation_moments}
    result = replan(
        [StoredMoment(m.key, m.due, m.status == MomentStatus.DONE) for m in stored.values()],
        planned,
        today,
    )
    for moment in result.add:
        placement.evaluation_moments.append(
            EvaluationMoment(key=moment.key, kind=moment.kind, due=moment.due)
        )
    for key, due in result.move:
        stored[key].due = due
        stored[key].status = MomentStatus.PLANNED  # a cancelled moment that is planned again
    for key in result.cancel:
        stored[key].status = MomentStatus.CANCELLED
    session.flush()


def extend_yearly_moments(session: Session, today: date) -> int:
    """Add the yearly check-ins of permanent placements that came within the planning horizon.

    Only missing `yearly:N` moments are added; stored moments are never moved or cancelled here,
    so later changes of the defaults do not rewrite history. Returns how many were added.
    """
    horizon = add_months(today, PLANNING_HORIZON_MONTHS)
    placements = session.scalars(
        select(Placement)
        .where(Placement.phase == Phase.VAST)
        .options(selectinload(Placement.contracts), selectinload(Placement.evaluation_moments))
    ).all()
    added = 0
    for placement in placements:
        stored = {moment.key for moment in placement.evaluation_moments}
        for moment in evaluation_moments(placement_dates(placement), horizon=horizon):
            if moment.kind == "yearly" and moment.key not in stored and moment.due >= today:
                placement.evaluation_moments.append(
                    EvaluationMoment(key=moment.key, kind=moment.kind, due=moment.due)
                )
                added += 1
    session.flush()
    return added
