"""The contact person's caseload with risk levels, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.models import (
    ContractDecision,
    ContractKind,
    MomentStatus,
    Phase,
    Placement,
    User,
)
from portal.services.coaching import coaching_summaries
from portal.services.contacts import caseload_workers
from portal.services.evaluations import EvaluationFacts, evaluation_facts
from portal.services.problem_reports import open_report_counts
from portal.services.risk import CaseFacts, Risk, RiskLevel, assess
from portal.services.sickness import sick_worker_ids


@dataclass(frozen=True)
class CaseloadRow:
    worker: User
    placement: Placement | None
    days_to_contract_end: int | None
    next_evaluation: date | None
    risk: Risk


SORT_KEYS = {
    "risico": lambda row: (-row.risk.level, row.worker.last_name),
    "naam": lambda row: (row.worker.last_name, row.worker.first_name),
    "fase": lambda row: (row.placement.phase.value if row.placement else "~", row.worker.last_name),
    "contracteinde": lambda row: (
        row.days_to_contract_end if row.days_to_contract_end is not None else 10**6,
        row.worker.last_name,
    ),
    "evaluatie": lambda row: (row.next_evaluation or date.max, row.worker.last_name),
}


def caseload_rows(
    session: Session, contact_person_id: int, today: date, sort: str = "risico"
) -> list[CaseloadRow]:
    """One row per worker in the caseload, with the current (or latest) placement."""
    workers = caseload_workers(session, contact_person_id)
    placements = session.scalars(
        select(Placement)
        .where(Placement.worker_id.in_([worker.id for worker in workers]))
        .options(
            joinedload(Placement.employer),
            selectinload(Placement.contracts),
            selectinload(Placement.evaluation_moments),
        )
        .order_by(Placement.start_date)
    ).all()
    current: dict[int, Placement] = {}
    for placement in placements:  # ordered by start: the last one per worker wins
        current[placement.worker_id] = placement
    decided = set(
        session.scalars(
            select(ContractDecision.contract_id).where(
                ContractDecision.placement_id.in_([p.id for p in current.values()])
            )
        )
    )
    live = [p for p in current.values() if p.phase != Phase.BEEINDIGD]
    evaluations = evaluation_facts(session, [p.id for p in live])
    late = {
        summary.placement.id: summary.status.days_late
        for summary in coaching_summaries(session, [p for p in live if p.jobcoach_id], today)
        if summary.status is not None
    }
    worker_ids = [worker.id for worker in workers]
    known = _Known(
        decided,
        evaluations,
        late,
        sick_worker_ids(session, worker_ids),
        open_report_counts(session, worker_ids),
    )
    rows = [_row(worker, current.get(worker.id), known, today) for worker in workers]
    return sorted(rows, key=SORT_KEYS.get(sort, SORT_KEYS["risico"]))


@dataclass(frozen=True)
class _Known:
    """What the caseload fetched for all its workers at once."""

    decided: set[int]  # contract ids with a decision
    evaluations: EvaluationFacts
    late: dict[int, int]  # days a jobcoach report is late, per placement id
    sick: set[int]  # worker ids with an open sick report
    open_reports: dict[int, int]  # open meldingen per worker id


def _row(worker: User, placement: Placement | None, known: _Known, today: date) -> CaseloadRow:
    if placement is None:
        return CaseloadRow(worker, None, None, None, Risk(RiskLevel.LOW, ()))
    contract = placement.contracts[-1] if placement.contracts else None
    temporary = contract is not None and contract.kind == ContractKind.TIJDELIJK
    # a moment both sides answered waits for the follow-up, which its signals cover
    next_due = min(
        (
            m.due
            for m in placement.evaluation_moments
            if m.status == MomentStatus.PLANNED and m.id not in known.evaluations.answered
        ),
        default=None,
    )
    signals = known.evaluations.signals.get(placement.id, ())
    facts = CaseFacts(
        phase=placement.phase,
        start=placement.start_date,
        trial_end=placement.trial_end,
        contract_end=contract.end_date if temporary else None,
        contract_decision_recorded=contract is not None and contract.id in known.decided,
        next_evaluation_due=next_due,
        evaluation_signals=tuple(signal.code for signal in signals),
        evaluation_gaps=sum(signal.count for signal in signals if signal.code == "evaluation_gap"),
        jobcoach_report_days_late=known.late.get(placement.id, 0),
        open_reports=known.open_reports.get(worker.id, 0),
        sick=worker.id in known.sick,
    )
    days = (
        (contract.end_date - today).days
        if temporary and contract.end_date and placement.phase != Phase.BEEINDIGD
        else None
    )
    return CaseloadRow(worker, placement, days, next_due, assess(facts, today))
