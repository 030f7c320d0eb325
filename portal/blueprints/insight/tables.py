"""The regional report as translated tables: the one shape the page, the CSV and the XLSX use,
so the three always show the same numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from portal.blueprints.placements.wording import RISK_MOMENTS
from portal.labels import LABELS
from portal.models import Phase
from portal.services.placements import RiskMoment
from portal.services.regional_report import Report, RetentionRow
from portal.services.statistics_source import UNKNOWN

Cell = str | int | float | None  # None: hidden (fewer than five people)
NOT_KNOWN = "–"  # a share of nobody: nobody in the period started long enough ago


@dataclass(frozen=True)
class Table:
    ident: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)


def _retention_share(row: RetentionRow) -> Cell:
    if row.started == 0:
        return NOT_KNOWN
    return None if row.share is None else round(100 * row.share, 1)


def _area_name(name: str) -> str:
    return _("Unknown") if name == UNKNOWN else name


def report_tables(report: Report, reason_labels: Mapping[str, str]) -> list[Table]:
    """Every table of the report, with translated titles, headers and row labels."""
    ended = report.total_ended
    return [
        Table(
            "per-quarter",
            _("New and ended placements per quarter"),
            [_("Quarter"), _("New placements"), _("Ended placements")],
            [[quarter, new, gone] for quarter, new, gone in report.per_quarter],
        ),
        Table(
            "end-reasons",
            _("Why placements ended"),
            [_("Reason"), _("Placements"), _("Share of the endings (%)")],
            [
                [reason_labels.get(code, code), count, _share(count, ended)]
                for code, count in report.end_reasons
            ],
        ),
        Table(
            "risk-moments",
            _("Risk moment in which placements ended"),
            [_("Risk moment"), _("Placements"), _("Share of the endings (%)")],
            [
                [str(RISK_MOMENTS[RiskMoment(moment)]), count, _share(count, ended)]
                for moment, count in report.risk_moments
            ],
        ),
        Table(
            "retention",
            _("Still working after a number of months"),
            [_("Months after the start"), _("Started long enough ago"), _("Still working"), "%"],
            [
                [
                    row.months,
                    row.started,
                    row.still_working,
                    _retention_share(row),
                ]
                for row in report.retention
            ],
        ),
        Table(
            "phases",
            _("Placements by phase now"),
            [_("Phase"), _("Placements")],
            [[str(LABELS[Phase(phase)]), count] for phase, count in report.phases],
        ),
        Table(
            "organisations",
            _("Per executing organisation"),
            [_("Executing organisation"), _("New"), _("Ended"), _("Working now")],
            [[_area_name(r.name), r.new, r.ended, r.working] for r in report.organisations],
        ),
        Table(
            "municipalities",
            _("Per municipality"),
            [_("Municipality"), _("New"), _("Ended"), _("Working now")],
            [[_area_name(r.name), r.new, r.ended, r.working] for r in report.municipalities],
        ),
        Table(
            "other",
            _("Other figures"),
            [_("Figure"), _("Number")],
            [
                [_("Jobs the workers found themselves (started in the period)"), report.self_found],
                [_("Contract decisions pending (now)"), report.decisions_pending],
            ],
        ),
    ]
