"""Evaluation moments of a placement (DESIGN §4) and their re-planning when dates change."""

from datetime import date

import pytest

from portal.services.schedule import (
    Contract,
    PlacementDates,
    PlannedMoment,
    ReplanResult,
    ScheduleDefaults,
    StoredMoment,
    add_months,
    evaluation_moments,
    replan,
)

START = date(2026, 3, 2)
TRIAL_END = date(2026, 5, 1)
FIRST = Contract("tijdelijk", date(2026, 5, 2), date(2026, 11, 1), number=1)
SECOND = Contract("tijdelijk", date(2026, 11, 2), date(2027, 11, 1), number=2)
PERMANENT = Contract("vast", date(2027, 11, 2), None)


def moments(**kwargs) -> list[tuple[str, date]]:
    """The (key, due) pairs of a placement starting at START, for short assertions."""
    defaults = kwargs.pop("defaults", ScheduleDefaults())
    horizon = kwargs.pop("horizon", None)
    dates = PlacementDates(start=kwargs.pop("start", START), **kwargs)
    return [(m.key, m.due) for m in evaluation_moments(dates, defaults, horizon)]


def only(kind: str, **kwargs) -> list[tuple[str, date]]:
    return [(key, due) for key, due in moments(**kwargs) if key.split(":")[0] == kind]


# add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 2), 1, date(2026, 4, 2)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 8, 31), -2, date(2026, 6, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
    ],
)
def test_add_months_counts_calendar_months_and_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


# evaluation_moments with the defaults


def test_defaults_plan_the_trial_end_and_1_3_6_months_after_start():
    assert moments(trial_end=TRIAL_END) == [
        ("after_start:1", date(2026, 4, 2)),
        ("trial_end", date(2026, 5, 1)),
        ("after_start:3", date(2026, 6, 2)),
        ("after_start:6", date(2026, 9, 2)),
    ]
    assert all(
        m.kind == m.key.split(":")[0]
        for m in evaluation_moments(PlacementDates(START, TRIAL_END, (FIRST, PERMANENT)))
    )


def test_no_trial_end_moment_without_a_trial():
    assert only("trial_end") == []


def test_two_months_before_the_end_of_each_temporary_contract_by_number():
    assert only("before_contract_end", contracts=(FIRST, SECOND)) == [
        ("before_contract_end:1", date(2026, 9, 1)),
        ("before_contract_end:2", date(2027, 9, 1)),
    ]


def test_before_contract_end_clamps_to_the_month_end():
    contract = Contract("tijdelijk", date(2026, 3, 2), date(2026, 8, 31), number=3)
    assert only("before_contract_end", contracts=(contract,)) == [
        ("before_contract_end:3", date(2026, 6, 30))
    ]


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (date(2026, 6, 15), date(2026, 5, 2)),  # six weeks: clamped to the contract start
        (date(2026, 7, 2), date(2026, 5, 2)),  # exactly two months: due on the start itself
        (date(2026, 7, 3), date(2026, 5, 3)),  # one day longer: no longer clamped
    ],
)
def test_short_temporary_contract_is_evaluated_no_earlier_than_its_start(end, expected):
    contract = Contract("tijdelijk", date(2026, 5, 2), end)
    assert only("before_contract_end", contracts=(contract,)) == [
        ("before_contract_end:1", expected)
    ]


def test_temporary_contract_without_end_date_has_no_moment_before_its_end():
    contract = Contract("tijdelijk", date(2026, 5, 2), None)
    assert only("before_contract_end", contracts=(contract,)) == []


def test_only_the_first_yearly_moment_without_a_horizon():
    assert only("yearly", contracts=(PERMANENT,)) == [("yearly:1", date(2028, 11, 2))]


@pytest.mark.parametrize(
    ("horizon", "expected"),
    [
        (
            date(2030, 11, 2),
            [
                ("yearly:1", date(2028, 11, 2)),
                ("yearly:2", date(2029, 11, 2)),
                ("yearly:3", date(2030, 11, 2)),
            ],
        ),
        (date(2030, 11, 1), [("yearly:1", date(2028, 11, 2)), ("yearly:2", date(2029, 11, 2))]),
        (date(2028, 11, 1), []),
    ],
)
def test_yearly_moments_run_up_to_and_including_the_horizon(horizon, expected):
    assert only("yearly", contracts=(PERMANENT,), horizon=horizon) == expected


