"""A large caseload on top of the demo cast, for the load benchmark and the fault tests.

`seed_caseload` gives one contact person `count` extra workers, each with a temporary contract
at the employer that contact person looks after, planned evaluations and all. Names and e-mail
addresses are made up and numbered (`werknemer-0001@caseload-demo.nl`); the password is the
demo password. Idempotent: workers that exist are left as they are.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo import DEMO_PASSWORD, EMPLOYER_CONTACT
from portal.models import Employer, Municipality, Regime, Role, User, WorkerProfile
from portal.models.placements import Phase
from portal.security import hash_password
from portal.services.contacts import assign_contact
from portal.services.placement_workflow import start_placement

DOMAIN = "caseload-demo.nl"


def caseload_email(number: int) -> str:
    return f"werknemer-{number:04d}@{DOMAIN}"


def seed_caseload(
    session: Session,
    contact_email: str,
    count: int,
    today: date,
    contract_end: date | None = None,
) -> list[int]:
    """Add `count` workers to the contact person's caseload; return all their ids. Without
    `contract_end` the contracts end spread over the coming year."""
    contact = session.scalar(select(User).where(User.email == contact_email))
    if contact is None or contact.role != Role.CONTACT_PERSON:
        raise ValueError(f"{contact_email} is not a contact person")
    kvk = next(k for k, email in EMPLOYER_CONTACT.items() if email == contact_email)
    employer = session.scalar(select(Employer).where(Employer.kvk_number == kvk))
    municipality = session.scalar(select(Municipality).order_by(Municipality.id))
    password_hash = hash_password(DEMO_PASSWORD)  # once: hashing is slow on purpose
    ids = []
    for number in range(1, count + 1):
        email = caseload_email(number)
        worker = session.scalar(select(User).where(User.email == email))
        if worker is None:
            worker = User(
                email=email,
                first_name="Werknemer",
                last_name=f"{number:04d}",
                role=Role.WORKER,
                password_hash=password_hash,
            )
            worker.worker_profile = WorkerProfile(
                regime=Regime.PARTICIPATIEWET,
                municipality=municipality,
                in_doelgroepregister=True,
            )
            session.add(worker)
            session.flush()
            assign_contact(session, contact_person=contact, worker=worker, starts_on=today)
            start = today - timedelta(days=30 + number % 300)
            start_placement(
                session,
                worker=worker,
                employer=employer,
                phase=Phase.TIJDELIJK,
                start=start,
                contract_end=contract_end or today + timedelta(days=20 + (number * 7) % 340),
                hours_per_week=16 + number % 17,
                by=contact,
                today=today,
            )
        ids.append(worker.id)
    session.flush()
    return ids
