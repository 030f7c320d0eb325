"""Risk signals on the caseload view: one function, so the rules are in one place and tested.

A reason carries a code and a number (days or a count); the portal words it in the user's language,
e.g. "contract eindigt over 23 dagen, nog geen besluit".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from portal.models.placements import Phase
from portal.services.schedule import add_months

CONTRACT_END_WARNING_DAYS = 90  # the first reminder goes out 3 months ahead
CONTRACT_END_URGENT_DAYS = 31
TRIAL_END_WARNING_DAYS = 14
EVALUATION_OVERDUE_URGENT_DAYS = 30
OPEN_REPORTS_URGENT = 3
REPORT_LATE_URGENT_DAYS = 30


class RiskLevel(enum.IntEnum):
    LOW = 0
    MEDIUM = 1
    HIGH = 2


@dataclass(frozen=True)
class CaseFacts:
    """What the caseload view knows of one current placement."""

    phase: Phase
    start: date
    trial_end: date | None = None
    contract_end: date | None = None
    contract_decision_recorded: bool = False
    next_evaluation_due: date | None = None
    open_reports: int = 0
    sick: bool = False
    # Open signals from evaluations: "wants_to_talk", "low_energy", "evaluation_gap".
    evaluation_signals: tuple[str, ...] = ()
    evaluation_gaps: int = 0  # questions on which the two views differ by 2 or more
    jobcoach_report_days_late: int = 0


@dataclass(frozen=True)
class RiskReason:
    code: str
    level: RiskLevel
    number: int | None = None  # days or a count, depending on the code


@dataclass(frozen=True)
class Risk:
    level: RiskLevel
    reasons: tuple[RiskReason, ...]


def assess(facts: CaseFacts, today: date) -> Risk:
    """Risk level and the reasons behind it, most serious first."""
    if facts.phase == Phase.BEEINDIGD:
        return Risk(RiskLevel.LOW, ())
    reasons: list[RiskReason] = []

    if facts.sick:
        reasons.append(RiskReason("sick", RiskLevel.HIGH))

    if (
        facts.phase == Phase.TIJDELIJK
        and facts.contract_end
        and not facts.contract_decision_recorded
    ):
        days = (facts.contract_end - today).days
        if days < 0:
            reasons.append(RiskReason("contract_end_passed_no_decision", RiskLevel.HIGH, -days))
        elif days <= CONTRACT_END_URGENT_DAYS:
            reasons.append(RiskReason("contract_ends_no_decision", RiskLevel.HIGH, days))
        elif days <= CONTRACT_END_WARNING_DAYS:
            reasons.append(RiskReason("contract_ends_no_decision", RiskLevel.MEDIUM, days))

    if facts.phase == Phase.PROEFPLAATSING and facts.trial_end:
        days = (facts.trial_end - today).days
        if days < 0:
            reasons.append(RiskReason("trial_ended_no_contract", RiskLevel.HIGH, -days))
        elif days <= TRIAL_END_WARNING_DAYS:
            reasons.append(RiskReason("trial_ends_soon", RiskLevel.MEDIUM, days))

    if facts.next_evaluation_due and facts.next_evaluation_due < today:
        days = (today - facts.next_evaluation_due).days
        level = RiskLevel.HIGH if days > EVALUATION_OVERDUE_URGENT_DAYS else RiskLevel.MEDIUM
        reasons.append(RiskReason("evaluation_overdue", level, days))

    if "wants_to_talk" in facts.evaluation_signals:
        reasons.append(RiskReason("wants_to_talk", RiskLevel.HIGH))
    if "low_energy" in facts.evaluation_signals:
        reasons.append(RiskReason("low_energy", RiskLevel.HIGH))
    if "evaluation_gap" in facts.evaluation_signals:
        reasons.append(RiskReason("evaluation_gap", RiskLevel.MEDIUM, facts.evaluation_gaps))

    if facts.jobcoach_report_days_late > 0:
        days = facts.jobcoach_report_days_late
        level = RiskLevel.HIGH if days > REPORT_LATE_URGENT_DAYS else RiskLevel.MEDIUM
        reasons.append(RiskReason("jobcoach_report_late", level, days))

    if facts.open_reports:
        level = RiskLevel.HIGH if facts.open_reports >= OPEN_REPORTS_URGENT else RiskLevel.MEDIUM
        reasons.append(RiskReason("open_reports", level, facts.open_reports))

    if facts.phase != Phase.VAST and today < add_months(facts.start, 6):
        reasons.append(RiskReason("first_half_year", RiskLevel.MEDIUM))

    reasons.sort(key=lambda reason: reason.level, reverse=True)
    level = max((reason.level for reason in reasons), default=RiskLevel.LOW)
    return Risk(level, tuple(reasons))
