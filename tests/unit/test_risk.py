"""The caseload risk rules: levels and the reasons in words (codes here, words in the view)."""

from datetime import date

from portal.models import Phase
from portal.services.risk import CaseFacts, RiskLevel, RiskReason, assess

TODAY = date(2026, 11, 24)
LONG_AGO = date(2024, 1, 1)


def _codes(risk):
    return [(reason.code, reason.level, reason.number) for reason in risk.reasons]


def test_a_quiet_permanent_placement_is_low_risk():
    risk = assess(CaseFacts(Phase.VAST, LONG_AGO, next_evaluation_due=date(2027, 1, 1)), TODAY)
    assert risk.level == RiskLevel.LOW
    assert risk.reasons == ()


def test_contract_ending_within_a_month_without_decision_is_high():
    facts = CaseFacts(Phase.TIJDELIJK, LONG_AGO, contract_end=date(2026, 12, 17))
    risk = assess(facts, TODAY)
    assert risk.level == RiskLevel.HIGH
    assert _codes(risk) == [("contract_ends_no_decision", RiskLevel.HIGH, 23)]


def test_contract_ending_within_three_months_is_medium_and_a_decision_removes_it():
    facts = CaseFacts(Phase.TIJDELIJK, LONG_AGO, contract_end=date(2027, 2, 1))
    assert _codes(assess(facts, TODAY)) == [("contract_ends_no_decision", RiskLevel.MEDIUM, 69)]
    decided = CaseFacts(
        Phase.TIJDELIJK, LONG_AGO, contract_end=date(2027, 2, 1), contract_decision_recorded=True
    )
    assert assess(decided, TODAY).level == RiskLevel.LOW


def test_contract_end_far_away_is_no_signal():
    facts = CaseFacts(Phase.TIJDELIJK, LONG_AGO, contract_end=date(2027, 6, 1))
    assert assess(facts, TODAY).reasons == ()


def test_contract_end_passed_without_decision():
    facts = CaseFacts(Phase.TIJDELIJK, LONG_AGO, contract_end=date(2026, 11, 20))
    assert _codes(assess(facts, TODAY)) == [("contract_end_passed_no_decision", RiskLevel.HIGH, 4)]


def test_first_half_year_is_a_risk_moment():
    risk = assess(CaseFacts(Phase.TIJDELIJK, date(2026, 6, 1)), TODAY)
    assert _codes(risk) == [("first_half_year", RiskLevel.MEDIUM, None)]
    assert assess(CaseFacts(Phase.TIJDELIJK, date(2026, 5, 24)), TODAY).reasons == ()


def test_evaluation_overdue_by_three_months_is_high():
    facts = CaseFacts(Phase.VAST, LONG_AGO, next_evaluation_due=date(2026, 8, 24))
    assert _codes(assess(facts, TODAY)) == [("evaluation_overdue", RiskLevel.HIGH, 92)]
    slightly = CaseFacts(Phase.VAST, LONG_AGO, next_evaluation_due=date(2026, 11, 14))
    assert _codes(assess(slightly, TODAY)) == [("evaluation_overdue", RiskLevel.MEDIUM, 10)]


def test_sickness_and_open_reports():
    facts = CaseFacts(Phase.VAST, LONG_AGO, sick=True, open_reports=1)
    assert _codes(assess(facts, TODAY)) == [
        ("sick", RiskLevel.HIGH, None),
        ("open_reports", RiskLevel.MEDIUM, 1),
    ]
    many = CaseFacts(Phase.VAST, LONG_AGO, open_reports=3)
    assert assess(many, TODAY).level == RiskLevel.HIGH


def test_trial_ending_soon_and_trial_passed():
    soon = CaseFacts(Phase.PROEFPLAATSING, date(2026, 10, 1), trial_end=date(2026, 11, 30))
    assert ("trial_ends_soon", RiskLevel.MEDIUM, 6) in _codes(assess(soon, TODAY))
    passed = CaseFacts(Phase.PROEFPLAATSING, date(2026, 9, 1), trial_end=date(2026, 10, 31))
    risk = assess(passed, TODAY)
    assert risk.level == RiskLevel.HIGH
    assert risk.reasons[0] == RiskReason("trial_ended_no_contract", RiskLevel.HIGH, 24)


def test_reasons_are_sorted_most_serious_first():
    facts = CaseFacts(
        Phase.TIJDELIJK,
        date(2026, 7, 1),
        contract_end=date(2026, 12, 1),
        next_evaluation_due=date(2026, 11, 20),
    )
    levels = [reason.level for reason in assess(facts, TODAY).reasons]
    assert levels == sorted(levels, reverse=True)
    assert levels[0] == RiskLevel.HIGH


def test_an_ended_placement_has_no_risk():
    facts = CaseFacts(Phase.BEEINDIGD, date(2026, 7, 1), sick=True, open_reports=4)
    assert assess(facts, TODAY).level == RiskLevel.LOW
