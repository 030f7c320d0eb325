"""Regional statistics on generated placement histories whose answers are known by construction."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from portal.services.schedule import add_months
from portal.services.statistics import (
    Filter,
    PlacementFacts,
    by_phase,
    decisions_pending,
    end_reasons,
    ended_per_quarter,
    new_per_quarter,
    quarter_of,
    quarters,
    retention,
    risk_moments,
    self_found,
    suppress,
    suppressed_total,
)

TODAY = date(2026, 11, 24)
ORGANISATIONS = ("Werk en Inkomen Utrecht", "Regionaal Werkbedrijf Zeist")
MUNICIPALITIES = ("Utrecht", "Zeist")


def region() -> list[PlacementFacts]:
    """Ten placements start on the 1st of every month of 2025, alternating organisation and
    municipality. Per month: 4 end after 3 months (capacity, first half year), 2 end after 9
    months (workload, later), 1 is self-found and still working, the other 3 still work and 1
    of those waits on a contract decision."""
    facts = []
    for month in range(1, 13):
        start = date(2025, month, 1)
        for n in range(10):
            where = n % 2
            common = {
                "start": start,
                "organisation": ORGANISATIONS[where],
                "municipality": MUNICIPALITIES[where],
            }
            if n < 4:
                facts.append(
                    PlacementFacts(
                        end=add_months(start, 3),
                        phase="beeindigd",
                        end_reason="capacity_overestimated",
                        risk_moment="first_half_year",
                        **common,
                    )
                )
            elif n < 6:
                facts.append(
                    PlacementFacts(
                        end=add_months(start, 9),
                        phase="beeindigd",
                        end_reason="high_workload",
                        risk_moment="later_temporary",
                        **common,
                    )
                )
            else:
                facts.append(
                    PlacementFacts(
                        end=None,
                        phase="tijdelijk" if n < 9 else "vast",
                        self_found=n == 6,
                        decision_pending=n == 7,
                        **common,
                    )
                )
    return facts


YEAR_2025 = Filter(first=date(2025, 1, 1), last=date(2025, 12, 31))


def test_quarters():
    assert quarter_of(date(2026, 7, 1)) == "2026-Q3"
    assert quarter_of(date(2026, 12, 31)) == "2026-Q4"
    assert quarters(date(2025, 11, 5), date(2026, 4, 1)) == ["2025-Q4", "2026-Q1", "2026-Q2"]


def test_new_and_ended_per_quarter():
    facts = region()
    assert new_per_quarter(facts, YEAR_2025) == {f"2025-Q{q}": 30 for q in range(1, 5)}
    ended = ended_per_quarter(facts)
    # ended after 3 months: Jan -> Apr (Q2) ... Dec -> Mar 2026; after 9 months: Jan -> Oct ...
    assert ended["2025-Q2"] == 3 * 4  # starts Jan, Feb, Mar end in Apr, May, Jun
    assert ended["2025-Q4"] == 3 * 4 + 3 * 2  # 3-month ends of Jul-Sep, 9-month of Jan-Mar
    assert sum(ended.values()) == 12 * 6
    assert sum(ended_per_quarter(facts, YEAR_2025).values()) == 9 * 4 + 3 * 2


def test_why_and_when_jobs_end():
    facts = region()
    everything = Filter()
    assert end_reasons(facts, everything) == {"capacity_overestimated": 48, "high_workload": 24}
    assert risk_moments(facts, everything) == {"first_half_year": 48, "later_temporary": 24}
    assert by_phase(facts) == {"beeindigd": 72, "tijdelijk": 36, "vast": 12}
    assert self_found(facts, YEAR_2025) == 12
    assert decisions_pending(facts) == 12


def test_filters_by_organisation_and_municipality():
    facts = region()
    utrecht = Filter(municipality="Utrecht")
    zeist_org = Filter(organisation=ORGANISATIONS[1])
    assert sum(by_phase(facts, utrecht).values()) == 60
    # n = 0, 2 of the 3-month endings are Utrecht's, n = 1, 3 Zeist's; n = 4 (9 months) Utrecht
    assert end_reasons(facts, utrecht) == {"capacity_overestimated": 24, "high_workload": 12}
    assert end_reasons(facts, zeist_org) == {"capacity_overestimated": 24, "high_workload": 12}
    assert self_found(facts, zeist_org) == 0  # n = 6 is always even: Utrecht


def test_retention_after_6_and_12_months():
    facts = region()
    six = retention(facts, 6, TODAY)
    assert (six.started, six.still_working) == (120, 72)  # the 3-month endings are gone
    assert six.share == 0.6
    twelve = retention(facts, 12, TODAY)
    # December 2025's starts are not a year old yet; of the others the 9-month endings are gone
    assert (twelve.started, twelve.still_working) == (110, 44)
    # started too recently to know: not counted
    recent = retention(facts, 12, date(2025, 12, 31))
    assert recent.started == 0 and recent.share is None
    halfway = retention(facts, 12, date(2026, 6, 1))  # starts Jan-Jun 2025 are known
    assert (halfway.started, halfway.still_working) == (60, 24)


def test_small_cells_are_hidden_and_cannot_be_worked_out():
    assert suppress({"a": 12, "b": 3, "c": 7}) == {"a": 12, "b": None, "c": None}
    assert suppress({"a": 2, "b": 3, "c": 10}) == {"a": None, "b": None, "c": 10}
    assert suppress({"a": 0, "b": 9}) == {"a": 0, "b": 9}
    assert suppressed_total({"a": 2, "b": 1}) is None
    assert suppressed_total({"a": 2, "b": 3}) == 5


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 40), min_size=1))
def test_suppression_never_leaves_a_single_small_cell_to_subtract(counts):
    shown = suppress(counts)
    hidden = [key for key, value in shown.items() if value is None]
    assert all(shown[key] == counts[key] for key in counts if key not in hidden)
    assert all(counts[key] > 0 for key in hidden)
    assert all(not 0 < counts[key] < 5 for key in counts if key not in hidden)
    if any(0 < n < 5 for n in counts.values()) and sum(1 for n in counts.values() if n) > 1:
        assert len(hidden) >= 2
