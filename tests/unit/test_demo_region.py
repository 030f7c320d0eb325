"""The generated demo region (`seed-demo --size N`): the workflow's rules hold for every row,
the region has the shapes the dashboard shows, and it is idempotent and deterministic."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.pool import StaticPool

from portal.demo import seed_reference_data
from portal.demo_region import (
    DOMAIN,
    STAFF_DOMAIN,
    contact_persons_needed,
    employer_kvk,
    generated_workers,
    is_generated_employer,
    municipality_of_place,
    plan_worker,
    seed_region,
)
from portal.extensions import db
from portal.models import (
    ContactAssignment,
    ContractDecision,
    ContractKind,
    Decision,
    Employer,
    Phase,
    Placement,
    PlacementContract,
    Regime,
    Role,
    User,
)
from portal.reference_data import END_REASONS
from portal.services.placements import risk_moment
from portal.services.routing import (
    MIDDEN_UTRECHT_MUNICIPALITIES,
    executing_organisation,
    load_rules,
)
from portal.services.schedule import add_months
from portal.services.statistics import (
    by_phase,
    decisions_pending,
    end_reasons,
    new_per_quarter,
    retention,
    risk_moments,
)
from portal.services.statistics_source import placement_facts

TODAY = date(2026, 11, 24)
SIZE = 240
CODES = frozenset(reason.code for reason in END_REASONS)


@pytest.fixture
def region(demo):
    summary = seed_region(db.session, TODAY, SIZE)
    db.session.commit()
    return summary


def _generated_placements() -> list[Placement]:
    return list(
        db.session.scalars(
            select(Placement)
            .join(User, User.id == Placement.worker_id)
            .where(User.email.like(f"%@{DOMAIN}"))
            .options(selectinload(Placement.contracts), selectinload(Placement.phase_changes))
            .order_by(Placement.id)
        )
    )


def _current_contacts() -> list[ContactAssignment]:
    return list(
        db.session.scalars(select(ContactAssignment).where(ContactAssignment.ends_on.is_(None)))
    )


def test_the_asked_workers_live_in_every_municipality(region):
    workers = generated_workers(db.session)
    assert region.workers == region.added == len(workers) == SIZE
    assert set(workers) == set(range(1, SIZE + 1))
    assert all(
        re.fullmatch(r"[a-z]+\.[a-z]+-\d{4}@regio-demo\.nl", w.email) for w in workers.values()
    )
    places = Counter(w.worker_profile.municipality.name for w in workers.values())
    assert set(places) == set(MIDDEN_UTRECHT_MUNICIPALITIES)
    assert places.most_common(1)[0][0] == "Utrecht"
    regimes = Counter(w.worker_profile.regime for w in workers.values())
    assert 0.2 <= regimes[Regime.WAJONG] / SIZE <= 0.4
    assert 0.5 <= regimes[Regime.PARTICIPATIEWET] / SIZE <= 0.7
    assert 0.04 <= regimes[Regime.PRAKTIJKROUTE] / SIZE <= 0.16
    assert len({(w.first_name, w.last_name) for w in workers.values()}) > SIZE * 0.8


def test_every_worker_and_employer_has_one_contact_person_of_the_routed_organisation(region):
    rules = load_rules(db.session)
    current = _current_contacts()
    per_worker = Counter(a.worker_id for a in current if a.worker_id)
    per_employer = Counter(a.employer_id for a in current if a.employer_id)
    contact_of = {a.worker_id or -a.employer_id: a.contact_person for a in current}
    for worker in generated_workers(db.session).values():
        assert per_worker[worker.id] == 1
        contact = contact_of[worker.id]
        profile = worker.worker_profile
        routed = executing_organisation(profile.regime.value, profile.municipality.name, rules)
        assert contact.role == Role.CONTACT_PERSON
        assert contact.executing_organisation.name == routed
        assert contact.email.endswith(f"@{STAFF_DOMAIN}")
    employers = [
        e for e in db.session.scalars(select(Employer)) if is_generated_employer(e.kvk_number)
    ]
    assert len(employers) == region.employers >= SIZE // 4
    assert len({e.name for e in employers}) == len(employers)
    for employer in employers:
        assert per_employer[employer.id] == 1
        municipality = municipality_of_place(employer.city)
        routed = executing_organisation("participatiewet", municipality, rules)
        assert contact_of[-employer.id].executing_organisation.name == routed
        assert re.fullmatch(r"\d{8}", employer.kvk_number)
        assert re.fullmatch(r"3\d{3} [A-Z]{2}", employer.postcode)


def test_caseloads_are_balanced_and_the_cast_keeps_its_own(region):
    caseloads: dict[str, Counter] = defaultdict(Counter)
    for assignment in _current_contacts():
        if assignment.worker_id is not None:
            person = assignment.contact_person
            caseloads[person.executing_organisation.name][person.email] += 1
    for organisation, loads in caseloads.items():
        generated = [n for email, n in loads.items() if email.endswith(f"@{STAFF_DOMAIN}")]
        assert max(generated) - min(generated) <= 1, organisation
        assert max(generated) <= 75
        cast = [email for email in loads if not email.endswith(f"@{STAFF_DOMAIN}")]
        assert all(loads[email] <= 6 for email in cast)  # only the demo cast's workers
    # 40 to 60 workers per contact person once an organisation is big enough
    assert all(40 <= n / contact_persons_needed(n) <= 60 for n in range(120, 3000))


def test_every_placement_follows_the_workflow_rules(region):
    placements = _generated_placements()
    assert region.placements == len(placements) > SIZE
    decisions = {d.contract_id: d for d in db.session.scalars(select(ContractDecision))}
    horizon = add_months(TODAY, 3)
    for p in placements:
        ended = p.phase == Phase.BEEINDIGD
        assert ended == (p.end_date is not None) == (p.end_reason_id is not None)
        assert ended == (p.end_risk_moment is not None) == (p.ended_by is not None)
        changes = p.phase_changes
        assert changes[0].from_phase is None and changes[0].effective_on == p.start_date
        assert (changes[0].to_phase == Phase.PROEFPLAATSING) == (p.trial_end is not None)
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_phase == before.to_phase
            assert after.effective_on > before.effective_on
        assert changes[-1].to_phase == p.phase
        for before, after in zip(p.contracts, p.contracts[1:], strict=False):
            assert after.start == before.end_date + timedelta(days=1)
        for contract in p.contracts:
            assert contract.end_date is None or contract.end_date >= contract.start
        temporary = [c.number for c in p.contracts if c.kind == ContractKind.TIJDELIJK]
        assert temporary == list(range(1, len(temporary) + 1))
        assert p.chain_number == max(temporary, default=0)
        if p.contracts:
            assert (p.contract_start, p.contract_end) == (
                p.contracts[-1].start,
                p.contracts[-1].end_date
                if p.contracts[-1].kind == ContractKind.TIJDELIJK
                else None,
            )
        for contract in p.contracts[:-1]:
            decision = decisions.get(contract.id)
            assert decision is None or decision.decision != Decision.END
        assert p.hours_per_week > 0 and p.self_found == (p.self_found_how is not None)
        assert p.loonwaarde_percent is None or 0 <= p.loonwaarde_percent <= 100
        if not ended:
            assert p.contract_end is None or p.contract_end >= TODAY
            continue
        assert p.start_date <= p.end_date == changes[-1].effective_on
        assert p.end_reason.code in CODES
        expected = risk_moment(
            changes[-1].from_phase,
            p.start_date,
            p.end_date,
            trial_end=p.trial_end,
            contract_end=p.contract_end,
        )
        assert p.end_risk_moment == expected.value
        if p.end_date > TODAY:  # only an ending the employer decided ahead
            assert decisions[p.contracts[-1].id].decision == Decision.END
            assert p.end_date == p.contract_end <= horizon


def test_the_region_has_the_shapes_of_the_dashboard(region):
    facts = placement_facts(db.session, TODAY)
    six, twelve = retention(facts, 6, TODAY).share, retention(facts, 12, TODAY).share
    assert 0.6 <= six <= 0.95
    assert 0.5 <= twelve < six
    placements = _generated_placements()
    ended = [p for p in placements if p.end_date is not None]
    assert 0.2 <= len(ended) / len(placements) <= 0.45
    assert 0.04 <= sum(p.self_found for p in placements) / len(placements) <= 0.2
    assert set(by_phase(facts)) == {phase.value for phase in Phase}
    assert len(risk_moments(facts)) >= 5
    assert len(end_reasons(facts)) >= 10
    starts = new_per_quarter(facts)
    assert all(starts[q] > 0 for q in ("2024-Q4", "2025-Q2", "2025-Q4", "2026-Q2", "2026-Q4"))
    assert decisions_pending(facts) >= 5
    pending = {f.organisation for f in facts if f.decision_pending and f.end is None}
    assert len(pending) >= 3
    # others had their decision recorded ahead of the contract's end
    decided_ahead = db.session.scalar(
        select(func.count())
        .select_from(ContractDecision)
        .join(PlacementContract, PlacementContract.id == ContractDecision.contract_id)
        .where(PlacementContract.end_date >= TODAY)
    )
    assert decided_ahead >= 3


def test_a_second_run_adds_nothing_and_a_larger_size_the_difference(demo):
    def counts():
        return [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Placement, PlacementContract, ContactAssignment, Employer)
        ]

    assert seed_region(db.session, TODAY, 120).added == 120
    db.session.commit()
    before = counts()
    again = seed_region(db.session, TODAY, 120)
    assert (again.workers, again.added) == (120, 0)
    assert counts() == before
    more = seed_region(db.session, TODAY, 150)
    assert (more.workers, more.added) == (150, 30)
    assert set(generated_workers(db.session)) == set(range(1, 151))
    fewer = seed_region(db.session, TODAY, 100)
    assert (fewer.workers, fewer.added) == (150, 0)  # nothing is removed


def _scratch_facts(sizes: list[int], seed: int) -> list:
    """The facts of a region seeded in a fresh in-memory database, in the given steps."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    db.metadata.create_all(engine)
    with Session(engine) as session:
        seed_reference_data(session)
        for size in sizes:
            seed_region(session, TODAY, size, seed)
        facts = placement_facts(session, TODAY)
    engine.dispose()
    return sorted(facts, key=repr)


def test_the_same_seed_gives_the_same_region_also_when_grown(app_ctx):
    assert plan_worker(11, 7, TODAY, CODES) == plan_worker(11, 7, TODAY, CODES)
    fresh = _scratch_facts([120], seed=11)
    assert _scratch_facts([80, 120], seed=11) == fresh
    assert _scratch_facts([120], seed=12) != fresh


def test_generated_kvk_numbers_are_distinct_and_apart_from_the_cast():
    numbers = [employer_kvk(index) for index in range(1, 5001)]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"\d{8}", n) and is_generated_employer(n) for n in numbers)
    assert not any(is_generated_employer(kvk) for kvk in ("30123456", "30234567", "30345678"))


def test_seed_demo_size_option(app, app_ctx):
    runner = app.test_cli_runner()
    plain = runner.invoke(args=["seed-demo"])
    assert plain.exit_code == 0, plain.output
    assert "Generated region" not in plain.output
    assert not generated_workers(db.session)
    for new in (20, 0):
        result = runner.invoke(args=["seed-demo", "--size", "20", "--seed", "5"])
        assert result.exit_code == 0, result.output
        assert f"20 workers ({new} new)" in result.output
