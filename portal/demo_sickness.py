"""Demo ziekmelding: Mohammed Yilmaz (temporary contract at Bakkerij De Korenschoof) has been sick
for about three weeks, works 50 % of his hours, and was reported sick by his employer. The
guidance then shows the employer in charge until his contract ends, and the probleemanalyse as
the next deadline. Through the same service function the screens use; nothing about the illness.
Idempotent: a worker who has any sick report is left alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import ExpectedDuration, Role, SickReport, User
from portal.services.sickness import create_sick_report

SICK_WORKER = "mo@werknemer-demo.nl"
REPORTED_BY = "hr@korenschoof-demo.nl"
DAYS_AGO = 21  # three weeks ago; the first sick day is day 1, so 22 days sick today


def seed_sickness_demo(
    session: Session, cast: dict[str, list[User]], today: date | None = None
) -> SickReport | None:
    today = today or date.today()
    by_email = {user.email: user for users in cast.values() for user in users}
    worker, employer_user = by_email.get(SICK_WORKER), by_email.get(REPORTED_BY)
    if worker is None or employer_user is None or worker.role != Role.WORKER:
        return None
    if session.scalar(select(SickReport.id).where(SickReport.worker_id == worker.id)) is not None:
        return None
    first_sick_day = today - timedelta(days=DAYS_AGO)
    return create_sick_report(
        session,
        reporter=employer_user,
        worker=worker,
        first_sick_day=first_sick_day,
        expected_duration=ExpectedDuration.WEEKS,
        partially_working=True,
        working_percent=50,
        remark="Werkt voorlopig alleen de ochtenddiensten.",
        today=today,
        now=datetime.combine(first_sick_day, time(8, 30), tzinfo=UTC),
    )
