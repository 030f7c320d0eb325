"""The placement's rules (DESIGN §4): phase transitions, the contract chain and the risk moment.

Errors carry a code and parameters, not text: the portal renders them in the user's language.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from portal.models.placements import Phase
from portal.services.schedule import add_months

ALLOWED_TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.PROEFPLAATSING: frozenset({Phase.TIJDELIJK, Phase.VAST, Phase.BEEINDIGD}),
    # tijdelijk -> tijdelijk is a renewal: the next contract in the chain.
    Phase.TIJDELIJK: frozenset({Phase.TIJDELIJK, Phase.VAST, Phase.BEEINDIGD}),
    Phase.VAST: frozenset({Phase.BEEINDIGD}),
    Phase.BEEINDIGD: frozenset(),
}

# Ketenbepaling since 2020 (a CAO may differ): more than 3 temporary contracts or more than 3 years
# make a permanent contract; a break of more than 6 months starts a new chain.
MAX_TEMPORARY_CONTRACTS = 3
MAX_CHAIN_YEARS = 3
CHAIN_BREAK_MONTHS = 6


class PlacementRuleError(ValueError):
    """A change that the placement rules do not allow; `code` names the rule."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def check_transition(current: Phase, new: Phase) -> None:
    if new not in ALLOWED_TRANSITIONS[current]:
        raise PlacementRuleError("transition_not_allowed", current=current, new=new)


@dataclass(frozen=True)
class TemporaryContract:
    start: date
    end: date


@dataclass(frozen=True)
class ChainStatus:
    """Where a proposed temporary contract stands in the chain."""

    number: int  # the proposed contract's number in the current chain (1 = first)
    chain_start: date
    exceeds_count: bool  # it would be the 4th (or later) temporary contract
    exceeds_years: bool  # the chain would last more than 3 years
    is_last_allowed: bool  # it is the 3rd: the next one must be permanent

    @property
    def warning(self) -> bool:
        return self.exceeds_count or self.exceeds_years or self.is_last_allowed

    @property
    def becomes_permanent_by_law(self) -> bool:
        return self.exceeds_count or self.exceeds_years


def chain_status(previous: list[TemporaryContract], proposed: TemporaryContract) -> ChainStatus:
    """Count the proposed contract in the current chain; a break of more than 6 months resets it."""
    if proposed.end < proposed.start:
        raise PlacementRuleError("end_before_start")
    chain: list[TemporaryContract] = []
    for contract in sorted(previous, key=lambda c: c.start):
        if contract.start >= proposed.start:
            raise PlacementRuleError("overlapping_contract", start=contract.start)
        if chain and add_months(chain[-1].end, CHAIN_BREAK_MONTHS) < contract.start:
            chain = []
        chain.append(contract)
    if chain and add_months(chain[-1].end, CHAIN_BREAK_MONTHS) < proposed.start:
        chain = []
    number = len(chain) + 1
    chain_start = chain[0].start if chain else proposed.start
    return ChainStatus(
        number=number,
        chain_start=chain_start,
        exceeds_count=number > MAX_TEMPORARY_CONTRACTS,
        exceeds_years=proposed.end > add_months(chain_start, 12 * MAX_CHAIN_YEARS),
        is_last_allowed=number == MAX_TEMPORARY_CONTRACTS,
    )


class RiskMoment(enum.StrEnum):
    """When in the placement it ended: the region counts endings per risk moment."""

    DURING_TRIAL = "during_trial"
    AT_FIRST_CONTRACT = "at_first_contract"
    FIRST_HALF_YEAR = "first_half_year"
    LATER_TEMPORARY = "later_temporary"
    AT_TEMPORARY_TO_PERMANENT = "at_temporary_to_permanent"
    AFTER_PERMANENT = "after_permanent"


