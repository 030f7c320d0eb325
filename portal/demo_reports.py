"""Demo meldingen, relative to today: the bakery's HR reports a reorganisation around Mohammed
(being handled), and Sanne reported a travel problem that was solved. Idempotent: skipped when
any melding exists."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import ProblemCategory, ProblemReport, ProblemStatus, Urgency, User
from portal.services.problem_reports import create_report, record_action


def seed_reports_demo(session: Session, today: date) -> None:
    if session.scalar(select(func.count()).select_from(ProblemReport)):
        return
    users = {u.email: u for u in session.scalars(select(User))}
    categories = {c.code: c for c in session.scalars(select(ProblemCategory))}
    fatima = users["f.elamrani@wsp-demo.nl"]

    def at(days_ago: int, hour: int) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour), tzinfo=UTC)

    travel = create_report(
        session,
        reporter=users["sanne@werknemer-demo.nl"],
        worker=users["sanne@werknemer-demo.nl"],
        category=categories["travel"],
        urgency=Urgency.THIS_WEEK,
        text="De bus naar de bakkerij rijdt in de vakantie niet vroeg genoeg. Ik kom dan te laat.",
        now=at(12, 8),
    )
    record_action(
        session,
        travel,
        by=fatima,
        note="Gebeld met Sanne en de bakkerij: in de vakantie begint Sanne een half uur later.",
        status=ProblemStatus.CLOSED,
        now=at(10, 14),
    )
    reorganisation = create_report(
        session,
        reporter=users["hr@korenschoof-demo.nl"],
        worker=users["mo@werknemer-demo.nl"],
        category=categories["reorganisation"],
        urgency=Urgency.THIS_WEEK,
        text=(
            "Per volgende maand gaan we de ploegen anders indelen. Mohammed krijgt dan een "
            "andere leidinggevende en deels andere taken. We willen dit graag goed begeleiden."
        ),
        now=at(4, 10),
    )
    record_action(
        session,
        reorganisation,
        by=fatima,
        note="Afspraak gemaakt voor een gesprek met Mohammed en de nieuwe leidinggevende.",
        now=at(3, 11),
    )
