"""Demo jobcoaching: activities and reports for the coached demo placements, relative to today.

With the default (monthly) frequency the demo shows Sanne's reports on schedule, Daan's last
report long overdue (late under either frequency) and Noah just started, no report due yet.
No medical information, as in real reports. Idempotent: a placement with activities is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import (
    ActivityKind,
    BuildDownAdvice,
    CoachingActivity,
    JobcoachReport,
    Placement,
)

K = ActivityKind


@dataclass(frozen=True)
class _Report:
    start: int  # days after the placement start
    end: int
    worked_on: str
    how_it_goes: int
    next_step: str
    build_down: BuildDownAdvice
    note: str | None = None


# Activities as (days after the placement start, hours, kind, note).
_INTAKE = [
    (1, 2.0, K.THREE_WAY, "Kennismaking met werknemer en leidinggevende; afspraken over taken."),
    (8, 3.0, K.ON_THE_JOB, "Meegelopen tijdens de eerste werkdagen; vaste volgorde van taken."),
]
_EARLY = [
    (20, 2.0, K.TALK_WORKER, "Gesprek over de werkdag en de reistijd."),
    (35, 1.5, K.ON_THE_JOB, "Een nieuwe taak samen op de werkplek geoefend."),
    (48, 1.0, K.PHONE_OR_EMAIL, "Telefonisch contact met de leidinggevende over het rooster."),
]
_LATER = [
    (75, 2.0, K.ON_THE_JOB, "Werkplek bezocht; taken lopen zelfstandiger."),
    (100, 1.5, K.TALK_SUPERVISOR, "Gesprek met de werkbegeleider over de opbouw van taken."),
    (130, 1.0, K.PHONE_OR_EMAIL, "Kort contact met de werknemer over de planning."),
    (160, 2.0, K.THREE_WAY, "Driegesprek: wat gaat goed, wat kan beter."),
    (185, 1.5, K.ON_THE_JOB, "Meegekeken bij nieuwe werkzaamheden."),
    (215, 1.0, K.TALK_WORKER, "Gesprek over het verlengen van het contract."),
    (245, 1.5, K.TALK_SUPERVISOR, "Overleg met de leidinggevende over minder begeleiding."),
]

_FIRST_MONTH = _Report(
    0,
    29,
    "Kennismaking, afspraken over taken en werktijden, begeleiding op de werkplek in de eerste "
    "weken.",
    4,
    "Wekelijks contact houden; de werknemer leert de vaste taken zelfstandig te doen.",
    BuildDownAdvice.SAME,
)
_DAAN_REPORTS = [
    _FIRST_MONTH,
    _Report(
        30,
        90,
        "Zelfstandig werken aan de vaste taken; afspraken over pauzes en vragen stellen.",
        4,
        "Om de twee weken langskomen; na de proefplaatsing evalueren met de werkgever.",
        BuildDownAdvice.REDUCE,
        "De werknemer kent de taken; minder vaak op de werkplek nodig.",
    ),
    _Report(
        91,
        170,
        "Overgang naar het tijdelijke contract; nieuwe taken geleerd met de werkbegeleider.",
        3,
        "Maandelijks contact; samen met de werkbegeleider de nieuwe taken doornemen.",
        BuildDownAdvice.SAME,
    ),
]


def _plan(placement: Placement, today: date) -> tuple[list, list[_Report]]:
    """Activities and reports that fit the placement's age: nothing in the future."""
    age = (today - placement.start_date).days
    if age >= 200:  # Daan: the last report covers up to day 170, so the next one is late
        activities, reports = [*_INTAKE, *_EARLY, *_LATER], _DAAN_REPORTS
    elif age >= 40:  # Sanne: the first month reported, the second not due yet
        activities, reports = [*_INTAKE, *_EARLY], [_FIRST_MONTH]
    else:  # Noah: just started
        activities, reports = _INTAKE, []
    activities = [a for a in activities if a[0] <= age]
    reports = [r for r in reports if r.end < age]
    return activities, reports


def seed_coaching_demo(session: Session, today: date) -> None:
    """Add demo activities and reports to every placement with a jobcoach that has none yet."""
    placements = session.scalars(
        select(Placement).where(Placement.jobcoach_id.is_not(None)).order_by(Placement.id)
    ).all()
    for placement in placements:
        has_activities = session.scalar(
            select(CoachingActivity.id).where(CoachingActivity.placement_id == placement.id)
        )
        if has_activities is not None:
            continue
        activities, reports = _plan(placement, today)
        start = placement.start_date
        for days, hours, kind, note in activities:
            session.add(
                CoachingActivity(
                    placement_id=placement.id,
                    jobcoach_id=placement.jobcoach_id,
                    activity_date=start + timedelta(days=days),
                    hours=hours,
                    kind=kind,
                    note=note,
                )
            )
        for report in reports:
            spent = sum(
                hours for days, hours, _, _ in activities if report.start <= days <= report.end
            )
            session.add(
                JobcoachReport(
                    placement_id=placement.id,
                    jobcoach_id=placement.jobcoach_id,
                    period_start=start + timedelta(days=report.start),
                    period_end=start + timedelta(days=report.end),
                    hours_spent=spent,
                    worked_on=report.worked_on,
                    how_it_goes=report.how_it_goes,
                    next_step=report.next_step,
                    build_down=report.build_down,
                    build_down_note=report.note,
                )
            )
    session.flush()