def test_yearly_moments_from_29_february_return_to_the_29th_in_leap_years():
    contract = Contract("vast", date(2028, 2, 29), None)
    assert only("yearly", contracts=(contract,), horizon=date(2032, 2, 29)) == [
        ("yearly:1", date(2029, 2, 28)),
        ("yearly:2", date(2030, 2, 28)),
        ("yearly:3", date(2031, 2, 28)),
        ("yearly:4", date(2032, 2, 29)),
    ]


def test_horizon_does_not_limit_the_other_moments():
    assert only("after_start", horizon=date(2026, 3, 3)) == [
        ("after_start:1", date(2026, 4, 2)),
        ("after_start:3", date(2026, 6, 2)),
        ("after_start:6", date(2026, 9, 2)),
    ]


def test_full_chain_from_trial_to_permanent():
    assert moments(
        trial_end=TRIAL_END, contracts=(FIRST, SECOND, PERMANENT), horizon=date(2029, 11, 2)
    ) == [
        ("after_start:1", date(2026, 4, 2)),
        ("trial_end", date(2026, 5, 1)),
        ("after_start:3", date(2026, 6, 2)),
        ("before_contract_end:1", date(2026, 9, 1)),
        ("after_start:6", date(2026, 9, 2)),
        ("before_contract_end:2", date(2027, 9, 1)),
        ("yearly:1", date(2028, 11, 2)),
        ("yearly:2", date(2029, 11, 2)),
    ]


# leap years and month ends


@pytest.mark.parametrize(
    ("start", "one_month"),
    [(date(2028, 1, 31), date(2028, 2, 29)), (date(2027, 1, 31), date(2027, 2, 28))],
)
def test_one_month_after_31_january_is_the_end_of_february(start, one_month):
    assert only("after_start", start=start)[0] == ("after_start:1", one_month)


def test_start_on_31_august_clamps_every_after_start_moment():
    assert only("after_start", start=date(2026, 8, 31)) == [
        ("after_start:1", date(2026, 9, 30)),
        ("after_start:3", date(2026, 11, 30)),
        ("after_start:6", date(2027, 2, 28)),
    ]


# custom defaults


def test_custom_defaults_replace_the_standard_moments():
    custom = ScheduleDefaults(
        at_trial_end=False,
        months_after_start=(2,),
        months_before_temporary_end=1,
        yearly_after_permanent=False,
    )
    assert moments(trial_end=TRIAL_END, contracts=(FIRST, PERMANENT), defaults=custom) == [
        ("after_start:2", date(2026, 5, 2)),
        ("before_contract_end:1", date(2026, 10, 1)),
    ]


def test_no_moments_after_start_when_the_list_is_empty():
    assert moments(defaults=ScheduleDefaults(months_after_start=())) == []


# ended placements


@pytest.mark.parametrize(
    ("end", "expected_keys"),
    [
        (date(2026, 6, 1), ["after_start:1", "trial_end"]),
        (date(2026, 6, 2), ["after_start:1", "trial_end", "after_start:3"]),  # due on the end
        (date(2026, 4, 1), []),
    ],
)
def test_ended_placement_has_no_moments_after_its_end(end, expected_keys):
    planned = moments(trial_end=TRIAL_END, contracts=(FIRST, PERMANENT), end=end)
    assert [key for key, _ in planned] == expected_keys


def test_ended_placement_stops_yearly_moments_within_the_horizon():
    planned = only(
        "yearly", contracts=(PERMANENT,), end=date(2029, 12, 31), horizon=date(2035, 1, 1)
    )
    assert planned == [("yearly:1", date(2028, 11, 2)), ("yearly:2", date(2029, 11, 2))]


# sorting and identity


def test_moments_on_the_same_day_are_kept_and_sorted_by_key():
    contract = Contract("tijdelijk", date(2026, 2, 2), date(2026, 6, 2), number=1)
    planned = moments(trial_end=date(2026, 4, 2), contracts=(contract,))
    assert planned == [
        ("after_start:1", date(2026, 4, 2)),
        ("before_contract_end:1", date(2026, 4, 2)),
        ("trial_end", date(2026, 4, 2)),
        ("after_start:3", date(2026, 6, 2)),
        ("after_start:6", date(2026, 9, 2)),
    ]


