"""A generated region on top of the demo cast, so the regional dashboard shows real shapes.

`seed_region` adds two years of placement history in the 14 municipalities of Midden-Utrecht:
workers (numbered, `voornaam.achternaam-0001@regio-demo.nl`), the employers they work for
(KvK numbers from `employer_kvk`), and enough contact persons per executing organisation
(`...-001@wsp.regio-demo.nl`) for caseloads of 40-60 workers.

Each worker is planned first as plain data by `plan_worker`, from its own random stream
(the seed and the worker's number), so a worker's history does not depend on how many others are
asked for: `--size 800` after `--size 600` adds the same 200 workers a fresh run of 800 has. The
risk moment of an ending comes from the product's own `risk_moment`. Rows are then written
directly, in batches, in the shape the placement workflow gives them (no evaluation moments).
Idempotent: workers that exist are left alone, a larger size adds the difference.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from portal.models import (
    ContactAssignment,
    ContractDecision,
    ContractKind,
    Decision,
    Employer,
    EndReason,
    ExecutingOrganisation,
    Intention,
    Municipality,
    Phase,
    PhaseChange,
    Placement,
    PlacementContract,
    PraktijkrouteOutcome,
    Regime,
    Role,
    Route,
    User,
    WorkerProfile,
)
from portal.services.placements import (
    CauseSide,
    Initiator,
    RiskMoment,
    TemporaryContract,
    chain_status,
    risk_moment,
    trial_end_default,
)
from portal.services.routing import Rule, executing_organisation, load_rules
from portal.services.schedule import add_months

DOMAIN = "regio-demo.nl"
STAFF_DOMAIN = f"wsp.{DOMAIN}"
DEFAULT_SEED = 2026
HISTORY_DAYS = 730  # two years of starts, ending today
DECISION_HORIZON_MONTHS = 3  # as the dashboard counts pending decisions
CASELOAD_MAX = 60  # workers per contact person: 40-60 once an organisation has 120
WORKERS_PER_EMPLOYER = 4
BATCH = 250  # workers per flush: big enough for fast inserts, small enough for memory

# Inhabitants in thousands (CBS, 2024, rounded): where workers live and employers are.
MUNICIPALITY_WEIGHTS: dict[str, int] = {
    "Utrecht": 367,
    "Zeist": 66,
    "Stichtse Vecht": 66,
    "Nieuwegein": 65,
    "Woerden": 53,
    "Houten": 51,
    "Utrechtse Heuvelrug": 50,
    "De Bilt": 43,
    "IJsselstein": 35,
    "Wijk bij Duurstede": 24,
    "Bunnik": 15,
    "Lopik": 15,
    "Montfoort": 14,
    "Oudewater": 10,
}

# Place -> (municipality, first and last four digits of its postcodes, weight within it).
PLACES: dict[str, tuple[str, int, int, int]] = {
    "Utrecht": ("Utrecht", 3511, 3585, 8),
    "Vleuten": ("Utrecht", 3451, 3452, 1),
    "De Meern": ("Utrecht", 3453, 3454, 1),
    "Zeist": ("Zeist", 3701, 3709, 5),
    "Den Dolder": ("Zeist", 3734, 3734, 1),
    "Maarssen": ("Stichtse Vecht", 3601, 3608, 3),
    "Breukelen": ("Stichtse Vecht", 3621, 3621, 1),
    "Loenen aan de Vecht": ("Stichtse Vecht", 3632, 3632, 1),
    "Nieuwegein": ("Nieuwegein", 3430, 3439, 1),
    "Woerden": ("Woerden", 3441, 3447, 4),
    "Harmelen": ("Woerden", 3481, 3481, 1),
    "Houten": ("Houten", 3991, 3995, 1),
    "Driebergen-Rijsenburg": ("Utrechtse Heuvelrug", 3971, 3972, 2),
    "Doorn": ("Utrechtse Heuvelrug", 3941, 3941, 1),
    "Leersum": ("Utrechtse Heuvelrug", 3956, 3956, 1),
    "Amerongen": ("Utrechtse Heuvelrug", 3958, 3958, 1),
    "Bilthoven": ("De Bilt", 3721, 3723, 2),
    "De Bilt": ("De Bilt", 3731, 3732, 1),
    "Maartensdijk": ("De Bilt", 3738, 3738, 1),
    "IJsselstein": ("IJsselstein", 3401, 3402, 1),
    "Wijk bij Duurstede": ("Wijk bij Duurstede", 3961, 3962, 1),
    "Bunnik": ("Bunnik", 3981, 3981, 2),
    "Odijk": ("Bunnik", 3984, 3984, 1),
    "Lopik": ("Lopik", 3411, 3411, 1),
    "Montfoort": ("Montfoort", 3417, 3417, 1),
    "Oudewater": ("Oudewater", 3421, 3421, 1),
}

FIRST_NAMES = (
    "Sanne", "Daan", "Lotte", "Noah", "Emma", "Lucas", "Julia", "Sem", "Mila", "Finn", "Tess",
    "Levi", "Sophie", "Bram", "Anna", "Thijs", "Fleur", "Ruben", "Lisa", "Jesse", "Eva", "Milan",
    "Iris", "Stijn", "Lieke", "Koen", "Femke", "Tim", "Anouk", "Max", "Romy", "Luuk", "Nina",
    "Jasper", "Esmee", "Niels", "Demi", "Rick", "Kim", "Joost", "Wouter", "Marloes", "Gerrit",
    "Henk", "Ingrid", "Wilma", "Kees", "Mirjam", "Dirk", "Annemiek", "Mohammed", "Fatima", "Yusuf",
    "Amira", "Ayoub", "Nora", "Ilias", "Soufiane", "Samira", "Bilal", "Ahmed", "Khadija", "Zeynep",
    "Emre", "Elif", "Mehmet", "Aylin", "Burak", "Priya", "Ravi", "Shanti", "Dewi", "Kevin",
    "Sharon", "Jermaine", "Naomi", "Stacey", "Tomasz", "Agnieszka", "Piotr", "Oksana", "Dmitri",
    "Kwame", "Abena", "Senait", "Yonas", "Hodan", "Abdi", "Marisol", "Jurgen", "Chantal", "Dennis",
)  # fmt: skip

LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
    "van der Veen", "van den Broek", "de Bruijn", "van der Heijden", "Schouten", "van Beek",
    "Willems", "van Vliet", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal",
    "Prins", "Blom", "Huisman", "van Rijn", "Verbeek", "el Amrani", "Bouzid", "el Idrissi",
    "Benali", "Ouali", "Azzouzi", "Chaouch", "Yilmaz", "Kaya", "Demir", "Şahin", "Çelik",
    "Öztürk", "Aydın", "Sewnarain", "Ramdin", "Pinas", "Kromodimedjo", "Biharie", "Sopacua",
    "Latumahina", "Kowalski", "Nowak", "Wiśniewska", "Martina", "Isenia", "Mensah", "Boateng",
    "Tesfay", "Ali", "Abdullahi", "Nguyen", "Tran", "Rodrigues", "Fernandes", "Kramer",
)  # fmt: skip

# Sector -> (name patterns, workplaces). {surname}, {noun}, {place} are filled in.
SECTORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bakery": (
        ("Bakkerij {surname}", "Bakkerij De {noun}", "Warme Bakker {surname}"),
        ("Productie", "Inpakafdeling", "Winkel"),
    ),
    "green": (
        ("Groenvoorziening {place}", "Hoveniersbedrijf {surname}", "Groenbedrijf De {noun}"),
        ("Buitendienst", "Onderhoud openbaar groen"),
    ),
    "care": (
        ("Zorgcentrum De {noun}", "Woonzorgcentrum {noun}hof", "Zorggroep {place}"),
        ("Facilitaire dienst", "Keuken", "Activiteitenbegeleiding", "Receptie"),
    ),
    "logistics": (
        ("{surname} Logistiek", "Logistiek Centrum {place}", "Transportbedrijf {surname}"),
        ("Magazijn", "Orderpicking", "Expeditie"),
    ),
    "cleaning": (
        ("Schoonmaakbedrijf {surname}", "Schoonmaak {place}", "Glans Schoonmaakdiensten"),
        ("Schoonmaak", "Glasbewassing"),
    ),
    "childcare": (
        ("Kinderopvang De {noun}", "Kinderdagverblijf De {noun}", "Kinderopvang {place}"),
        ("Ondersteuning groep", "Keuken", "Huishoudelijke dienst"),
    ),
    "retail": (
        ("Supermarkt {surname}", "Buurtsuper {place}", "Bouwmarkt {place}"),
        ("Vakkenvullen", "Kassa", "Magazijn"),
    ),
    "hospitality": (
        ("Hotel De {noun}", "Restaurant {surname}", "Lunchroom De {noun}"),
        ("Housekeeping", "Keuken", "Afwas", "Bediening"),
    ),
    "car": (
        ("Autobedrijf {surname}", "Garage {place}", "Autoschade {surname}"),
        ("Werkplaats", "Poetsstraat"),
    ),
    "recycling": (
        ("Kringloopwinkel {place}", "Kringloop De {noun}"),
        ("Sorteren", "Winkel", "Ophaaldienst"),
    ),
    "catering": (
        ("Catering {surname}", "Bedrijfsrestaurant {place}"),
        ("Keuken", "Afwas", "Bediening"),
    ),
    "metal": (
        ("Metaalbewerking {surname}", "{surname} Metaal", "Constructiebedrijf {place}"),
        ("Productie", "Assemblage"),
    ),
    "nursery": (
        ("Kwekerij {surname}", "Tuincentrum {place}", "Boomkwekerij De {noun}"),
        ("Kas", "Verkoop", "Oppotten"),
    ),
    "laundry": (("Wasserij {place}", "Textielservice {surname}"), ("Strijkerij", "Sorteren")),
    "office": (
        ("Administratiekantoor {surname}", "Verzekeringen {place}"),
        ("Archief", "Postkamer", "Digitaliseren"),
    ),
    "bikes": (("Fietsenmaker {surname}", "Fietsenwinkel {place}"), ("Werkplaats", "Winkel")),
}
NOUNS = (
    "Linde", "Eik", "Horst", "Molen", "Brug", "Hoeve", "Kade", "Vaart", "Lek", "Vecht", "Waard",
    "Zonnebloem", "Klaproos", "Korenbloem", "Beuk", "Wilg", "Meent", "Brink", "Singel", "Kroon",
)  # fmt: skip
STREETS = (
    "Industrieweg", "Nijverheidsweg", "Ambachtsweg", "Handelsweg", "Energieweg", "Kerkstraat",
    "Dorpsstraat", "Stationsweg", "Molenweg", "Marktstraat", "Schoolstraat", "Parallelweg",
    "Zuidpoolweg", "Kanaalweg", "Rijnkade", "Vaartweg", "Lindelaan", "Beukenlaan", "Poortweg",
)  # fmt: skip
SELF_FOUND_HOW = (
    "Via een stage van school",
    "Via familie",
    "Via een vriend die er al werkt",
    "Zelf gesolliciteerd via een vacaturesite",
    "Open sollicitatie bij een bedrijf in de buurt",
    "Via de sportclub",
    "Via een uitzendbureau",
    "Via vrijwilligerswerk bij dezelfde organisatie",
)
LESSONS = (
    "Beginnen met minder uren en langzaam opbouwen.",
    "Vanaf de eerste dag een vaste werkbegeleider afspreken.",
    "Eerder een evaluatiegesprek plannen.",
    "Jobcoach eerder inzetten.",
    "Verwachtingen van de werkgever vooraf samen bespreken.",
    "Bij een nieuwe leidinggevende direct een overdrachtsgesprek.",
)
OTHER_EXPLANATIONS = (
    "Verhuisd naar een andere regio",
    "Vervoer naar het werk viel weg",
    "Werkgever is gestopt met het bedrijf",
)

# Which end reasons go with which risk moment, and how often (the region's research: the
# match and the start, capacity and guidance early; health, changes and budget later).
REASONS_BY_MOMENT: dict[RiskMoment, dict[str, int]] = {
    RiskMoment.DURING_TRIAL: {
        "no_match": 22,
        "capacity_overestimated": 16,
        "work_disappoints": 12,
        "not_work_ready": 10,
        "guidance_need_too_high": 10,
        "employer_expectations": 8,
        "insufficient_performance": 6,
        "problems_outside_work": 5,
        "refuses_guidance": 4,
        "health_worse": 4,
        "other_work_or_education": 2,
        "ended_by_uwv_or_municipality": 1,
    },
    RiskMoment.AT_FIRST_CONTRACT: {
        "no_match": 15,
        "insufficient_performance": 14,
        "costs_outweigh_productivity": 12,
        "no_budget": 12,
        "guidance_need_too_high": 10,
        "employer_fears_risks": 8,
        "capacity_overestimated": 8,
        "loonwaarde_dispute": 5,
        "work_does_not_pay": 4,
        "no_guidance_arranged": 4,
    },
    RiskMoment.FIRST_HALF_YEAR: {
        "capacity_overestimated": 16,
        "guidance_need_too_high": 13,
        "health_worse": 12,
        "problems_outside_work": 11,
        "high_workload": 9,
        "insufficient_performance": 8,
        "no_match": 8,
        "no_guidance_arranged": 6,
        "new_manager_or_colleagues": 4,
        "provision_too_late": 3,
        "refuses_guidance": 3,
    },
    RiskMoment.LATER_TEMPORARY: {
        "health_worse": 16,
        "problems_outside_work": 12,
        "new_manager_or_colleagues": 12,
        "reorganisation": 12,
        "high_workload": 10,
        "other_work_or_education": 8,
        "capacity_overestimated": 6,
        "guidance_need_too_high": 6,
        "capacity_underestimated": 3,
        "other": 2,
    },
    RiskMoment.AT_TEMPORARY_TO_PERMANENT: {
        "no_budget": 22,
        "no_permanent_contracts": 14,
        "costs_outweigh_productivity": 12,
        "employer_fears_risks": 8,
        "insufficient_performance": 8,
        "reorganisation": 6,
        "loonwaarde_dispute": 5,
        "high_workload": 4,
        "work_does_not_pay": 3,
    },
    RiskMoment.AFTER_PERMANENT: {
        "health_worse": 20,
        "reorganisation": 16,
        "new_manager_or_colleagues": 14,
        "problems_outside_work": 12,
        "other_work_or_education": 10,
        "high_workload": 8,
        "work_does_not_pay": 4,
        "capacity_overestimated": 4,
        "other": 2,
    },
}
WORKER_SIDE = {
    "health_worse",
    "problems_outside_work",
    "other_work_or_education",
    "work_does_not_pay",
    "work_disappoints",
    "refuses_guidance",
    "not_work_ready",
}
EMPLOYER_SIDE = {
    "no_budget",
    "no_permanent_contracts",
    "employer_fears_risks",
    "reorganisation",
    "new_manager_or_colleagues",
    "employer_expectations",
    "chain_full",
    "high_workload",
}

# Monthly chance of ending in each stretch, and the chances at each step. Tuned so that about
# 80 % still works after 6 months and 70 % after 12 (the region's figures), and a third of the
# placements started in two years has ended.
TRIAL_HAZARD = 0.05
FIRST_HALF_YEAR_HAZARD = 0.02
LATER_TEMPORARY_HAZARD = 0.018
PERMANENT_HAZARD = 0.01
NO_CONTRACT_AFTER_TRIAL = 0.05
# Contract number in the chain -> chance of ending, of a permanent contract (else a renewal).
AT_CONTRACT_END = {1: (0.12, 0.25), 2: (0.18, 0.40), 3: (0.40, 0.60)}
INTENTION_EFFECT = {Intention.YES: 1.5, Intention.MAYBE: 1.0, Intention.NO: 0.4}
DECIDED_AHEAD = 0.45  # share of contracts ending within the horizon that have a decision
DECISION_RECORDED = 0.8  # share of past contract ends with a recorded decision
SELF_FOUND = 0.12
REPLACED = 0.3  # share of workers whose placement ended that start a new one
DAYS_PER_MONTH = 30.44


def employer_kvk(index: int) -> str:
    """The KvK number of generated employer `index` (1, 2, ...): 8 digits from 60000000 up, so
    never one of the cast's 30xxxxxx. The multiplier is coprime with the modulus, so the numbers
    are distinct, and near its golden ratio, so they look scattered."""
    return f"{60_000_000 + (index * 24_721_359) % 40_000_000:08d}"


def employers_needed(workers: int) -> int:
    return max(3, math.ceil(workers / WORKERS_PER_EMPLOYER))


def contact_persons_needed(workers: int) -> int:
    """Contact persons an organisation needs for this many workers (at least one)."""
    return max(1, math.ceil(workers / CASELOAD_MAX))


# Plans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractPlan:
    kind: ContractKind
    number: int
    start: date
    end: date | None


@dataclass(frozen=True)
class DecisionPlan:
    contract: int  # index in the placement's contracts
    decision: Decision
    new_end: date | None
    decided_on: date


@dataclass(frozen=True)
class EndingPlan:
    end_date: date
    reason: str
    other_reasons: tuple[str, ...]
    initiator: Initiator
    cause: CauseSide
    risk_moment: RiskMoment
    explanation: str | None
    lessons: str | None


@dataclass(frozen=True)
class PhaseChangePlan:
    from_phase: Phase | None
    to_phase: Phase
    effective_on: date
    recorded_on: date


@dataclass(frozen=True)
class PlacementPlan:
    start: date
    phase: Phase
    trial_end: date | None
    contracts: tuple[ContractPlan, ...]
    changes: tuple[PhaseChangePlan, ...]
    decisions: tuple[DecisionPlan, ...]
    ending: EndingPlan | None
    hours_per_week: float
    loonwaarde_percent: int | None
    loonwaarde_measured_on: date | None
    loonkostensubsidie: bool
    route: Route
    praktijkroute_outcome: PraktijkrouteOutcome | None
    permanent_intention: Intention
    self_found_how: str | None  # None: not self-found
    buddy_name: str | None
    buddy_harrie_trained: bool

    @property
    def chain_number(self) -> int:
        return max(
            (c.number for c in self.contracts if c.kind == ContractKind.TIJDELIJK), default=0
        )


@dataclass(frozen=True)
class WorkerPlan:
    number: int
    first_name: str
    last_name: str
    email: str
    phone: str
    regime: Regime
    municipality: str
    in_doelgroepregister: bool
    contact_since: date
    placements: tuple[PlacementPlan, ...]


def slug(text: str) -> str:
    """ASCII letters only, lower case: 'van den Berg' -> 'vandenberg', 'Öztürk' -> 'ozturk'."""
    dotless = text.replace("ı", "i")  # the Turkish dotless i has no decomposition
    plain = unicodedata.normalize("NFKD", dotless).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def worker_email(first_name: str, last_name: str, number: int) -> str:
    return f"{slug(first_name)}.{slug(last_name)}-{number:04d}@{DOMAIN}"


def _weighted(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _ends_within(rng: random.Random, first: date, last: date, monthly: float) -> date | None:
    """The day after `first` up to `last` on which the placement ends at this monthly hazard,
    or None. Not on `first` itself: that is the day of a phase change (or the start)."""
    rate = -math.log(1 - monthly) / DAYS_PER_MONTH
    day = first + timedelta(days=1 + int(rng.expovariate(rate)))
    return day if day <= last else None


def _municipality_for(number: int, rng: random.Random) -> str:
    # The first 14 workers live one in each municipality, so a small region shows them all.
    names = list(MUNICIPALITY_WEIGHTS)
    if number <= len(names):
        return names[number - 1]
    return _weighted(rng, MUNICIPALITY_WEIGHTS)


def plan_worker(seed: int, number: int, today: date, reasons: Collection[str]) -> WorkerPlan:
    """Worker `number` of the region: deterministic for the seed, number, today and the active
    end reason codes."""
    rng = random.Random(f"{seed}:worker:{number}")
    first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    phone = "06 " + " ".join(f"{rng.randint(10, 99)}" for _ in range(4))
    municipality = _municipality_for(number, rng)
    regime = _weighted(
        rng, {Regime.WAJONG: 30, Regime.PARTICIPATIEWET: 60, Regime.PRAKTIJKROUTE: 10}
    )
    first_start = today - timedelta(days=rng.randint(1, HISTORY_DAYS))
    placements = [_plan_placement(rng, first_start, today, regime, reasons)]
    ended = placements[0].ending
    if ended is not None and ended.end_date <= today - timedelta(days=30):
        again = rng.random() < REPLACED
        restart = ended.end_date + timedelta(days=rng.randint(30, 240))
        if again and restart < today:
            placements.append(_plan_placement(rng, restart, today, regime, reasons))
    registered = regime != Regime.PRAKTIJKROUTE or any(
        p.praktijkroute_outcome == PraktijkrouteOutcome.REDUCED for p in placements
    )
    return WorkerPlan(
        number=number,
        first_name=first_name,
        last_name=last_name,
        email=worker_email(first_name, last_name, number),
        phone=phone,
        regime=regime,
        municipality=municipality,
        in_doelgroepregister=registered,
        contact_since=first_start - timedelta(days=rng.randint(14, 120)),
        placements=tuple(placements),
    )


class _History:
    """The phase history of one placement as it is simulated."""

    def __init__(self, start: date, today: date):
        self.start, self.today = start, today
        self.phase: Phase | None = None
        self.trial_end: date | None = None
        self.contracts: list[ContractPlan] = []
        self.changes: list[PhaseChangePlan] = []
        self.decisions: list[DecisionPlan] = []

    def move(self, phase: Phase, on: date, recorded_on: date | None = None) -> None:
        recorded = min(recorded_on or on, self.today)
        self.changes.append(PhaseChangePlan(self.phase, phase, on, recorded))
        self.phase = phase

    def temporary(self, start: date, end: date, recorded_on: date | None = None) -> int:
        previous = [
            TemporaryContract(c.start, c.end)
            for c in self.contracts
            if c.kind == ContractKind.TIJDELIJK and c.end is not None
        ]
        number = chain_status(previous, TemporaryContract(start, end)).number
        self.contracts.append(ContractPlan(ContractKind.TIJDELIJK, number, start, end))
        self.move(Phase.TIJDELIJK, start, recorded_on)
        return number

    def permanent(self, start: date, recorded_on: date | None = None) -> None:
        # As the workflow does: the permanent contract carries the chain number (or 1).
        number = max((c.number for c in self.contracts), default=0) or 1
        self.contracts.append(ContractPlan(ContractKind.VAST, number, start, None))
        self.move(Phase.VAST, start, recorded_on)

    @property
    def contract_end(self) -> date | None:
        return self.contracts[-1].end if self.contracts else None


def _plan_placement(
    rng: random.Random, start: date, today: date, regime: Regime, reasons: Collection[str]
) -> PlacementPlan:
    praktijkroute = regime == Regime.PRAKTIJKROUTE
    self_found = rng.random() < SELF_FOUND
    intention = _weighted(rng, {Intention.YES: 30, Intention.MAYBE: 45, Intention.NO: 25})
    hours = float(_weighted(rng, {12: 10, 16: 18, 20: 22, 24: 20, 28: 12, 32: 10, 36: 8}))
    buddy = rng.random() < 0.6
    buddy_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    harrie = rng.random() < 0.35
    how = rng.choice(SELF_FOUND_HOW)
    history = _History(start, today)
    # The Praktijkroute starts with a contract (and a forfaitaire LKS), without a trial.
    trial = not praktijkroute and rng.random() < (0.4 if self_found else 0.8)
    end_day, end_phase, recorded_on = _simulate(rng, history, trial, intention, praktijkroute)
    ending = None
    if end_day is not None:
        moment = risk_moment(
            end_phase,
            start,
            end_day,
            trial_end=history.trial_end,
            contract_end=history.contract_end,
        )
        ending = _plan_ending(rng, end_day, moment, history, reasons)
        history.move(Phase.BEEINDIGD, end_day, recorded_on=recorded_on)
    loonwaarde, measured_on, subsidy, outcome = _plan_loonwaarde(
        rng, regime, start, today, ending.end_date if ending else None
    )
    return PlacementPlan(
        start=start,
        phase=history.phase,
        trial_end=history.trial_end,
        contracts=tuple(history.contracts),
        changes=tuple(history.changes),
        decisions=tuple(history.decisions),
        ending=ending,
        hours_per_week=hours,
        loonwaarde_percent=loonwaarde,
        loonwaarde_measured_on=measured_on,
        loonkostensubsidie=subsidy,
        route=Route.PRAKTIJKROUTE if praktijkroute else Route.REGULAR,
        praktijkroute_outcome=outcome,
        permanent_intention=intention,
        self_found_how=how if self_found else None,
        buddy_name=buddy_name if buddy else None,
        buddy_harrie_trained=buddy and harrie,
    )


_RUNNING = (None, None, None)


def _simulate(
    rng: random.Random, history: _History, trial: bool, intention: Intention, praktijkroute: bool
) -> tuple[date | None, Phase | None, date | None]:
    """Run the placement from its start up to today. Return the end day, the phase it ended in
    and the day the ending was recorded (`_RUNNING` while it runs). A recorded decision takes
    effect when it is recorded, as in the workflow: a renewal or a permanent contract starts
    the next contract at once (from its first day), a refusal ends the placement at once."""
    start, today = history.start, history.today
    horizon = add_months(today, DECISION_HORIZON_MONTHS)
    half_year = add_months(start, 6)
    contract_start = start
    if trial:
        history.trial_end = trial_end_default(start)
        history.move(Phase.PROEFPLAATSING, start)
        end = _ends_within(
            rng, start, min(history.trial_end - timedelta(days=1), today), TRIAL_HAZARD
        )
        no_contract = rng.random() < NO_CONTRACT_AFTER_TRIAL
        straight_to_permanent = rng.random() < 0.05
        if end is not None:
            return end, Phase.PROEFPLAATSING, end
        if history.trial_end >= today:
            return _RUNNING
        if no_contract:
            return history.trial_end, Phase.PROEFPLAATSING, history.trial_end
        contract_start = history.trial_end + timedelta(days=1)
        if straight_to_permanent:
            history.permanent(contract_start)
            return _simulate_permanent(rng, history, contract_start)
    months = 12 if praktijkroute else _weighted(rng, {6: 55, 12: 45})
    recorded = None  # the day the current contract was entered, when not its first day
    while True:
        contract_end = add_months(contract_start, months) - timedelta(days=1)
        number = history.temporary(contract_start, contract_end, recorded_on=recorded)
        last = min(contract_end - timedelta(days=1), today)
        early = _ends_within(
            rng, contract_start, min(last, half_year - timedelta(days=1)), FIRST_HALF_YEAR_HAZARD
        )
        later = _ends_within(rng, max(contract_start, half_year), last, LATER_TEMPORARY_HAZARD)
        outcome_draw, decided_draw = rng.random(), rng.random()
        decided_on = contract_end - timedelta(days=rng.randint(10, 60))
        months = _weighted(rng, {6: 30, 12: 70})
        if early is not None or later is not None:
            return early or later, Phase.TIJDELIJK, early or later
        if contract_end > horizon:
            return _RUNNING  # no decision due yet
        if contract_end >= today:
            if decided_draw >= DECIDED_AHEAD:
                return _RUNNING  # the decision is pending
            decided_on = today - timedelta(days=rng.randint(0, 21))
        elif decided_draw >= DECISION_RECORDED:
            decided_on = None  # the change was made without recording a decision
        if decided_on is not None:
            decided_on = max(decided_on, contract_start)
        next_start = contract_end + timedelta(days=1)
        next_end = add_months(next_start, months) - timedelta(days=1)
        decision = _contract_outcome(outcome_draw, number, intention)
        if (
            decision == Decision.RENEW
            and chain_status(
                [TemporaryContract(c.start, c.end) for c in history.contracts if c.end is not None],
                TemporaryContract(next_start, next_end),
            ).becomes_permanent_by_law
        ):
            decision = Decision.PERMANENT
        if decided_on is not None:
            history.decisions.append(
                DecisionPlan(
                    len(history.contracts) - 1,
                    decision,
                    next_end if decision == Decision.RENEW else None,
                    decided_on,
                )
            )
        if decision == Decision.END:
            return contract_end, Phase.TIJDELIJK, decided_on or contract_end
        if decision == Decision.PERMANENT:
            history.permanent(next_start, recorded_on=decided_on)
            return _simulate_permanent(rng, history, next_start)
        if next_start > today:
            history.temporary(next_start, next_end, recorded_on=decided_on)
            return _RUNNING
        contract_start, recorded = next_start, decided_on


def _simulate_permanent(
    rng: random.Random, history: _History, start: date
) -> tuple[date | None, Phase | None, date | None]:
    end = _ends_within(rng, start, history.today, PERMANENT_HAZARD)
    return (end, Phase.VAST, end) if end is not None else _RUNNING


def _contract_outcome(draw: float, number: int, intention: Intention) -> Decision:
    end, permanent = AT_CONTRACT_END[min(number, 3)]
    permanent = min(1 - end, permanent * INTENTION_EFFECT[intention])
    if draw < end:
        return Decision.END
    if draw < end + permanent or number >= 3:
        return Decision.PERMANENT
    return Decision.RENEW


def _plan_ending(
    rng: random.Random,
    end_day: date,
    moment: RiskMoment,
    history: _History,
    reasons: Collection[str],
) -> EndingPlan:
    weights = {code: w for code, w in REASONS_BY_MOMENT[moment].items() if code in reasons}
    chain_full = (
        moment == RiskMoment.AT_TEMPORARY_TO_PERMANENT
        and max((c.number for c in history.contracts), default=0) >= 3
        and "chain_full" in reasons
    )
    draw, other_draw, lesson_draw = rng.random(), rng.random(), rng.random()
    if chain_full and draw < 0.7:
        reason = "chain_full"
    elif weights:
        reason = _weighted(rng, weights)
    else:
        reason = sorted(reasons)[0]
    others = [code for code in weights if code != reason]
    other = (rng.choice(others),) if others and other_draw < 0.3 else ()
    if reason in WORKER_SIDE:
        initiator, cause = (
            Initiator.WORKER,
            _weighted(rng, {CauseSide.WORKER: 3, CauseSide.EXTERNAL: 2}),
        )
    elif reason in EMPLOYER_SIDE:
        initiator, cause = (
            Initiator.EMPLOYER,
            _weighted(rng, {CauseSide.EMPLOYER: 3, CauseSide.EXTERNAL: 1}),
        )
    elif reason == "ended_by_uwv_or_municipality":
        initiator, cause = Initiator.MUNICIPALITY_OR_UWV, CauseSide.BOTH
    else:
        initiator = _weighted(rng, {Initiator.EMPLOYER: 3, Initiator.WORKER: 1})
        cause = _weighted(rng, {CauseSide.BOTH: 3, CauseSide.WORKER: 1, CauseSide.EMPLOYER: 1})
    return EndingPlan(
        end_date=end_day,
        reason=reason,
        other_reasons=other,
        initiator=initiator,
        cause=cause,
        risk_moment=moment,
        explanation=rng.choice(OTHER_EXPLANATIONS) if reason == "other" else None,
        lessons=rng.choice(LESSONS) if lesson_draw < 0.4 else None,
    )


def _plan_loonwaarde(
    rng: random.Random, regime: Regime, start: date, today: date, end: date | None
) -> tuple[int | None, date | None, bool, PraktijkrouteOutcome | None]:
    """The loonwaarde, when it was measured, LKS or not, and the Praktijkroute outcome."""
    last = min(today, end) if end else today
    if regime == Regime.PRAKTIJKROUTE:
        measured_on = add_months(start, 6)  # measured on the workplace after six months
        reduced = rng.random() < 0.7
        value = max(30, min(95, round(rng.gauss(65, 12))))
        if measured_on > last:
            return None, None, True, None  # still on the forfaitaire LKS
        if reduced:
            return value, measured_on, True, PraktijkrouteOutcome.REDUCED
        return 100, measured_on, False, PraktijkrouteOutcome.NOT_REDUCED
    mean = 50 if regime == Regime.WAJONG else 62
    value = max(20, min(95, round(rng.gauss(mean, 14))))
    measured_on = start + timedelta(days=rng.randint(20, 60))
    if measured_on > last:
        return None, None, regime != Regime.WAJONG, None
    # Wajong: loondispensatie through UWV, not the municipality's loonkostensubsidie.
    return value, measured_on, regime != Regime.WAJONG, None


@dataclass(frozen=True)
class EmployerPlan:
    kvk: str
    name: str
    sector: str
    place: str
    street: str
    postcode: str
    weight: int  # how many placements it takes, relatively
    contact_since: date


def municipality_of_place(place: str) -> str | None:
    found = PLACES.get(place)
    return found[0] if found else None


def plan_employer(seed: int, index: int, today: date, taken: set[str]) -> EmployerPlan:
    """Generated employer `index`; its name differs from those in `taken`."""
    rng = random.Random(f"{seed}:employer:{index}")
    municipality = _weighted(rng, MUNICIPALITY_WEIGHTS)
    places = {p: w for p, (m, _, _, w) in PLACES.items() if m == municipality}
    place = _weighted(rng, places)
    _, low, high, _ = PLACES[place]
    sector = rng.choice(list(SECTORS))
    weight = _weighted(rng, {1: 60, 3: 30, 8: 10})
    name = ""
    for _ in range(20):
        pattern = rng.choice(SECTORS[sector][0])
        name = pattern.format(surname=_surname(rng), noun=rng.choice(NOUNS), place=place)
        if name not in taken:
            break
    else:
        name = f"{name} ({index})"
    letters = "SA"
    while letters in ("SA", "SD", "SS"):  # letter pairs that PostNL does not use
        letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTVWXZ") for _ in range(2))
    return EmployerPlan(
        kvk=employer_kvk(index),
        name=name,
        sector=sector,
        place=place,
        street=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
        postcode=f"{rng.randint(low, high)} {letters}",
        weight=weight,
        contact_since=today - timedelta(days=HISTORY_DAYS + rng.randint(0, 400)),
    )


def _surname(rng: random.Random) -> str:
    name = rng.choice(LAST_NAMES)
    return name[0].upper() + name[1:]  # "van Dijk" -> "Van Dijk" at the start of a name


# Writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionSummary:
    workers: int  # generated workers in the database now
    added: int  # of which added by this run
    placements: int  # their placements
    employers: int  # generated employers
    contact_persons: int  # generated contact persons


@dataclass(frozen=True)
class _PoolEntry:
    employer: Employer
    municipality: str | None
    weight: int
    sector: str


class _EmployerPool:
    """The employers workers are placed with; most workers work near home: in their own
    municipality, or else with the same executing organisation."""

    def __init__(self, entries: list[_PoolEntry], organisation_of: dict[str, str]):
        self.all = entries
        by_municipality = defaultdict(list)
        for entry in entries:
            by_municipality[entry.municipality].append(entry)
        self.local: dict[str, list[_PoolEntry]] = {}
        for municipality, organisation in organisation_of.items():
            cluster = [
                entry
                for other, other_org in organisation_of.items()
                if other_org == organisation
                for entry in by_municipality[other]
            ]
            self.local[municipality] = by_municipality[municipality] or cluster or entries
        self._cumulative: dict[int, list[int]] = {}

    def _pick(self, rng: random.Random, entries: list[_PoolEntry]) -> _PoolEntry:
        cumulative = self._cumulative.get(id(entries))
        if cumulative is None:
            cumulative = self._cumulative[id(entries)] = list(accumulate(e.weight for e in entries))
        return entries[bisect(cumulative, rng.random() * cumulative[-1])]

    def choose(self, rng: random.Random, municipality: str, avoid: Employer | None) -> _PoolEntry:
        """An employer for a worker from `municipality`, preferably not `avoid` (the last one)."""
        for _ in range(10):
            entries = self.local[municipality] if rng.random() < 0.65 else self.all
            entry = self._pick(rng, entries)
            if entry.employer is not avoid:
                break
        return entry


@dataclass
class _Caseload:
    user: User
    workers: int
    employers: int


class _Contacts:
    """The generated contact persons per organisation with their caseloads, read once."""

    def __init__(self, session: Session, seed: int, password_hash: str):
        self.session, self.seed, self.password_hash = session, seed, password_hash
        rows = session.execute(
            select(User, func.count(ContactAssignment.id))
            .outerjoin(
                ContactAssignment,
                and_(
                    ContactAssignment.contact_person_id == User.id,
                    ContactAssignment.worker_id.is_not(None),
                    ContactAssignment.ends_on.is_(None),
                ),
            )
            .where(User.email.like(f"%@{STAFF_DOMAIN}"), User.role == Role.CONTACT_PERSON)
            .group_by(User.id)
            .order_by(User.id)
        ).all()
        employers = dict(
            session.execute(
                select(ContactAssignment.contact_person_id, func.count())
                .where(
                    ContactAssignment.employer_id.is_not(None),
                    ContactAssignment.ends_on.is_(None),
                )
                .group_by(ContactAssignment.contact_person_id)
            ).all()
        )
        self.next_number = 1 + max((_number(user.email) for user, _ in rows), default=0)
        self.by_org: dict[int, list[_Caseload]] = defaultdict(list)
        for user, workers in rows:
            if user.active and user.executing_organisation_id is not None:
                self.by_org[user.executing_organisation_id].append(
                    _Caseload(user, workers, employers.get(user.id, 0))
                )

    def workers_of(self, organisation: ExecutingOrganisation) -> int:
        return sum(caseload.workers for caseload in self.by_org[organisation.id])

    def ensure(self, organisation: ExecutingOrganisation, workers: int) -> None:
        """Enough contact persons in the organisation for `workers` workers in all."""
        from portal.demo import enrol_demo_staff  # portal.demo imports this module

        caseloads = self.by_org[organisation.id]
        while len(caseloads) < contact_persons_needed(workers):
            number = self.next_number
            self.next_number += 1
            rng = random.Random(f"{self.seed}:contact:{number}")
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            user = User(
                email=f"{slug(first[0])}.{slug(last)}-{number:03d}@{STAFF_DOMAIN}",
                first_name=first,
                last_name=last,
                phone=f"030 {rng.randint(200, 799)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                role=Role.CONTACT_PERSON,
                executing_organisation=organisation,
                password_hash=self.password_hash,
            )
            enrol_demo_staff(user)
            self.session.add(user)
            caseloads.append(_Caseload(user, 0, 0))

    def take_worker(self, organisation: ExecutingOrganisation) -> User:
        """The contact person with the fewest workers, who gets one more."""
        caseload = min(self.by_org[organisation.id], key=lambda c: (c.workers, c.user.email))
        caseload.workers += 1
        return caseload.user

    def take_employer(self, organisation: ExecutingOrganisation) -> User:
        caseload = min(self.by_org[organisation.id], key=lambda c: (c.employers, c.user.email))
        caseload.employers += 1
        return caseload.user


def _number(email: str) -> int:
    found = re.search(r"-(\d+)@", email)
    return int(found.group(1)) if found else 0


def generated_workers(session: Session) -> dict[int, User]:
    """The generated workers by their number."""
    users = session.scalars(
        select(User).where(User.email.like(f"%@{DOMAIN}"), User.role == Role.WORKER)
    )
    return {_number(user.email): user for user in users}


def is_generated_employer(kvk_number: str) -> bool:
    return kvk_number >= employer_kvk(0)  # every generated number is 60000000 or more


@dataclass
class _Region:
    """What writing needs, read from the database once."""

    session: Session
    seed: int
    today: date
    rules: list[Rule]
    organisations: dict[str, ExecutingOrganisation]
    municipalities: dict[str, Municipality]
    reasons: dict[str, EndReason]
    password_hash: str
    contacts: _Contacts
    # municipality -> the organisation that executes the Participatiewet there
    participatiewet: dict[str, str]


def seed_region(
    session: Session, today: date, size: int, seed: int = DEFAULT_SEED
) -> RegionSummary:
    """Make sure workers 1..`size` of the generated region exist; needs the reference data
    (municipalities, routing table, end reasons). Nothing is removed when fewer are asked."""
    from portal.demo import DEMO_PASSWORD
    from portal.security import hash_password

    municipalities = {m.name: m for m in session.scalars(select(Municipality))}
    missing = set(MUNICIPALITY_WEIGHTS) - set(municipalities)
    if missing:
        raise ValueError(f"reference data missing, run seed-reference: {sorted(missing)}")
    reasons = {
        r.code: r for r in session.scalars(select(EndReason).where(EndReason.active.is_(True)))
    }
    if not reasons:
        raise ValueError("reference data missing, run seed-reference: no active end reasons")
    existing = generated_workers(session)
    plans = [
        plan_worker(seed, number, today, frozenset(reasons))
        for number in range(1, size + 1)
        if number not in existing
    ]
    if plans:
        rules = load_rules(session)
        password_hash = hash_password(DEMO_PASSWORD)  # once: hashing is slow on purpose
        region = _Region(
            session=session,
            seed=seed,
            today=today,
            rules=rules,
            organisations={o.name: o for o in session.scalars(select(ExecutingOrganisation))},
            municipalities=municipalities,
            reasons=reasons,
            password_hash=password_hash,
            contacts=_Contacts(session, seed, password_hash),
            participatiewet={
                name: executing_organisation(Regime.PARTICIPATIEWET.value, name, rules)
                for name in MUNICIPALITY_WEIGHTS
            },
        )
        pool = _employer_pool(region, size)
        _write_workers(region, plans, pool)
    return _summary(session, added=len(plans))


def _employer_pool(region: _Region, size: int) -> _EmployerPool:
    """The generated employers for a region of `size` workers; the missing ones are added, each
    with the account manager of the organisation that executes the Participatiewet where it is."""
    session = region.session
    wanted = [employer_kvk(index) for index in range(1, employers_needed(size) + 1)]
    found = {
        e.kvk_number: e
        for e in session.scalars(select(Employer).where(Employer.kvk_number.in_(wanted)))
    }
    taken = set(session.scalars(select(Employer.name)))
    entries = []
    for index, kvk in enumerate(wanted, start=1):
        plan = plan_employer(region.seed, index, region.today, taken)
        employer = found.get(kvk)
        if employer is None:
            taken.add(plan.name)
            employer = Employer(
                name=plan.name,
                kvk_number=kvk,
                street=plan.street,
                postcode=plan.postcode,
                city=plan.place,
            )
            organisation = region.organisations[
                region.participatiewet[municipality_of_place(plan.place)]
            ]
            region.contacts.ensure(organisation, region.contacts.workers_of(organisation))
            session.add_all(
                [
                    employer,
                    ContactAssignment(
                        contact_person=region.contacts.take_employer(organisation),
                        employer=employer,
                        starts_on=plan.contact_since,
                    ),
                ]
            )
        entries.append(
            _PoolEntry(employer, municipality_of_place(employer.city), plan.weight, plan.sector)
        )
    return _EmployerPool(entries, region.participatiewet)


def _write_workers(region: _Region, plans: list[WorkerPlan], pool: _EmployerPool) -> None:
    routed = {
        plan.number: region.organisations[
            executing_organisation(plan.regime.value, plan.municipality, region.rules)
        ]
        for plan in plans
    }
    # First enough contact persons for each organisation's whole caseload, then hand out.
    for organisation, new in Counter(routed.values()).items():
        region.contacts.ensure(organisation, region.contacts.workers_of(organisation) + new)
    for first in range(0, len(plans), BATCH):
        for plan in plans[first : first + BATCH]:
            contact = region.contacts.take_worker(routed[plan.number])
            region.session.add_all(_worker_rows(region, plan, contact, pool))
        region.session.flush()


def _worker_rows(
    region: _Region, plan: WorkerPlan, contact: User, pool: _EmployerPool
) -> list[object]:
    worker = User(
        email=plan.email,
        first_name=plan.first_name,
        last_name=plan.last_name,
        phone=plan.phone,
        role=Role.WORKER,
        password_hash=region.password_hash,
    )
    worker.worker_profile = WorkerProfile(
        regime=plan.regime,
        municipality=region.municipalities[plan.municipality],
        in_doelgroepregister=plan.in_doelgroepregister,
    )
    rows: list[object] = [
        worker,
        ContactAssignment(contact_person=contact, worker=worker, starts_on=plan.contact_since),
    ]
    # The employer comes from a stream of its own: the pool depends on the size, the history not.
    rng = random.Random(f"{region.seed}:worker:{plan.number}:employer")
    previous = None
    for placement in plan.placements:
        entry = pool.choose(rng, plan.municipality, previous)
        previous = entry.employer
        workplace = rng.choice(SECTORS[entry.sector][1])
        rows.extend(_placement_rows(region, placement, worker, entry.employer, workplace, contact))
    return rows


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _placement_rows(
    region: _Region,
    plan: PlacementPlan,
    worker: User,
    employer: Employer,
    workplace: str,
    contact: User,
) -> list[object]:
    """The placement with its contracts, phase history and decisions, as the workflow leaves
    them (the contact person recorded every change)."""
    current = plan.contracts[-1] if plan.contracts else None
    placement = Placement(
        worker=worker,
        employer=employer,
        phase=plan.phase,
        start_date=plan.start,
        workplace=workplace,
        trial_end=plan.trial_end,
        contract_start=current.start if current else None,
        contract_end=current.end if current else None,
        chain_number=plan.chain_number,
        hours_per_week=plan.hours_per_week,
        loonwaarde_percent=plan.loonwaarde_percent,
        loonwaarde_measured_on=plan.loonwaarde_measured_on,
        loonkostensubsidie=plan.loonkostensubsidie,
        route=plan.route,
        praktijkroute_outcome=plan.praktijkroute_outcome,
        permanent_intention=plan.permanent_intention,
        buddy_name=plan.buddy_name,
        buddy_harrie_trained=plan.buddy_harrie_trained,
        self_found=plan.self_found_how is not None,
        self_found_how=plan.self_found_how,
    )
    contracts = [
        PlacementContract(kind=c.kind, number=c.number, start=c.start, end_date=c.end)
        for c in plan.contracts
    ]
    placement.contracts = contracts
    placement.phase_changes = [
        PhaseChange(
            from_phase=change.from_phase,
            to_phase=change.to_phase,
            effective_on=change.effective_on,
            changed_by=contact,
            changed_at=_noon(change.recorded_on),
        )
        for change in plan.changes
    ]
    ending = plan.ending
    if ending is not None:
        reasons = region.reasons
        placement.end_date = ending.end_date
        placement.end_reason = reasons[ending.reason]
        placement.other_end_reasons = [reasons[code] for code in ending.other_reasons]
        placement.ended_by = ending.initiator.value
        placement.end_cause = ending.cause.value
        placement.end_risk_moment = ending.risk_moment.value
        placement.end_explanation = ending.explanation
        placement.end_lessons = ending.lessons
        placement.follow_up_owner = contact
        # As end_placement does: an open (permanent) contract closes on the end day.
        if contracts and contracts[-1].end_date is None:
            contracts[-1].end_date = ending.end_date
    # A decision points at its placement, not the other way round: add it to the session.
    decisions = [
        ContractDecision(
            placement=placement,
            contract=contracts[decision.contract],
            decision=decision.decision,
            new_end=decision.new_end,
            decided_by=contact,
            decided_at=_noon(decision.decided_on),
        )
        for decision in plan.decisions
    ]
    return [placement, *decisions]


def _summary(session: Session, added: int) -> RegionSummary:
    workers = select(User.id).where(User.email.like(f"%@{DOMAIN}"), User.role == Role.WORKER)
    return RegionSummary(
        workers=session.scalar(select(func.count()).select_from(workers.subquery())),
        added=added,
        placements=session.scalar(
            select(func.count()).select_from(Placement).where(Placement.worker_id.in_(workers))
        ),
        employers=session.scalar(
            select(func.count()).select_from(Employer).where(Employer.kvk_number >= employer_kvk(0))
        ),
        contact_persons=session.scalar(
            select(func.count()).select_from(User).where(User.email.like(f"%@{STAFF_DOMAIN}"))
        ),
    )
