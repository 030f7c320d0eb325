"""Starting, changing and ending placements against the database (SQLite and PostgreSQL)."""

from datetime import date

import pytest

from portal.extensions import db
from portal.models import ContractKind, Employer, MomentStatus, Phase
from portal.services.placement_workflow import change_phase, end_placement, start_placement
from portal.services.placements import CauseSide, Ending, Initiator, PlacementRuleError
from tests.conftest import CONTACT, OTHER_WORKER, user_by_email

TODAY = date(2026, 1, 5)


@pytest.fixture
def people(demo):
    return {
        "worker": user_by_email(OTHER_WORKER),
        "contact": user_by_email(CONTACT),
        "employer": db.session.get(Employer, user_by_email("hr@korenschoof-demo.nl").employer_id),
    }


def _start(people, **kwargs):
    values = {"phase": Phase.PROEFPLAATSING, "start": TODAY, "today": TODAY}
    values.update(kwargs)
    return start_placement(
        db.session,
        worker=people["worker"],
        employer=people["employer"],
        by=people["contact"],
        **values,
    )


def _moments(placement, status=MomentStatus.PLANNED):
    return {m.key: m.due for m in placement.evaluation_moments if m.status == status}


def test_trial_placement_gets_default_end_and_moments(people):
    placement = _start(people)
    db.session.commit()
    assert placement.trial_end == date(2026, 3, 4)
    assert placement.contracts == []
    assert _moments(placement) == {
        "trial_end": date(2026, 3, 4),
        "after_start:1": date(2026, 2, 5),
        "after_start:3": date(2026, 4, 5),
        "after_start:6": date(2026, 7, 5),
    }
    assert [(c.from_phase, c.to_phase) for c in placement.phase_changes] == [
        (None, Phase.PROEFPLAATSING)
    ]


def test_overlapping_placement_at_the_same_employer_is_refused(people):
    _start(people)
    with pytest.raises(PlacementRuleError) as error:
        _start(people, start=date(2026, 2, 1))
    assert error.value.code == "overlapping_placement"


def test_temporary_contract_needs_an_end(people):
    with pytest.raises(PlacementRuleError) as error:
        _start(people, phase=Phase.TIJDELIJK)
    assert error.value.code == "contract_end_required"


def test_trial_to_temporary_to_renewal_to_permanent(people):
    placement = _start(people)
    result = change_phase(
        db.session,
        placement,
        Phase.TIJDELIJK,
        effective_on=date(2026, 3, 5),
        contract_end=date(2026, 9, 4),
        by=people["contact"],
        today=date(2026, 3, 1),
    )
    assert result.chain.number == 1 and not result.chain.warning
    assert _moments(placement)["before_contract_end:1"] == date(2026, 7, 4)

    renewal = change_phase(
        db.session,
        placement,
        Phase.TIJDELIJK,
        effective_on=date(2026, 9, 5),
        contract_end=date(2027, 3, 4),
        by=people["contact"],
        today=date(2026, 9, 1),
    )
    assert renewal.chain.number == 2
    assert placement.chain_number == 2

    change_phase(
        db.session,
        placement,
        Phase.VAST,
        effective_on=date(2027, 3, 5),
        by=people["contact"],
        today=date(2027, 3, 1),
    )
    db.session.commit()
    assert placement.phase == Phase.VAST
    assert [(c.kind, c.number, c.start, c.end_date) for c in placement.contracts] == [
        (ContractKind.TIJDELIJK, 1, date(2026, 3, 5), date(2026, 9, 4)),
        (ContractKind.TIJDELIJK, 2, date(2026, 9, 5), date(2027, 3, 4)),
        (ContractKind.VAST, 2, date(2027, 3, 5), None),
    ]
    assert _moments(placement)["yearly:1"] == date(2028, 3, 5)
    assert [c.to_phase for c in placement.phase_changes] == [
        Phase.PROEFPLAATSING,
        Phase.TIJDELIJK,
        Phase.TIJDELIJK,
        Phase.VAST,
    ]