def test_duplicate_contract_numbers_are_refused():
    second_with_same_number = Contract("tijdelijk", SECOND.start, SECOND.end, number=1)
    with pytest.raises(ValueError, match="duplicate"):
        moments(contracts=(FIRST, second_with_same_number))


def test_unknown_contract_kind_is_refused():
    with pytest.raises(ValueError, match="unknown contract kind"):
        moments(contracts=(Contract("oproep", START, None),))


# replan

TODAY = date(2026, 6, 1)


def planned(*pairs: tuple[str, date]) -> list[PlannedMoment]:
    return [PlannedMoment(key.split(":")[0], due, key) for key, due in pairs]


def test_done_moments_are_never_touched():
    stored = [
        StoredMoment("after_start:3", date(2026, 6, 2), done=True),
        StoredMoment("trial_end", date(2026, 7, 1), done=True),
    ]
    result = replan(stored, planned(("after_start:3", date(2026, 8, 1))), TODAY)
    assert result == ReplanResult(add=[], move=[], cancel=[])


def test_overdue_moments_are_kept_as_they_are():
    stored = [
        StoredMoment("after_start:1", date(2026, 4, 2), done=False),
        StoredMoment("trial_end", date(2026, 5, 31), done=False),
    ]
    result = replan(stored, planned(("after_start:1", date(2026, 7, 1))), TODAY)
    assert result == ReplanResult(add=[], move=[], cancel=[])


def test_future_moment_with_a_new_date_is_moved():
    stored = [
        StoredMoment("before_contract_end:1", date(2026, 9, 1), done=False),
        StoredMoment("after_start:6", date(2026, 9, 2), done=False),
    ]
    new = planned(("before_contract_end:1", date(2026, 10, 1)), ("after_start:6", date(2026, 9, 2)))
    assert replan(stored, new, TODAY) == ReplanResult(
        add=[], move=[("before_contract_end:1", date(2026, 10, 1))], cancel=[]
    )


def test_future_moment_no_longer_planned_is_cancelled():
    stored = [StoredMoment("before_contract_end:2", date(2027, 9, 1), done=False)]
    assert replan(stored, [], TODAY) == ReplanResult(
        add=[], move=[], cancel=["before_contract_end:2"]
    )


def test_new_future_moment_is_added_but_a_past_one_is_not():
    new = planned(
        ("after_start:1", date(2026, 4, 2)),
        ("after_start:3", TODAY),
        ("after_start:6", date(2026, 9, 2)),
    )
    result = replan([], new, TODAY)
    assert [m.key for m in result.add] == ["after_start:3", "after_start:6"]
    assert result.move == [] and result.cancel == []


def test_a_moment_due_today_still_counts_as_future():
    stored = [StoredMoment("trial_end", TODAY, done=False)]
    assert replan(stored, [], TODAY).cancel == ["trial_end"]


def test_future_moment_moved_into_the_past_is_still_moved():
    stored = [StoredMoment("after_start:3", date(2026, 6, 2), done=False)]
    result = replan(stored, planned(("after_start:3", date(2026, 5, 20))), TODAY)
    assert result.move == [("after_start:3", date(2026, 5, 20))]


def test_extending_a_contract_replans_only_what_is_still_ahead():
    before = PlacementDates(START, TRIAL_END, (FIRST,))
    stored = [
        StoredMoment(m.key, m.due, done=m.key == "after_start:1")
        for m in evaluation_moments(before)
    ]
    extended = Contract("tijdelijk", FIRST.start, date(2027, 5, 1), number=1)
    second = Contract("tijdelijk", date(2027, 5, 2), date(2028, 5, 1), number=2)
    after = evaluation_moments(PlacementDates(START, TRIAL_END, (extended, second)))
    result = replan(stored, after, TODAY)
    assert result.move == [("before_contract_end:1", date(2027, 3, 1))]
    assert result.cancel == []
    assert [(m.key, m.due) for m in result.add] == [("before_contract_end:2", date(2028, 3, 1))]
