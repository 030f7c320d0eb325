"""The regional dashboard's numbers in one structure: every table the screen, the CSV and the
XLSX show, already suppressed (`portal.services.statistics.suppress`), so no view or export can
show a cell of fewer than five people by accident. Plain functions, no Flask."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from portal.services.statistics import (
    Filter,
    PlacementFacts,
    by_phase,
    decisions_pending,
    end_reasons,
    ended_per_quarter,
    hide_small,
    new_per_quarter,
    quarters,
    retention,
    risk_moments,
    self_found,
    suppress,
)

RETENTION_MONTHS = (3, 6, 12, 18, 24)
PHASES = ("proefplaatsing", "tijdelijk", "vast", "beeindigd")
RISK_MOMENTS = (
    "during_trial",
    "at_first_contract",
    "first_half_year",
    "later_temporary",
    "at_temporary_to_permanent",
    "after_permanent",
)


@dataclass(frozen=True)
class RetentionRow:
    months: int
    started: int | None  # None: suppressed
    still_working: int | None
    share: float | None  # None: suppressed, or nobody started long enough ago


@dataclass(frozen=True)
class AreaRow:
    """One executing organisation or municipality: started and ended in the period, working now."""

    name: str
    new: int | None
    ended: int | None
    working: int | None


@dataclass(frozen=True)
class Report:
    periods: list[str]
    per_quarter: list[tuple[str, int | None, int | None]]  # quarter, new, ended
    total_new: int | None
    total_ended: int | None
    phases: list[tuple[str, int | None]]
    end_reasons: list[tuple[str, int | None]]  # most frequent first
    risk_moments: list[tuple[str, int | None]]
    retention: list[RetentionRow]
    organisations: list[AreaRow]
    municipalities: list[AreaRow]
    self_found: int | None
    decisions_pending: int | None

    def retention_at(self, months: int) -> RetentionRow:
        return next(row for row in self.retention if row.months == months)


def _column(keys: Sequence, counts: Counter) -> dict:
    return suppress({key: counts.get(key, 0) for key in keys})


def _retention_row(facts: list[PlacementFacts], months: int, today: date, keep: Filter):
    found = retention(facts, months, today, keep)
    # The ones who left are a group too: hide both halves when either is small.
    halves = suppress({"still": found.still_working, "left": found.started - found.still_working})
    started = hide_small(found.started)
    if started is None or halves["still"] is None:
        return RetentionRow(months, started, None, None)
    return RetentionRow(months, started, found.still_working, found.share)


def _areas(
    facts: list[PlacementFacts], keep: Filter, attribute: str, names: Iterable[str]
) -> list[AreaRow]:
    names = sorted(set(names) | {getattr(f, attribute) for f in facts if keep.keeps(f)})
    new = Counter(getattr(f, attribute) for f in facts if keep.keeps(f) and keep.within(f.start))
    ended = Counter(getattr(f, attribute) for f in facts if keep.keeps(f) and keep.within(f.end))
    working = Counter(getattr(f, attribute) for f in facts if keep.keeps(f) and f.end is None)
    new_shown, ended_shown, working_shown = (
        _column(names, new),
        _column(names, ended),
        _column(names, working),
    )
    return [
        AreaRow(name, new_shown[name], ended_shown[name], working_shown[name])
        for name in names
        if new[name] or ended[name] or working[name]
    ]


def build_report(
    facts: Iterable[PlacementFacts],
    keep: Filter,
    today: date,
    *,
    reason_codes: Sequence[str] = (),
    organisations: Iterable[str] = (),
    municipalities: Iterable[str] = (),
) -> Report:
    """Every table of the regional dashboard for the placements `keep` selects. The period of
    `keep` must have a first and last day; `reason_codes` lists the end reasons to show even
    when nobody ended for them."""
    facts = list(facts)
    periods = quarters(keep.first, keep.last)
    new, ended = new_per_quarter(facts, keep), ended_per_quarter(facts, keep)
    new_shown, ended_shown = _column(periods, new), _column(periods, ended)
    reasons = end_reasons(facts, keep)
    reason_shown = _column(sorted(set(reason_codes) | set(reasons)), reasons)
    return Report(
        periods=periods,
        per_quarter=[(q, new_shown[q], ended_shown[q]) for q in periods],
        total_new=hide_small(sum(new.values())),
        total_ended=hide_small(sum(ended.values())),
        phases=list(_column(PHASES, by_phase(facts, keep)).items()),
        # Hidden cells go last: ordering them by their real size would hint at it.
        end_reasons=sorted(
            reason_shown.items(), key=lambda item: (item[1] is None, -(item[1] or 0), item[0])
        ),
        risk_moments=list(_column(RISK_MOMENTS, risk_moments(facts, keep)).items()),
        retention=[_retention_row(facts, months, today, keep) for months in RETENTION_MONTHS],
        organisations=_areas(facts, keep, "organisation", organisations),
        municipalities=_areas(facts, keep, "municipality", municipalities),
        self_found=hide_small(self_found(facts, keep)),
        decisions_pending=hide_small(decisions_pending(facts, keep)),
    )
