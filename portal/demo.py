"""Reference data of Midden-Utrecht and the demo cast; idempotent (twice changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo_coaching import seed_coaching_demo
from portal.demo_evaluations import seed_evaluation_demo
from portal.demo_reports import seed_reports_demo
from portal.demo_sickness import seed_sickness_demo
from portal.models import (
    Employer,
    EndReason,
    ExecutingOrganisation,
    Intention,
    Municipality,
    Phase,
    Placement,
    ProblemCategory,
    Regime,
    Role,
    Route,
    RoutingRule,
    User,
    WorkerProfile,
)
from portal.reference_data import END_REASONS, MUNICIPALITY_WEBSITES, PROBLEM_CATEGORIES
from portal.security import hash_password
from portal.services.contacts import assign_contact, current_assignment
from portal.services.placement_workflow import change_phase, end_placement, start_placement
from portal.services.placements import CauseSide, Ending, Initiator
from portal.services.questionnaires import active_questionnaire, seed_questionnaire
from portal.services.routing import MIDDEN_UTRECHT_RULES, executing_organisation
from portal.services.schedule import add_months
from portal.services.two_factor import is_required

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - demo accounts only; seed-demo refuses production
# The demo staff's two-step verification key, published in the README so that anyone trying the
# demo can add it to an authenticator app (or ask `flask demo-code` for the current code).
DEMO_TOTP_SECRET = "BANENAFSPRAAKDEMOTWEESTAPSCODE23"  # noqa: S105 - demo accounts only


def enrol_demo_staff(user: User) -> None:
    """Demo staff of a role that needs two-step verification have it on, with the demo key."""
    if is_required(user.role) and not user.two_factor_enabled:
        user.totp_secret = DEMO_TOTP_SECRET
        user.totp_enabled_at = datetime.now(UTC)


ORGANISATIONS = {
    "UWV": ("088 898 92 92", "werkgeversservicepunt@uwv.example"),
    "FermWerk": ("0348 123 456", "info@fermwerk.example"),
    "Gemeente Stichtse Vecht": ("0346 254 000", "werk@stichtsevecht.example"),
    "Gemeente Utrecht": ("030 286 00 00", "werk@utrecht.example"),
    "RSD Kromme Rijn Heuvelrug": ("030 692 15 00", "info@rsd-krh.example"),
    "Werk en Inkomen Lekstroom": ("030 750 89 00", "info@wil-lekstroom.example"),
}


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    role: Role
    phone: str | None = None
    organisation: str | None = None
    employer_kvk: str | None = None


EMPLOYERS = [
    ("Bakkerij De Korenschoof", "30123456", "Lange Nieuwstraat 12", "3512 PH", "Utrecht"),
    ("Groenvoorziening Heuvelrug", "30234567", "Bosweg 4", "3705 AB", "Zeist"),
    ("Zorgcentrum De Linde", "30345678", "Lindelaan 8", "3445 AK", "Woerden"),
]

CONTACT_PERSONS = [
    DemoUser(
        "f.elamrani@wsp-demo.nl",
        "Fatima",
        "el Amrani",
        Role.CONTACT_PERSON,
        "030 286 11 22",
        "Gemeente Utrecht",
    ),
    DemoUser(
        "j.devries@wsp-demo.nl", "Jeroen", "de Vries", Role.CONTACT_PERSON, "088 898 93 33", "UWV"
    ),
    DemoUser(
        "a.jansen@wsp-demo.nl", "Anouk", "Jansen", Role.CONTACT_PERSON, "0348 123 477", "FermWerk"
    ),
]
JOBCOACH = DemoUser(
    "p.hendriks@jobcoach-demo.nl", "Pieter", "Hendriks", Role.JOBCOACH, "06 11 22 33 44"
)
ADMINISTRATOR = DemoUser("beheer@wsp-demo.nl", "Bram", "Beheer", Role.ADMINISTRATOR)
MANAGER = DemoUser("teamleider@wsp-demo.nl", "Hanneke", "Koster", Role.MANAGER)
EMPLOYER_USERS = [
    DemoUser(
        "hr@korenschoof-demo.nl",
        "Marieke",
        "Peters",
        Role.EMPLOYER,
        "030 231 44 55",
        employer_kvk="30123456",
    ),
    DemoUser(
        "leiding@heuvelrug-demo.nl",
        "Kees",
        "van Dijk",
        Role.EMPLOYER,
        "030 699 12 12",
        employer_kvk="30234567",
    ),
    DemoUser(
        "p.o@delinde-demo.nl",
        "Ingrid",
        "Bos",
        Role.EMPLOYER,
        "0348 44 55 66",
        employer_kvk="30345678",
    ),
]


@dataclass(frozen=True)
class DemoWorker:
    user: DemoUser
    regime: Regime
    municipality: str
    in_doelgroepregister: bool
    employer_kvk: str
    story: str  # which placement history the demo shows, see _demo_placement
    coached: bool


def _worker(email, first, last, phone):
    return DemoUser(email, first, last, Role.WORKER, phone)


WORKERS = [
    DemoWorker(
        _worker("sanne@werknemer-demo.nl", "Sanne", "Bakker", "06 12 34 56 01"),
        Regime.PARTICIPATIEWET,
        "Utrecht",
        True,
        "30123456",
        "trial_ending",
        True,
    ),
    DemoWorker(
        _worker("daan@werknemer-demo.nl", "Daan", "Visser", "06 12 34 56 02"),
        Regime.WAJONG,
        "Zeist",
        True,
        "30234567",
        "contract_ending",
        True,
    ),
    DemoWorker(
        _worker("lotte@werknemer-demo.nl", "Lotte", "Smit", "06 12 34 56 03"),
        Regime.PARTICIPATIEWET,
        "Woerden",
        True,
        "30345678",
        "permanent",
        False,
    ),
    DemoWorker(
        _worker("mo@werknemer-demo.nl", "Mohammed", "Yilmaz", "06 12 34 56 04"),
        Regime.PRAKTIJKROUTE,
        "Utrecht",
        False,
        "30123456",
        "praktijkroute",
        False,
    ),
    DemoWorker(
        _worker("eva@werknemer-demo.nl", "Eva", "de Jong", "06 12 34 56 05"),
        Regime.WAJONG,
        "Nieuwegein",
        True,
        "30234567",
        "ended",
        False,
    ),
    DemoWorker(
        _worker("noah@werknemer-demo.nl", "Noah", "Mulder", "06 12 34 56 06"),
        Regime.PARTICIPATIEWET,
        "Montfoort",
        True,
        "30345678",
        "new_trial",
        True,
    ),
]

# Which contact person serves whom: the one from the worker's or employer's organisation.
CONTACT_BY_ORGANISATION = {
    "Gemeente Utrecht": "f.elamrani@wsp-demo.nl",
    "UWV": "j.devries@wsp-demo.nl",
    "FermWerk": "a.jansen@wsp-demo.nl",
}
EMPLOYER_CONTACT = {
    "30123456": "f.elamrani@wsp-demo.nl",
    "30234567": "j.devries@wsp-demo.nl",
    "30345678": "a.jansen@wsp-demo.nl",
}
ASSIGNMENTS_START = date(2024, 1, 1)


def seed_problem_categories(session: Session) -> None:
    """The categories of a melding; existing ones (maybe edited) are left alone."""
    known = set(session.scalars(select(ProblemCategory.code)))
    for order, category in enumerate(PROBLEM_CATEGORIES):
        if category.code not in known:
            session.add(
                ProblemCategory(
                    code=category.code,
                    label_nl=category.label_nl,
                    label_en=category.label_en,
                    outside_work=category.outside_work,
                    sort_order=order,
                )
            )


def seed_reference_data(session: Session) -> None:
    """Executing organisations, the 14 municipalities and routing table of Midden-Utrecht, the
    fixed list of end reasons, the melding categories with the buurtteam referral, and the first
    version of the evaluation questionnaire."""
    organisations = {o.name: o for o in session.scalars(select(ExecutingOrganisation))}
    for name, (phone, email) in ORGANISATIONS.items():
        if name not in organisations:
            organisations[name] = ExecutingOrganisation(name=name, phone=phone, email=email)
            session.add(organisations[name])
    municipalities = {m.name: m for m in session.scalars(select(Municipality))}
    for rule in MIDDEN_UTRECHT_RULES:
        if rule.municipality and rule.municipality not in municipalities:
            municipalities[rule.municipality] = Municipality(name=rule.municipality)
            session.add(municipalities[rule.municipality])
    session.flush()
    existing = {(r.regime, r.municipality_id) for r in session.scalars(select(RoutingRule))}
    for rule in MIDDEN_UTRECHT_RULES:
        regime = Regime(rule.regime) if rule.regime else None
        municipality = municipalities[rule.municipality] if rule.municipality else None
        key = (regime, municipality.id if municipality else None)
        if key not in existing:
            session.add(
                RoutingRule(
                    regime=regime,
                    municipality=municipality,
                    executing_organisation=organisations[rule.organisation],
                )
            )
    known_reasons = set(session.scalars(select(EndReason.code)))
    for order, reason in enumerate(END_REASONS):
        if reason.code not in known_reasons:
            session.add(
                EndReason(
                    code=reason.code,
                    label_nl=reason.label_nl,
                    label_en=reason.label_en,
                    needs_explanation=reason.needs_explanation,
                    sort_order=order,
                )
            )
    seed_problem_categories(session)
    for name, website in MUNICIPALITY_WEBSITES.items():
        if name in municipalities and not municipalities[name].buurtteam_url:
            municipalities[name].buurtteam_url = website
    session.flush()
    seed_questionnaire(session)


def _get_or_create_user(session: Session, spec: DemoUser, password_hash: str) -> User:
    user = session.scalar(select(User).where(User.email == spec.email))
    if user is None:
        user = User(
            email=spec.email,
            password_hash=password_hash,
            first_name=spec.first_name,
            last_name=spec.last_name,
            phone=spec.phone,
            role=spec.role,
        )
        session.add(user)
    enrol_demo_staff(user)
    if spec.organisation:
        user.executing_organisation = session.scalar(
            select(ExecutingOrganisation).where(ExecutingOrganisation.name == spec.organisation)
        )
    if spec.employer_kvk:
        user.employer = session.scalar(
            select(Employer).where(Employer.kvk_number == spec.employer_kvk)
        )
    session.flush()
    return user


def seed_demo(session: Session, today: date | None = None) -> dict[str, list[User]]:
    """Seed reference data plus the demo cast; returns the demo users by role for printing.

    Placement dates are relative to `today`, so the demo always shows a trial ending soon, a
    contract ending without a decision, a permanent contract and an ended placement.
    """
    today = today or date.today()
    seed_reference_data(session)
    password_hash = hash_password(DEMO_PASSWORD)
    employers = {}
    for name, kvk, street, postcode, city in EMPLOYERS:
        employer = session.scalar(select(Employer).where(Employer.kvk_number == kvk))
        if employer is None:
            employer = Employer(
                name=name, kvk_number=kvk, street=street, postcode=postcode, city=city
            )
            session.add(employer)
        employers[kvk] = employer
    session.flush()

    cast: dict[str, list[User]] = {role.value: [] for role in Role}
    staff = {}
    for spec in [*CONTACT_PERSONS, JOBCOACH, ADMINISTRATOR, MANAGER, *EMPLOYER_USERS]:
        staff[spec.email] = _get_or_create_user(session, spec, password_hash)
        cast[spec.role.value].append(staff[spec.email])

    for kvk, contact_email in EMPLOYER_CONTACT.items():
        if current_assignment(session, employer=employers[kvk]) is None:
            assign_contact(
                session,
                contact_person=staff[contact_email],
                employer=employers[kvk],
                starts_on=ASSIGNMENTS_START,
            )

    municipalities = {m.name: m for m in session.scalars(select(Municipality))}
    for demo in WORKERS:
        worker = _get_or_create_user(session, demo.user, password_hash)
        cast[Role.WORKER.value].append(worker)
        if worker.worker_profile is None:
            worker.worker_profile = WorkerProfile(
                regime=demo.regime,
                municipality=municipalities[demo.municipality],
                in_doelgroepregister=demo.in_doelgroepregister,
            )
        if current_assignment(session, worker=worker) is None:
            organisation = executing_organisation(demo.regime.value, demo.municipality)
            assign_contact(
                session,
                contact_person=staff[CONTACT_BY_ORGANISATION[organisation]],
                worker=worker,
                starts_on=ASSIGNMENTS_START,
            )
        has_placement = session.scalar(select(Placement.id).where(Placement.worker_id == worker.id))
        if has_placement is None:
            contact = staff[
                CONTACT_BY_ORGANISATION[
                    executing_organisation(demo.regime.value, demo.municipality)
                ]
            ]
            placement = _demo_placement(
                session, demo.story, worker, employers[demo.employer_kvk], contact, today
            )
            placement.jobcoach = staff[JOBCOACH.email] if demo.coached else None
            placement.supervisor = next(
                (u for u in cast[Role.EMPLOYER.value] if u.employer_id == placement.employer_id),
                None,
            )
    session.flush()
    seed_evaluation_demo(
        session,
        active_questionnaire(session),
        {user.email: user for user in cast[Role.WORKER.value]},
        today,
    )
    seed_coaching_demo(session, today)
    seed_reports_demo(session, today)
    seed_sickness_demo(session, cast, today)
    session.flush()
    return cast


def _demo_placement(
    session: Session, story: str, worker: User, employer: Employer, contact: User, today: date
) -> Placement:
    """Build one placement history through the same workflow the screens use."""

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    common = {"worker": worker, "employer": employer, "by": contact, "today": today}
    if story == "trial_ending":
        return start_placement(
            session,
            phase=Phase.PROEFPLAATSING,
            start=ago(55),
            trial_end=today + timedelta(days=6),
            hours_per_week=16,
            permanent_intention=Intention.MAYBE,
            **common,
        )
    if story == "contract_ending":
        placement = start_placement(
            session,
            phase=Phase.PROEFPLAATSING,
            start=ago(290),
            hours_per_week=24,
            buddy_name="Henk de Groot",
            buddy_harrie_trained=True,
            **common,
        )
        change_phase(
            session,
            placement,
            Phase.TIJDELIJK,
            effective_on=placement.trial_end + timedelta(days=1),
            contract_end=today + timedelta(days=23),
            by=contact,
            today=today,
        )
        return placement
    if story == "permanent":
        start = ago(800)
        placement = start_placement(
            session,
            phase=Phase.TIJDELIJK,
            start=start,
            contract_end=start + timedelta(days=364),
            hours_per_week=28,
            permanent_intention=Intention.YES,
            **common,
        )
        change_phase(
            session,
            placement,
            Phase.VAST,
            effective_on=start + timedelta(days=365),
            by=contact,
            today=today,
        )
        return placement
    if story == "praktijkroute":
        start = ago(190)
        return start_placement(
            session,
            phase=Phase.TIJDELIJK,
            start=start,
            contract_end=add_months(start, 12) - timedelta(days=1),
            route=Route.PRAKTIJKROUTE,
            loonkostensubsidie=True,
            hours_per_week=20,
            **common,
        )
    if story == "ended":
        start = ago(540)
        placement = start_placement(
            session,
            phase=Phase.TIJDELIJK,
            start=start,
            contract_end=start + timedelta(days=213),
            hours_per_week=32,
            **common,
        )
        ending = Ending(
            end_date=start + timedelta(days=135),
            main_reason="capacity_overestimated",
            other_reasons=("high_workload",),
            initiator=Initiator.EMPLOYER,
            cause=CauseSide.BOTH,
            follow_up_owner_id=contact.id,
            lessons="Beginnen met minder uren en een vaste werkbegeleider.",
        )
        return end_placement(session, placement, ending, by=contact, today=today)
    if story == "new_trial":
        return start_placement(
            session,
            phase=Phase.PROEFPLAATSING,
            start=ago(22),
            hours_per_week=12,
            self_found=True,
            self_found_how="Via een stage van school",
            **common,
        )
    raise ValueError(f"unknown demo story {story!r}")
