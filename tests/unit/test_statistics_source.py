"""The statistics' facts read from the database: the demo cast, whose story is known."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Municipality, Placement
from portal.services.statistics import Filter, by_phase, decisions_pending, end_reasons
from portal.services.statistics_source import placement_facts


def test_every_placement_is_a_fact_without_who_it_is(demo):
    facts = placement_facts(db.session, date.today())
    assert len(facts) == db.session.scalar(select(func.count()).select_from(Placement))
    assert sum(by_phase(facts).values()) == len(facts)
    fields = set(facts[0].__dataclass_fields__)
    assert not {"worker_id", "name", "email"} & fields


def test_the_demo_stories_come_out(demo):
    facts = placement_facts(db.session, date.today())
    # the demo has one ended placement (capacity overestimated) and one contract ending in 23
    # days without a decision
    assert end_reasons(facts, Filter()) == {"capacity_overestimated": 1}
    ended = next(f for f in facts if f.end is not None)
    assert ended.risk_moment and ended.phase == "beeindigd"
    assert decisions_pending(facts) == 1
    assert all(f.organisation != "unknown" for f in facts)
    assert {f.municipality for f in facts} <= set(db.session.scalars(select(Municipality.name)))
