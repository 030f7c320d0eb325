"""Phase transitions, the contract chain (ketenbepaling), the risk moment and ending rules."""

from datetime import date

import pytest

from portal.models import Phase
from portal.reference_data import END_REASONS
from portal.services.placements import (
    CauseSide,
    Ending,
    Initiator,
    PlacementRuleError,
    RiskMoment,
    TemporaryContract,
    chain_status,
    check_transition,
    risk_moment,
    trial_end_default,
    validate_ending,
)

P, T, V, B = Phase.PROEFPLAATSING, Phase.TIJDELIJK, Phase.VAST, Phase.BEEINDIGD


@pytest.mark.parametrize(
    ("current", "new"), [(P, T), (P, V), (P, B), (T, T), (T, V), (T, B), (V, B)]
)
def test_allowed_transitions(current, new):
    check_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new"), [(V, T), (V, P), (T, P), (B, P), (B, T), (B, V), (P, P), (V, V), (B, B)]
)
def test_refused_transitions(current, new):
    with pytest.raises(PlacementRuleError) as error:
        check_transition(current, new)
    assert error.value.code == "transition_not_allowed"


def _c(start: str, end: str) -> TemporaryContract:
    return TemporaryContract(date.fromisoformat(start), date.fromisoformat(end))


def test_first_contract_starts_a_chain():
    status = chain_status([], _c("2026-01-01", "2026-06-30"))
    assert (status.number, status.warning, status.becomes_permanent_by_law) == (1, False, False)


def test_third_contract_is_the_last_allowed():
    previous = [_c("2024-01-01", "2024-06-30"), _c("2024-07-01", "2025-06-30")]
    status = chain_status(previous, _c("2025-07-01", "2026-06-30"))
    assert status.number == 3
    assert status.is_last_allowed and status.warning
    assert not status.becomes_permanent_by_law


def test_fourth_contract_would_become_permanent():
    previous = [
        _c("2024-01-01", "2024-03-31"),
        _c("2024-04-01", "2024-06-30"),
        _c("2024-07-01", "2024-12-31"),
    ]
    status = chain_status(previous, _c("2025-01-01", "2025-06-30"))
    assert status.number == 4
    assert status.exceeds_count and status.becomes_permanent_by_law


def test_more_than_three_years_becomes_permanent():
    previous = [_c("2023-01-01", "2024-12-31")]
    status = chain_status(previous, _c("2025-01-01", "2026-01-31"))
    assert status.number == 2
    assert status.exceeds_years and status.becomes_permanent_by_law
    exactly_three_years = chain_status(previous, _c("2025-01-01", "2026-01-01"))
    assert not exactly_three_years.exceeds_years


def test_a_break_of_more_than_six_months_resets_the_chain():
    previous = [_c("2023-01-01", "2023-06-30"), _c("2023-07-01", "2023-12-31")]
    after_long_break = chain_status(previous, _c("2024-07-02", "2024-12-31"))
    assert after_long_break.number == 1
    assert after_long_break.chain_start == date(2024, 7, 2)
    after_six_months_exactly = chain_status(previous, _c("2024-06-30", "2024-12-31"))
    assert after_six_months_exactly.number == 3


def test_chain_refuses_bad_dates():
    with pytest.raises(PlacementRuleError) as error:
        chain_status([], _c("2026-06-30", "2026-01-01"))
    assert error.value.code == "end_before_start"
    with pytest.raises(PlacementRuleError) as error:
        chain_status([_c("2026-03-01", "2026-08-31")], _c("2026-01-01", "2026-02-28"))
    assert error.value.code == "overlapping_contract"


START = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("phase", "end", "trial_end", "contract_end", "expected"),
    [
        (P, date(2026, 2, 1), date(2026, 3, 4), None, RiskMoment.DURING_TRIAL),
        (P, date(2026, 3, 4), date(2026, 3, 4), None, RiskMoment.AT_FIRST_CONTRACT),
        (T, date(2026, 5, 1), None, date(2026, 12, 31), RiskMoment.FIRST_HALF_YEAR),
        (T, date(2026, 7, 5), None, date(2026, 12, 31), RiskMoment.LATER_TEMPORARY),
        (T, date(2026, 7, 4), None, date(2026, 12, 31), RiskMoment.FIRST_HALF_YEAR),
        (T, date(2026, 12, 31), None, date(2026, 12, 31), RiskMoment.AT_TEMPORARY_TO_PERMANENT),
        (V, date(2029, 1, 1), None, None, RiskMoment.AFTER_PERMANENT),
    ],
)
def test_risk_moment(phase, end, trial_end, contract_end, expected):
    assert risk_moment(phase, START, end, trial_end, contract_end) == expected


def test_an_ended_placement_has_no_new_risk_moment():
    with pytest.raises(PlacementRuleError):
        risk_moment(B, START, date(2026, 2, 1))


def test_trial_lasts_two_months_by_default():
    assert trial_end_default(date(2026, 1, 5)) == date(2026, 3, 4)
    assert trial_end_default(date(2026, 12, 31)) == date(2027, 2, 28)
    assert trial_end_default(date(2027, 12, 31)) == date(2028, 2, 29)
    assert trial_end_default(date(2026, 3, 1)) == date(2026, 4, 30)


KNOWN = frozenset(reason.code for reason in END_REASONS)
NEEDS_TEXT = frozenset(reason.code for reason in END_REASONS if reason.needs_explanation)


def _ending(**changes) -> Ending:
    values = {
        "end_date": date(2026, 6, 1),
        "main_reason": "no_match",
        "initiator": Initiator.EMPLOYER,
        "cause": CauseSide.BOTH,
        "follow_up_owner_id": 1,
    }
    return Ending(**{**values, **changes})


def test_the_fixed_list_of_end_reasons():
    assert len(END_REASONS) == 26
    assert len(KNOWN) == 26
    assert {r.code for r in END_REASONS if r.needs_explanation} == {"other"}
    assert all(reason.label_nl and reason.label_en for reason in END_REASONS)


def test_valid_ending():
    assert (
        validate_ending(_ending(other_reasons=("high_workload",)), START, NEEDS_TEXT, KNOWN) == {}
    )


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"end_date": date(2025, 12, 31)}, "end_date", "end_before_start"),
        ({"main_reason": "bestaat-niet"}, "main_reason", "unknown_reason"),
        ({"main_reason": "other"}, "explanation", "explanation_required"),
        ({"main_reason": "other", "explanation": "   "}, "explanation", "explanation_required"),
        ({"other_reasons": ("bestaat-niet",)}, "other_reasons", "unknown_reason"),
        ({"other_reasons": ("no_match",)}, "other_reasons", "main_reason_repeated"),
    ],
)
def test_invalid_endings(changes, field, code):
    assert validate_ending(_ending(**changes), START, NEEDS_TEXT, KNOWN) == {field: code}


def test_other_with_explanation_is_valid():
    ending = _ending(main_reason="other", explanation="Verhuisd naar een andere regio")
    assert validate_ending(ending, START, NEEDS_TEXT, KNOWN) == {}


def test_no_riskpolis_basis():
    from portal.services.placements import NoRiskpolisBasis, no_riskpolis

    assert no_riskpolis("wajong", False) == (True, NoRiskpolisBasis.WAJONG)
    assert no_riskpolis("participatiewet", True) == (True, NoRiskpolisBasis.DOELGROEPREGISTER)
    assert no_riskpolis("praktijkroute", False) == (False, NoRiskpolisBasis.NOT_REGISTERED)


def test_subsidy_instrument_and_praktijkroute_measurement():
    from portal.services.placements import praktijkroute_measurement_due, subsidy_instrument

    assert subsidy_instrument("wajong") == "loondispensatie"
    assert subsidy_instrument("participatiewet") == "loonkostensubsidie"
    assert subsidy_instrument("praktijkroute") == "loonkostensubsidie"
    assert praktijkroute_measurement_due(date(2026, 8, 31)) == date(2027, 2, 28)
