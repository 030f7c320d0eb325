"""Regional statistics over placements (DESIGN §1: why jobs end, and when): plain functions over
plain facts, no database and no Flask, so they are tested on generated data with known answers.

The numbers are aggregates only. `suppress` hides cells of fewer than `MIN_CELL` people, and a
second cell of the same group when one hidden cell could otherwise be worked out from the total.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from portal.services.schedule import add_months

MIN_CELL = 5  # fewer people than this in a cell: not shown


@dataclass(frozen=True)
class PlacementFacts:
    """What the statistics need of one placement; nothing that says who it is."""

    start: date
    end: date | None  # None: still working
    phase: str  # the current phase (Phase value)
    organisation: str  # the executing organisation's name
    municipality: str
    end_reason: str | None = None  # EndReason code of an ended placement
    risk_moment: str | None = None  # RiskMoment value of an ended placement
    self_found: bool = False
    decision_pending: bool = False  # a temporary contract ends without a decision yet


@dataclass(frozen=True)
class Filter:
    """Which placements count: started or ended within the period (dates inclusive), of one
    organisation and/or municipality."""

    first: date | None = None
    last: date | None = None
    organisation: str | None = None
    municipality: str | None = None

    def keeps(self, facts: PlacementFacts) -> bool:
        return (self.organisation is None or facts.organisation == self.organisation) and (
            self.municipality is None or facts.municipality == self.municipality
        )

    def within(self, day: date | None) -> bool:
        if day is None:
            return False
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)


def quarter_of(day: date) -> str:
    """'2026-Q3' for a day in July, August or September 2026."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """The first and last day of a quarter written as '2026-Q3'; ValueError when it is not one."""
    year_text, _, number_text = quarter.partition("-Q")
    year, number = int(year_text), int(number_text)
    if not 1 <= number <= 4 or not 1900 <= year <= 2999:
        raise ValueError(f"not a quarter: {quarter!r}")
    first = date(year, 3 * number - 2, 1)
    return first, add_months(first, 3) - timedelta(days=1)


def quarters(first: date, last: date) -> list[str]:
    """Every quarter from the one of `first` up to the one of `last`, in order."""
    found = []
    year, quarter = first.year, (first.month - 1) // 3
    end = (last.year, (last.month - 1) // 3)
    while (year, quarter) <= end:
        found.append(f"{year}-Q{quarter + 1}")
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    return found


def _count(
    facts: Iterable[PlacementFacts],
    keep: Filter,
    key: Callable[[PlacementFacts], Hashable | None],
) -> Counter:
    return Counter(k for f in facts if keep.keeps(f) and (k := key(f)) is not None)


def new_per_quarter(facts: Iterable[PlacementFacts], keep: Filter = Filter()) -> Counter:
    """Placements started, per quarter of their start, within the period."""
    return _count(facts, keep, lambda f: quarter_of(f.start) if keep.within(f.start) else None)


def ended_per_quarter(facts: Iterable[PlacementFacts], keep: Filter = Filter()) -> Counter:
    """Placements ended, per quarter of their end, within the period."""
    return _count(facts, keep, lambda f: quarter_of(f.end) if keep.within(f.end) else None)


def by_phase(facts: Iterable[PlacementFacts], keep: Filter = Filter()) -> Counter:
    """Placements by their current phase (the period does not apply: it is the state now)."""
    return _count(facts, keep, lambda f: f.phase)


def end_reasons(facts: Iterable[PlacementFacts], keep: Filter = Filter()) -> Counter:
    """Why the placements that ended within the period ended."""
    return _count(facts, keep, lambda f: f.end_reason if keep.within(f.end) else None)


def risk_moments(facts: Iterable[PlacementFacts], keep: Filter = Filter()) -> Counter:
    """In which risk moment the placements that ended within the period ended."""
    return _count(facts, keep, lambda f: f.risk_moment if keep.within(f.end) else None)


def self_found(facts: Iterable[PlacementFacts], keep: Filter = Filter()) -> int:
    """Placements started within the period that the worker found on their own."""
    return sum(1 for f in facts if keep.keeps(f) and f.self_found and keep.within(f.start))


def decisions_pending(facts: Iterable[PlacementFacts], keep: Filter = Filter()) -> int:
    """Temporary contracts running towards their end without a decision (now)."""
    return sum(1 for f in facts if keep.keeps(f) and f.decision_pending and f.end is None)


@dataclass(frozen=True)
class Retention:
    months: int
    started: int  # placements that started at least `months` ago (and within the period)
    still_working: int  # of those, not ended before `months` had passed

    @property
    def share(self) -> float | None:
        return self.still_working / self.started if self.started else None


def retention(
    facts: Iterable[PlacementFacts], months: int, today: date, keep: Filter = Filter()
) -> Retention:
    """The share of placements still running `months` after their start, counted over those
    that started long enough ago to know (the start within the period)."""
    started = still = 0
    for f in facts:
        mark = add_months(f.start, months)
        if not keep.keeps(f) or not keep.within(f.start) or mark > today:
            continue
        started += 1
        if f.end is None or f.end >= mark:
            still += 1
    return Retention(months, started, still)


def suppress(counts: Mapping[Hashable, int], minimum: int = MIN_CELL) -> dict:
    """The counts with every cell of 1 to `minimum - 1` people as None; when just one cell of
    the group is hidden, the smallest other non-zero cell is hidden too, so the total does not
    give the hidden one away. Zero is shown: it identifies nobody."""
    shown: dict = dict(counts)
    hidden = [key for key, n in counts.items() if 0 < n < minimum]
    if len(hidden) == 1:
        second = min(
            (key for key, n in counts.items() if n >= minimum),
            key=lambda key: (counts[key], str(key)),
            default=None,
        )
        if second is not None:
            hidden.append(second)
    for key in hidden:
        shown[key] = None
    return shown


def hide_small(count: int, minimum: int = MIN_CELL) -> int | None:
    """A single number of 1 to `minimum - 1` people is not shown."""
    return None if 0 < count < minimum else count


def suppressed_total(counts: Mapping[Hashable, int], minimum: int = MIN_CELL) -> int | None:
    """A total of fewer than `minimum` people is hidden as well."""
    return hide_small(sum(counts.values()), minimum)