def test_no_way_back_from_permanent(people):
    placement = _start(people, phase=Phase.VAST)
    with pytest.raises(PlacementRuleError) as error:
        change_phase(
            db.session,
            placement,
            Phase.TIJDELIJK,
            effective_on=date(2026, 6, 1),
            contract_end=date(2026, 12, 31),
            by=people["contact"],
            today=TODAY,
        )
    assert error.value.code == "transition_not_allowed"


def test_fourth_temporary_contract_warns(people):
    placement = _start(people, phase=Phase.TIJDELIJK, contract_end=date(2026, 3, 31))
    for start, end in [("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30")]:
        change_phase(
            db.session,
            placement,
            Phase.TIJDELIJK,
            effective_on=date.fromisoformat(start),
            contract_end=date.fromisoformat(end),
            by=people["contact"],
            today=TODAY,
        )
    fourth = change_phase(
        db.session,
        placement,
        Phase.TIJDELIJK,
        effective_on=date(2026, 10, 1),
        contract_end=date(2026, 12, 31),
        by=people["contact"],
        today=TODAY,
    )
    assert fourth.chain.number == 4
    assert fourth.chain.becomes_permanent_by_law


def _ending(**changes):
    values = {
        "end_date": date(2026, 2, 15),
        "main_reason": "capacity_overestimated",
        "initiator": Initiator.EMPLOYER,
        "cause": CauseSide.BOTH,
        "follow_up_owner_id": None,
    }
    values.update(changes)
    return Ending(**values)


def test_ending_records_reason_risk_moment_and_cancels_future_moments(people):
    placement = _start(people)
    ending = _ending(
        follow_up_owner_id=people["contact"].id,
        other_reasons=("high_workload",),
        lessons="Beginnen met minder uren",
    )
    end_placement(db.session, placement, ending, by=people["contact"], today=date(2026, 2, 15))
    db.session.commit()
    assert placement.phase == Phase.BEEINDIGD
    assert placement.end_reason.code == "capacity_overestimated"
    assert [r.code for r in placement.other_end_reasons] == ["high_workload"]
    assert placement.end_risk_moment == "during_trial"
    assert placement.follow_up_owner == people["contact"]
    assert placement.end_lessons == "Beginnen met minder uren"
    # The 1-month moment (5 February) was overdue and stays; everything after the end is cancelled.
    assert _moments(placement) == {"after_start:1": date(2026, 2, 5)}
    assert set(_moments(placement, MomentStatus.CANCELLED)) == {
        "trial_end",
        "after_start:3",
        "after_start:6",
    }


def test_ending_with_other_needs_an_explanation(people):
    placement = _start(people)
    with pytest.raises(PlacementRuleError) as error:
        end_placement(
            db.session, placement, _ending(main_reason="other"), by=people["contact"], today=TODAY
        )
    assert error.value.params["fields"] == {"explanation": "explanation_required"}
    assert placement.phase == Phase.PROEFPLAATSING


def test_an_ended_placement_cannot_end_again(people):
    placement = _start(people)
    end_placement(db.session, placement, _ending(), by=people["contact"], today=TODAY)
    with pytest.raises(PlacementRuleError):
        end_placement(db.session, placement, _ending(), by=people["contact"], today=TODAY)


def test_a_new_placement_may_start_after_the_previous_ended(people):
    placement = _start(people)
    end_placement(db.session, placement, _ending(), by=people["contact"], today=TODAY)
    again = _start(people, start=date(2026, 3, 1))
    assert again.id != placement.id


def test_yearly_check_ins_are_extended_without_rewriting_history(people):
    from portal.services.placement_workflow import extend_yearly_moments

    placement = _start(people, phase=Phase.VAST)
    assert _moments(placement)["yearly:1"] == date(2027, 1, 5)
    assert "yearly:2" not in _moments(placement)
    first = next(m for m in placement.evaluation_moments if m.key == "yearly:1")
    first.status = MomentStatus.DONE
    assert extend_yearly_moments(db.session, date(2027, 1, 10)) == 1
    assert extend_yearly_moments(db.session, date(2027, 1, 10)) == 0  # idempotent
    db.session.commit()
    assert _moments(placement)["yearly:2"] == date(2028, 1, 5)
    assert _moments(placement, MomentStatus.DONE) == {"yearly:1": date(2027, 1, 5)}