def risk_moment(
    phase: Phase,
    start: date,
    end: date,
    trial_end: date | None = None,
    contract_end: date | None = None,
) -> RiskMoment:
    """Derive the risk moment of an ending from the phase it ended in and the dates."""
    if phase == Phase.PROEFPLAATSING:
        if trial_end is not None and end >= trial_end:
            return RiskMoment.AT_FIRST_CONTRACT  # the trial ran its term, no contract followed
        return RiskMoment.DURING_TRIAL
    if phase == Phase.TIJDELIJK:
        if contract_end is not None and end >= contract_end:
            return RiskMoment.AT_TEMPORARY_TO_PERMANENT  # not renewed, no permanent contract
        if end < add_months(start, 6):
            return RiskMoment.FIRST_HALF_YEAR
        return RiskMoment.LATER_TEMPORARY
    if phase == Phase.VAST:
        return RiskMoment.AFTER_PERMANENT
    raise PlacementRuleError("already_ended")


class Initiator(enum.StrEnum):
    EMPLOYER = "employer"
    WORKER = "worker"
    MUNICIPALITY_OR_UWV = "municipality_or_uwv"


class CauseSide(enum.StrEnum):
    EMPLOYER = "employer"
    WORKER = "worker"
    BOTH = "both"
    EXTERNAL = "external"


@dataclass(frozen=True)
class Ending:
    """What ending a placement must record (DESIGN §7)."""

    end_date: date
    main_reason: str  # code of an end reason (reference data)
    initiator: Initiator
    cause: CauseSide
    follow_up_owner_id: int  # who follows the worker up now
    other_reasons: tuple[str, ...] = ()
    explanation: str = ""
    lessons: str = ""


def validate_ending(
    ending: Ending, start: date, reasons_needing_explanation: frozenset[str], known: frozenset[str]
) -> dict[str, str]:
    """Return rule codes per field for an ending that cannot be stored; empty when it is valid."""
    errors: dict[str, str] = {}
    if ending.end_date < start:
        errors["end_date"] = "end_before_start"
    if ending.main_reason not in known:
        errors["main_reason"] = "unknown_reason"
    elif ending.main_reason in reasons_needing_explanation and not ending.explanation.strip():
        errors["explanation"] = "explanation_required"
    unknown_others = [code for code in ending.other_reasons if code not in known]
    if unknown_others:
        errors["other_reasons"] = "unknown_reason"
    elif ending.main_reason in ending.other_reasons:
        errors["other_reasons"] = "main_reason_repeated"
    return errors


def trial_end_default(trial_start: date) -> date:
    """The last day of a two-month proefplaatsing: the day before the same date two months on,
    or the end of that month when the date does not exist there (31 December -> 28 February)."""
    same_date = add_months(trial_start, 2)
    if same_date.day != trial_start.day:
        return same_date
    return same_date - timedelta(days=1)


class NoRiskpolisBasis(enum.StrEnum):
    WAJONG = "wajong"
    DOELGROEPREGISTER = "doelgroepregister"
    NOT_REGISTERED = "not_registered"


def no_riskpolis(regime: str, in_doelgroepregister: bool) -> tuple[bool, NoRiskpolisBasis]:
    """Whether the no-riskpolis (art. 29b Ziektewet) applies, and why (DESIGN §8)."""
    if regime == "wajong":
        return True, NoRiskpolisBasis.WAJONG
    if in_doelgroepregister:
        return True, NoRiskpolisBasis.DOELGROEPREGISTER
    # E.g. the Praktijkroute before the loonwaarde measurement puts the worker in the register.
    return False, NoRiskpolisBasis.NOT_REGISTERED


def subsidy_instrument(regime: str) -> str:
    """Wajong: loondispensatie (UWV); Participatiewet and Praktijkroute: LKS (the municipality)."""
    return "loondispensatie" if regime == "wajong" else "loonkostensubsidie"


def praktijkroute_measurement_due(start: date) -> date:
    """The Praktijkroute measures the loonwaarde six months after the start."""
    return add_months(start, 6)
