"""The placement facts for the regional statistics (`portal.services.statistics`), read from the
database in three queries: placements with the worker's regime and municipality and the end
reason, the current temporary contracts, and the contracts with a decision. Nothing personal
leaves this module: no names, no ids."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Municipality, Placement, WorkerProfile
from portal.models.placements import (
    ContractDecision,
    ContractKind,
    EndReason,
    Phase,
    PlacementContract,
)
from portal.services.routing import NoRoute, executing_organisation
from portal.services.schedule import add_months
from portal.services.statistics import PlacementFacts

UNKNOWN = "unknown"  # a worker without a profile or a route: still counted, not dropped


def placement_facts(session: Session, today: date, horizon_months: int = 3) -> list[PlacementFacts]:
    """Every placement as facts. A decision is pending when the current temporary contract ends
    within `horizon_months` (or has ended) and the employer has not decided on it."""
    rows = session.execute(
        select(
            Placement.id,
            Placement.start_date,
            Placement.end_date,
            Placement.phase,
            Placement.self_found,
            Placement.end_risk_moment,
            EndReason.code,
            WorkerProfile.regime,
            Municipality.name,
        )
        .outerjoin(EndReason, EndReason.id == Placement.end_reason_id)
        .outerjoin(WorkerProfile, WorkerProfile.user_id == Placement.worker_id)
        .outerjoin(Municipality, Municipality.id == WorkerProfile.municipality_id)
        .order_by(Placement.id)
    ).all()
    latest: dict[int, PlacementContract] = {}
    for contract in session.scalars(select(PlacementContract).order_by(PlacementContract.id)):
        latest[contract.placement_id] = contract
    decided = set(session.scalars(select(ContractDecision.contract_id)))
    horizon = add_months(today, horizon_months)
    facts = []
    for pid, start, end, phase, found, moment, reason, regime, municipality in rows:
        contract = latest.get(pid)
        pending = (
            phase == Phase.TIJDELIJK
            and contract is not None
            and contract.kind == ContractKind.TIJDELIJK
            and contract.end_date is not None
            and contract.end_date <= horizon
            and contract.id not in decided
        )
        facts.append(
            PlacementFacts(
                start=start,
                end=end,
                phase=phase.value,
                organisation=_organisation(regime, municipality),
                municipality=municipality or UNKNOWN,
                end_reason=reason,
                risk_moment=moment,
                self_found=found,
                decision_pending=pending,
            )
        )
    return facts


def _organisation(regime, municipality: str | None) -> str:
    if regime is None or municipality is None:
        return UNKNOWN
    try:
        return executing_organisation(regime.value, municipality)
    except NoRoute:
        return UNKNOWN
