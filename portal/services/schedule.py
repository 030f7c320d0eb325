"""The evaluation schedule of a placement, re-planned when its dates change (DESIGN §4)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

TEMPORARY = "tijdelijk"
PERMANENT = "vast"


@dataclass(frozen=True)
class ScheduleDefaults:
    """Defaults an administrator can change; stored moments are not rewritten when they change."""

    at_trial_end: bool = True
    months_after_start: tuple[int, ...] = (1, 3, 6)
    months_before_temporary_end: int = 2
    yearly_after_permanent: bool = True


DEFAULTS = ScheduleDefaults()


@dataclass(frozen=True)
class Contract:
    """A contract of the placement: `tijdelijk` (with an end date) or `vast` (without one)."""

    kind: str
    start: date
    end: date | None
    number: int = 1  # place of a temporary contract in the chain (1, 2, 3...)


@dataclass(frozen=True)
class PlacementDates:
    """The dates of a placement that the schedule depends on; `end` is set once it has ended."""

    start: date
    trial_end: date | None = None
    contracts: tuple[Contract, ...] = ()
    end: date | None = None


@dataclass(frozen=True)
class PlannedMoment:
    """An evaluation that should take place; `key` identifies it across changes of dates."""

    kind: str
    due: date
    key: str


@dataclass(frozen=True)
class StoredMoment:
    """An evaluation moment as it was saved earlier."""

    key: str
    due: date
    done: bool


@dataclass(frozen=True)
class ReplanResult:
    """What to do with the stored moments: add new ones, move some to a new date, cancel others."""

    add: list[PlannedMoment]
    move: list[tuple[str, date]]
    cancel: list[str]


def add_months(day: date, months: int) -> date:
    """Return `day` moved by calendar months (negative allowed), clamped to the end of the month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def evaluation_moments(
    dates: PlacementDates, defaults: ScheduleDefaults = DEFAULTS, horizon: date | None = None
) -> list[PlannedMoment]:
    """Return the evaluation moments of a placement, sorted by due date and key.

    Yearly moments after a permanent contract run up to and including `horizon`; without a horizon
    only the first one is planned, so the result never depends on the current date.
    """
    moments: list[PlannedMoment] = []
    if defaults.at_trial_end and dates.trial_end is not None:
        moments.append(PlannedMoment("trial_end", dates.trial_end, "trial_end"))
    for months in defaults.months_after_start:
        due = add_months(dates.start, months)
        moments.append(PlannedMoment("after_start", due, f"after_start:{months}"))
    for contract in dates.contracts:
        if contract.kind == TEMPORARY:
            if contract.end is not None:
                # A contract shorter than the lead time is evaluated on its first day, not before.
                due = max(
                    add_months(contract.end, -defaults.months_before_temporary_end), contract.start
                )
                key = f"before_contract_end:{contract.number}"
                moments.append(PlannedMoment("before_contract_end", due, key))
        elif contract.kind == PERMANENT:
            if defaults.yearly_after_permanent:
                moments.extend(_yearly(contract.start, horizon))
        else:
            raise ValueError(f"unknown contract kind {contract.kind!r}")

    if dates.end is not None:
        moments = [moment for moment in moments if moment.due <= dates.end]
    keys = [moment.key for moment in moments]
    if len(keys) != len(set(keys)):
        # Keys are how `replan` recognises a moment; two alike would make it move the wrong one.
        raise ValueError(f"duplicate evaluation moments in {sorted(keys)}")
    return sorted(moments, key=lambda moment: (moment.due, moment.key))


def _yearly(start: date, horizon: date | None) -> list[PlannedMoment]:
    if horizon is None:
        horizon = add_months(start, 12)
    moments: list[PlannedMoment] = []
    year = 1
    # Counted from the start each time, so a 29 February start returns to the 29th in leap years.
    while (due := add_months(start, 12 * year)) <= horizon:
        moments.append(PlannedMoment("yearly", due, f"yearly:{year}"))
        year += 1
    return moments


def replan(stored: list[StoredMoment], planned: list[PlannedMoment], today: date) -> ReplanResult:
    """Compare the stored moments with a fresh plan; only future moments not yet done change.

    Done moments and overdue ones (before `today`, not done) are history and stay as they are.
    Planned moments before `today` that were never stored are not added: they would be overdue
    the moment they appear, for an evaluation nobody was ever asked to do. A stored future moment
    whose new date has passed is still moved, not dropped: it was announced and is still owed.
    """
    planned_by_key = {moment.key: moment for moment in planned}
    stored_keys = {moment.key for moment in stored}
    move: list[tuple[str, date]] = []
    cancel: list[str] = []
    for moment in stored:
        if moment.done or moment.due < today:
            continue
        new = planned_by_key.get(moment.key)
        if new is None:
            cancel.append(moment.key)
        elif new.due != moment.due:
            move.append((moment.key, new.due))
    add = [m for m in planned if m.key not in stored_keys and m.due >= today]
    return ReplanResult(add=add, move=move, cancel=cancel)
