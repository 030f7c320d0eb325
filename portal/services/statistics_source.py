"""The placement facts for the regional statistics (`portal.services.statistics`), read from the
database in one query (and the routing table): each placement with the worker's regime and
municipality, the end reason, its current contract and whether that contract has a decision.
Nothing personal leaves this module: no names, no ids."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from portal.models import Municipality, Placement, WorkerProfile
from portal.models.placements import (
    ContractDecision,
    ContractKind,
    EndReason,
    Phase,
    PlacementContract,
)
from portal.services.routing import NoRoute, Rule, executing_organisation, load_rules
from portal.services.schedule import add_months
from portal.services.statistics import PlacementFacts

UNKNOWN = "unknown"  # a worker without a profile or a route: still counted, not dropped


def placement_facts(session: Session, today: date, horizon_months: int = 3) -> list[PlacementFacts]:
    """Every placement as facts. A decision is pending when the current temporary contract ends
    within `horizon_months` (or has ended) and the employer has not decided on it."""
    later = aliased(PlacementContract)
    current_contract = and_(
        PlacementContract.placement_id == Placement.id,
        ~exists().where(later.placement_id == Placement.id, later.id > PlacementContract.id),
    )
    rows = session.execute(
        select(
            Placement.start_date,
            Placement.end_date,
            Placement.phase,
            Placement.self_found,
            Placement.end_risk_moment,
            EndReason.code,
            WorkerProfile.regime,
            Municipality.name,
            PlacementContract.kind,
            PlacementContract.end_date,
            ContractDecision.id.is_not(None),
        )
        .outerjoin(EndReason, EndReason.id == Placement.end_reason_id)
        .outerjoin(WorkerProfile, WorkerProfile.user_id == Placement.worker_id)
        .outerjoin(Municipality, Municipality.id == WorkerProfile.municipality_id)
        .outerjoin(PlacementContract, current_contract)
        .outerjoin(ContractDecision, ContractDecision.contract_id == PlacementContract.id)
        .order_by(Placement.id)
    ).all()
    horizon = add_months(today, horizon_months)
    rules = load_rules(session)
    return [
        PlacementFacts(
            start=start,
            # An ending recorded ahead (a decision not to renew) counts once the day has come.
            end=end if end is not None and end <= today else None,
            phase=phase.value,
            organisation=_organisation(regime, municipality, rules),
            municipality=municipality or UNKNOWN,
            end_reason=reason,
            risk_moment=moment,
            self_found=found,
            decision_pending=(
                phase == Phase.TIJDELIJK
                and kind == ContractKind.TIJDELIJK
                and contract_end is not None
                and contract_end <= horizon
                and not decided
            ),
        )
        for (
            start,
            end,
            phase,
            found,
            moment,
            reason,
            regime,
            municipality,
            kind,
            contract_end,
            decided,
        ) in rows
    ]


def _organisation(regime, municipality: str | None, rules: list[Rule]) -> str:
    if regime is None or municipality is None:
        return UNKNOWN
    try:
        return executing_organisation(regime.value, municipality, rules)
    except NoRoute:
        return UNKNOWN
