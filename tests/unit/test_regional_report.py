"""The regional dashboard's report on the generated region of test_statistics, whose answers are
known by construction, and its suppression of small groups."""

from __future__ import annotations

from datetime import date

from portal.services.regional_report import build_report, hide_small
from portal.services.statistics import Filter, PlacementFacts
from tests.unit.test_statistics import MUNICIPALITIES, ORGANISATIONS, TODAY, region

YEAR_2025 = Filter(first=date(2025, 1, 1), last=date(2025, 12, 31))


def test_report_of_a_year():
    report = build_report(region(), YEAR_2025, TODAY, reason_codes=["no_match"])
    assert report.periods == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert report.per_quarter == [
        ("2025-Q1", 30, 0),
        ("2025-Q2", 30, 12),
        ("2025-Q3", 30, 12),
        ("2025-Q4", 30, 18),
    ]
    assert (report.total_new, report.total_ended) == (120, 42)
    # reasons of the endings in 2025: 9 months x 4 after 3 months, 3 months x 2 after 9 months
    assert report.end_reasons == [
        ("capacity_overestimated", 36),
        ("high_workload", 6),
        ("no_match", 0),
    ]
    assert dict(report.risk_moments) == {
        "during_trial": 0,
        "at_first_contract": 0,
        "first_half_year": 36,
        "later_temporary": 6,
        "at_temporary_to_permanent": 0,
        "after_permanent": 0,
    }
    assert dict(report.phases) == {
        "proefplaatsing": 0,
        "tijdelijk": 36,
        "vast": 12,
        "beeindigd": 72,
    }
    six, twelve = report.retention_at(6), report.retention_at(12)
    assert (six.started, six.still_working, six.share) == (120, 72, 0.6)
    assert (twelve.started, twelve.still_working, twelve.share) == (110, 44, 0.4)
    assert report.retention_at(24).started == 0 and report.retention_at(24).share is None
    assert (report.self_found, report.decisions_pending) == (12, 12)


def test_areas_add_up_and_areas_without_placements_are_left_out():
    report = build_report(
        region(), YEAR_2025, TODAY, organisations=["Empty organisation"], municipalities=["Lopik"]
    )
    assert [row.name for row in report.organisations] == sorted(ORGANISATIONS)
    assert sum(row.new for row in report.organisations) == 120
    assert sum(row.working for row in report.municipalities) == 48
    assert {row.name for row in report.municipalities} == set(MUNICIPALITIES)


def test_filter_by_municipality():
    utrecht = Filter(first=YEAR_2025.first, last=YEAR_2025.last, municipality="Utrecht")
    report = build_report(region(), utrecht, TODAY)
    assert report.total_new == 60
    assert [row.name for row in report.municipalities] == ["Utrecht"]


def small_region() -> list[PlacementFacts]:
    """12 placements in 2026-Q1: 9 still working, 3 ended for a rare reason."""
    start = date(2026, 1, 5)
    facts = [
        PlacementFacts(start=start, end=None, phase="tijdelijk", organisation="O", municipality="M")
        for _ in range(9)
    ]
    facts += [
        PlacementFacts(
            start=start,
            end=date(2026, 2, 1),
            phase="beeindigd",
            organisation="O",
            municipality="M",
            end_reason="no_match",
            risk_moment="during_trial",
        )
        for _ in range(3)
    ]
    return facts


def test_small_groups_are_hidden_everywhere():
    keep = Filter(first=date(2026, 1, 1), last=date(2026, 12, 31))
    report = build_report(small_region(), keep, TODAY, reason_codes=["no_match", "health_worse"])
    assert report.total_new == 12
    assert report.total_ended is None  # 3 people
    assert ("2026-Q1", 12, None) in report.per_quarter
    assert dict(report.end_reasons) == {"no_match": None, "health_worse": 0}
    assert dict(report.risk_moments)["during_trial"] is None
    # 3 of 12 left within six months: the 9 still working would give the 3 away
    six = report.retention_at(6)
    assert (six.started, six.still_working, six.share) == (12, None, None)
    (area,) = report.organisations
    assert (area.new, area.ended, area.working) == (12, None, 9)


def test_hidden_reasons_are_not_ordered_by_their_real_size():
    keep = Filter(first=date(2026, 1, 1), last=date(2026, 12, 31))
    facts = small_region()
    facts += [
        PlacementFacts(
            start=date(2026, 1, 5),
            end=date(2026, 3, 1),
            phase="beeindigd",
            organisation="O",
            municipality="M",
            end_reason=reason,
            risk_moment="during_trial",
        )
        for reason, count in (("a_reason", 1), ("z_reason", 7)) + (("health_worse", 9),)
        for _ in range(count)
    ]
    report = build_report(facts, keep, TODAY)
    # shown first by size; the hidden ones (1 and 3 people) after, in code order
    assert report.end_reasons == [
        ("health_worse", 9),
        ("z_reason", 7),
        ("a_reason", None),
        ("no_match", None),
    ]


def test_hide_small():
    assert [hide_small(n) for n in (0, 1, 4, 5, 50)] == [0, None, None, 5, 50]
