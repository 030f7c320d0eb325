"""A job the worker found on their own becomes a placement (DESIGN §1: these workers were
invisible to the service point). The worker or the employer registers it; the placement goes to
the worker's contact person, and a worker without one gets the contact person that the routing
table (regime and municipality) points to."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Employer, Municipality, Regime, Role, User, WorkerProfile
from portal.models.placements import Phase, Placement
from portal.services.accounts import normal_email
from portal.services.contacts import (
    assign_contact,
    current_assignment,
    routed_contact_person,
)
from portal.services.placement_workflow import start_placement
from portal.services.routing import NoRoute, executing_organisation, load_rules
from portal.services.settings import ScheduleDefaults


class SelfFoundError(ValueError):
    """The registration cannot become a placement; `code` names why, for the message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Job:
    start: date
    phase: Phase  # proefplaatsing, tijdelijk or vast
    trial_end: date | None = None
    contract_end: date | None = None
    hours_per_week: float | None = None
    workplace: str | None = None  # the job or department, in the registrant's words
    how_found: str | None = None


@dataclass(frozen=True)
class NewEmployer:
    """The company as a worker describes it (postcode written as '1234 AB', KvK as 8 digits);
    matched on KvK number, else on name and postcode."""

    name: str
    street: str
    postcode: str
    city: str
    kvk_number: str | None = None


@dataclass(frozen=True)
class NewWorker:
    """The worker as the employer describes them."""

    first_name: str
    last_name: str
    email: str
    regime: Regime
    municipality: Municipality


@dataclass(frozen=True)
class Registered:
    placement: Placement
    contact_person: User
    new_contact: bool  # the worker had no contact person before this registration
    new_worker: bool = False
    new_employer: bool = False


def find_employer(session: Session, details: NewEmployer) -> Employer | None:
    if details.kvk_number:
        found = session.scalar(select(Employer).where(Employer.kvk_number == details.kvk_number))
        if found is not None:
            return found
    return session.scalar(
        select(Employer)
        .where(
            func.lower(Employer.name) == details.name.strip().lower(),
            Employer.postcode == details.postcode,
        )
        .order_by(Employer.id)
        .limit(1)
    )


def _contact_for(session: Session, worker: User, today: date) -> tuple[User, bool]:
    """The worker's current contact person; without one, the routed one is assigned now."""
    assignment = current_assignment(session, worker=worker)
    if assignment is not None:
        return assignment.contact_person, False
    profile = worker.worker_profile
    contact = None
    if profile is not None:
        try:
            organisation = executing_organisation(
                profile.regime.value, profile.municipality.name, load_rules(session)
            )
        except NoRoute:
            organisation = None
        if organisation is not None:
            contact = routed_contact_person(session, organisation)
    if contact is None:
        # No contact person at the routed organisation: the WSP is one desk, so the least busy
        # contact person takes the worker rather than nobody.
        contact = routed_contact_person(session, None)
    if contact is None:
        raise SelfFoundError("no_contact_person")
    assign_contact(session, contact_person=contact, worker=worker, starts_on=today)
    return contact, True


def _place(
    session: Session,
    *,
    worker: User,
    employer: Employer,
    job: Job,
    by: User,
    today: date,
    defaults: ScheduleDefaults,
) -> tuple[Placement, User, bool]:
    if job.phase == Phase.BEEINDIGD:
        raise SelfFoundError("phase")
    contact, new_contact = _contact_for(session, worker, today)
    if current_assignment(session, employer=employer) is None:
        assign_contact(session, contact_person=contact, employer=employer, starts_on=today)
    placement = start_placement(
        session,
        worker=worker,
        employer=employer,
        phase=job.phase,
        start=job.start,
        trial_end=job.trial_end,
        contract_end=job.contract_end,
        by=by,
        today=today,
        defaults=defaults,
        hours_per_week=job.hours_per_week,
        workplace=job.workplace or None,
        self_found=True,
        self_found_how=(job.how_found or "").strip()[:500] or None,
    )
    return placement, contact, new_contact


def register_by_worker(
    session: Session,
    *,
    worker: User,
    employer: Employer | NewEmployer,
    job: Job,
    today: date,
    defaults: ScheduleDefaults,
) -> Registered:
    """The worker's own registration; an unknown company is added with what the worker knows."""
    if worker.role != Role.WORKER:
        raise SelfFoundError("not_a_worker")
    new_employer = False
    if isinstance(employer, NewEmployer):
        found = find_employer(session, employer)
        if found is None:
            found = Employer(
                name=employer.name.strip(),
                kvk_number=employer.kvk_number or None,
                street=employer.street.strip(),
                postcode=employer.postcode,
                city=employer.city.strip(),
            )
            session.add(found)
            session.flush()
            new_employer = True
        employer = found
    placement, contact, new_contact = _place(
        session,
        worker=worker,
        employer=employer,
        job=job,
        by=worker,
        today=today,
        defaults=defaults,
    )
    return Registered(placement, contact, new_contact, new_employer=new_employer)


def register_by_employer(
    session: Session,
    *,
    employer: Employer,
    worker: NewWorker,
    job: Job,
    by: User,
    today: date,
    defaults: ScheduleDefaults,
) -> Registered:
    """The employer's registration of someone they hired directly. A worker the portal does not
    know gets an account (without a usable password: the contact person invites them)."""
    email = normal_email(worker.email)
    person = session.scalar(select(User).where(func.lower(User.email) == email))
    new_worker = person is None
    if person is None:
        person = User(
            email=email,
            first_name=worker.first_name.strip(),
            last_name=worker.last_name.strip(),
            role=Role.WORKER,
            # Not a hash of anything, so no password logs in: the worker gets in through the
            # contact person.
            password_hash=f"!unset-{secrets.token_hex(8)}",
        )
        person.worker_profile = WorkerProfile(
            regime=worker.regime, municipality=worker.municipality
        )
        session.add(person)
        session.flush()
    elif person.role != Role.WORKER:
        raise SelfFoundError("email_taken")
    placement, contact, new_contact = _place(
        session, worker=person, employer=employer, job=job, by=by, today=today, defaults=defaults
    )
    return Registered(placement, contact, new_contact, new_worker=new_worker)
