"""Contract-end and evaluation reminders: the selection rules (pure), the loader and the runner,
which must send every reminder exactly once, also with two runs at the same time."""

import threading
from datetime import date

import pytest
from sqlalchemy import event, func, select

from portal.extensions import db
from portal.models import (
    ContractDecision,
    Decision,
    InboxMessage,
    MomentStatus,
    Phase,
    Role,
    SentReminder,
    User,
)
from portal.services.placement_workflow import change_phase, end_placement
from portal.services.placements import CauseSide, Ending, Initiator
from portal.services.reminders import (
    Audience,
    ContractFact,
    MomentFact,
    ReminderFacts,
    ReminderKind,
    load_facts,
    run_reminders,
    select_reminders,
)
from portal.services.settings import REMINDER_LEAD_MONTHS, set_setting
from tests.conftest import user_by_email
from tests.fixtures.contracts import END, start_temporary

LEADS = (3, 1)
CONTACT_ID, EMPLOYER_USER_ID = 100, 200


def _contract(**changes) -> ContractFact:
    values = {
        "contract_id": 10,
        "placement_id": 1,
        "end": END,
        "decided": False,
        "placement_ended": False,
        "contact_person_id": CONTACT_ID,
        "employer_user_ids": (EMPLOYER_USER_ID,),
        "worker_name": "Daan Visser",
        "employer_name": "Bakkerij De Korenschoof",
    }
    values.update(changes)
    return ContractFact(**values)


def _moment(**changes) -> MomentFact:
    values = {
        "moment_id": 7,
        "placement_id": 1,
        "due": date(2026, 3, 10),
        "status": MomentStatus.PLANNED,
        "contact_person_id": CONTACT_ID,
        "kind": "after_start",
    }
    values.update(changes)
    return MomentFact(**values)


def _keys(today, contracts=(), moments=(), leads=LEADS):
    facts = ReminderFacts(contracts=tuple(contracts), moments=tuple(moments))
    return [reminder.key for reminder in select_reminders(facts, today, leads)]


# The selection rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 6, 29), []),  # the day before the 3-month window
        (date(2026, 6, 30), ["3m"]),  # exactly 3 months before the end
        (date(2026, 8, 29), ["3m"]),
        (date(2026, 8, 30), ["1m"]),  # exactly 1 month before: the 1-month reminder takes over
        (END, ["1m"]),  # the end date itself still counts
        (date(2026, 10, 1), []),  # after the end: too late for a reminder
    ],
)
def test_contract_end_reminders_at_each_lead_time(today, expected):
    keys = _keys(today, [_contract()])
    assert keys == [
        f"contract-end:10:{lead}:{user}"
        for lead in expected
        for user in (CONTACT_ID, EMPLOYER_USER_ID)
    ]


def test_contract_end_reminders_go_to_contact_person_and_every_employer_user():
    facts = ReminderFacts(contracts=(_contract(employer_user_ids=(200, 201, 202)),))
    reminders = select_reminders(facts, date(2026, 7, 1), LEADS)
    audiences = {r.user_id: r.params["audience"] for r in reminders}
    assert audiences == {
        CONTACT_ID: Audience.CONTACT_PERSON,
        200: Audience.EMPLOYER,
        201: Audience.EMPLOYER,
        202: Audience.EMPLOYER,
    }
    assert {r.kind for r in reminders} == {ReminderKind.CONTRACT_END}
    assert {r.params["lead_months"] for r in reminders} == {3}
    assert {r.params["end"] for r in reminders} == {END}


def test_without_a_contact_person_only_the_employer_is_reminded():
    assert _keys(date(2026, 7, 1), [_contract(contact_person_id=None)]) == [
        f"contract-end:10:3m:{EMPLOYER_USER_ID}"
    ]


def test_no_contract_reminder_once_a_decision_is_recorded():
    assert _keys(date(2026, 9, 1), [_contract(decided=True)]) == []


def test_no_contract_reminder_for_an_ended_placement():
    assert _keys(date(2026, 9, 1), [_contract(placement_ended=True)]) == []


def test_lead_time_counts_calendar_months_clamped_to_the_month_end():
    # 31 May minus 3 months is 28 February (2026 is no leap year).
    contract = _contract(end=date(2026, 5, 31))
    assert _keys(date(2026, 2, 27), [contract]) == []
    assert _keys(date(2026, 2, 28), [contract])[0] == "contract-end:10:3m:100"


def test_configured_lead_times_are_used():
    assert _keys(date(2026, 6, 30), [_contract()], leads=(2,)) == []
    assert _keys(date(2026, 7, 30), [_contract()], leads=(2,)) == [
        "contract-end:10:2m:100",
        "contract-end:10:2m:200",
    ]


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (date(2026, 3, 2), None),  # 8 days before
        (date(2026, 3, 3), "evaluation-due"),  # 7 days before
        (date(2026, 3, 10), "evaluation-due"),  # the due date
        (date(2026, 3, 11), "evaluation-overdue"),
        (date(2027, 3, 11), "evaluation-overdue"),  # still owed a year later
    ],
)
def test_evaluation_due_and_overdue(today, kind):
    expected = [f"{kind}:7:{CONTACT_ID}"] if kind else []
    assert _keys(today, moments=[_moment()]) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"status": MomentStatus.DONE},
        {"status": MomentStatus.CANCELLED},
        {"placement_ended": True},
        {"contact_person_id": None},
    ],
)
def test_no_evaluation_reminder(changes):
    assert _keys(date(2026, 3, 12), moments=[_moment(**changes)]) == []


def test_keys_are_unique_per_record_lead_and_user():
    contracts = [_contract(), _contract(contract_id=11, placement_id=2, end=date(2026, 8, 1))]
    moments = [_moment(), _moment(moment_id=8, due=date(2026, 7, 5))]
    keys = _keys(date(2026, 7, 6), contracts, moments)
    assert len(keys) == len(set(keys)) == 6
    assert "contract-end:11:1m:200" in keys and "contract-end:10:3m:200" in keys
    assert "evaluation-overdue:7:100" in keys and "evaluation-overdue:8:100" in keys


# The database side ------------------------------------------------------------------------


def _employer_user(people, email, active=True):
    user = User(
        email=email,
        password_hash="x",
        first_name="Extra",
        last_name="Werkgever",
        role=Role.EMPLOYER,
        employer=people["employer"],
        active=active,
    )
    db.session.add(user)
    db.session.commit()
    return user


def test_loader_builds_contract_and_moment_facts(people):
    placement = start_temporary(people)
    colleague = _employer_user(people, "tweede@korenschoof-demo.nl")
    _employer_user(people, "oud@korenschoof-demo.nl", active=False)

    facts = load_facts(db.session, date(2026, 7, 2), LEADS)

    [contract] = facts.contracts
    assert contract.contract_id == placement.contracts[0].id
    assert contract.placement_id == placement.id
    assert contract.end == END
    assert not contract.decided and not contract.placement_ended
    assert contract.contact_person_id == people["worker_contact"].id
    assert contract.employer_user_ids == (people["hr"].id, colleague.id)
    assert contract.worker_name == "Daan Visser"
    assert contract.employer_name == "Bakkerij De Korenschoof"
    # Planned and due within a week: after_start:1 (1 May) and after_start:3 (1 July).
    assert sorted(m.due for m in facts.moments) == [date(2026, 5, 1), date(2026, 7, 1)]
    assert {m.contact_person_id for m in facts.moments} == {people["worker_contact"].id}


def test_loader_uses_the_supervisor_when_set(people):
    _employer_user(people, "tweede@korenschoof-demo.nl")
    start_temporary(people, supervisor_id=people["hr"].id)
    [contract] = load_facts(db.session, date(2026, 7, 2), LEADS).contracts
    assert contract.employer_user_ids == (people["hr"].id,)


def test_loader_falls_back_to_all_employer_users_for_an_inactive_supervisor(people):
    gone = _employer_user(people, "weg@korenschoof-demo.nl", active=False)
    start_temporary(people, supervisor_id=gone.id)
    [contract] = load_facts(db.session, date(2026, 7, 2), LEADS).contracts
    assert contract.employer_user_ids == (people["hr"].id,)


def test_loader_marks_decisions_and_ended_placements(people):
    placement = start_temporary(people)
    db.session.add(
        ContractDecision(
            placement=placement, contract=placement.contracts[0], decision=Decision.PERMANENT
        )
    )
    db.session.commit()
    [contract] = load_facts(db.session, date(2026, 7, 2), LEADS).contracts
    assert contract.decided

    ending = Ending(
        end_date=date(2026, 7, 10),
        main_reason="capacity_overestimated",
        initiator=Initiator.EMPLOYER,
        cause=CauseSide.BOTH,
        follow_up_owner_id=None,
    )
    end_placement(db.session, placement, ending, by=people["contact"], today=date(2026, 7, 10))
    db.session.commit()
    facts = load_facts(db.session, date(2026, 7, 10), LEADS)
    # The contract row keeps its end date; the placement has ended, so nothing is sent for it.
    assert [c.placement_ended for c in facts.contracts] == [True]
    assert select_reminders(facts, date(2026, 7, 10), LEADS) == []


def test_a_renewed_contract_is_no_longer_open(people):
    placement = start_temporary(people)
    change_phase(
        db.session,
        placement,
        Phase.TIJDELIJK,
        effective_on=date(2026, 10, 1),
        contract_end=date(2027, 3, 31),
        by=people["contact"],
        today=date(2026, 8, 1),
    )
    db.session.commit()
    assert load_facts(db.session, date(2026, 9, 1), LEADS).contracts == ()
    [renewal] = load_facts(db.session, date(2027, 1, 1), LEADS).contracts
    assert renewal.contract_id == placement.contracts[-1].id


def test_loader_needs_the_same_number_of_queries_for_more_placements(people):
    def count_queries():
        statements = []

        def record(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            facts = load_facts(db.session, date(2026, 7, 2), LEADS)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements), facts

    start_temporary(people)
    one, facts = count_queries()
    assert len(facts.contracts) == 1
    for email in ("lotte@werknemer-demo.nl", "eva@werknemer-demo.nl", "noah@werknemer-demo.nl"):
        start_temporary(people, worker=user_by_email(email))
    four, facts = count_queries()
    assert len(facts.contracts) == 4
    assert four == one <= 3


def _render(reminder, user):
    return f"Herinnering {reminder.key}", f"Voor {user.full_name}", None


def _collecting_deliver():
    delivered = []

    def deliver(user, subject, body, link):
        delivered.append((user.id, subject))
        return True

    return delivered, deliver


# The 3-month window of the contract opens; after_start:1 (1 May) is overdue, after_start:3
# (1 July) is due within a week.
DAY = date(2026, 6, 30)


def test_run_twice_sends_once(people):
    placement = start_temporary(people)
    delivered, deliver = _collecting_deliver()

    first = run_reminders(db.session, DAY, deliver, render=_render)
    second = run_reminders(db.session, DAY, deliver, render=_render)

    assert (first.sent, first.skipped, first.failed) == (4, 0, 0)
    assert (second.sent, second.skipped, second.failed) == (0, 4, 0)
    contract_id = placement.contracts[0].id
    moments = {m.key: m.id for m in placement.evaluation_moments}
    contact_id, hr_id = people["worker_contact"].id, people["hr"].id
    assert set(db.session.scalars(select(SentReminder.key))) == {
        f"contract-end:{contract_id}:3m:{contact_id}",
        f"contract-end:{contract_id}:3m:{hr_id}",
        f"evaluation-overdue:{moments['after_start:1']}:{contact_id}",
        f"evaluation-due:{moments['after_start:3']}:{contact_id}",
    }
    assert db.session.scalar(select(func.count(InboxMessage.id))) == 4
    assert len(delivered) == 4
    inbox = db.session.scalars(
        select(InboxMessage).where(InboxMessage.user_id == people["hr"].id)
    ).all()
    assert [m.subject for m in inbox] == [f"Herinnering contract-end:{contract_id}:3m:{hr_id}"]


def test_the_next_lead_time_is_a_new_reminder(people):
    start_temporary(people)
    _, deliver = _collecting_deliver()
    run_reminders(db.session, DAY, deliver, render=_render)
    later = run_reminders(db.session, date(2026, 8, 30), deliver, render=_render)
    # 1-month contract reminders for both; after_start:3 (1 July) and before_contract_end:1
    # (30 July) are overdue now. after_start:1 was reminded of before and is skipped.
    assert (later.sent, later.skipped) == (4, 1)
    assert (
        db.session.scalar(
            select(func.count(SentReminder.id)).where(SentReminder.key.like("contract-end:%:1m:%"))
        )
        == 2
    )


def test_lead_times_come_from_the_settings(people):
    start_temporary(people)
    set_setting(db.session, REMINDER_LEAD_MONTHS, [2])
    db.session.commit()
    _, deliver = _collecting_deliver()
    run_reminders(db.session, DAY, deliver, render=_render)
    assert not db.session.scalars(
        select(SentReminder.key).where(SentReminder.key.like("contract-end:%"))
    ).all()
    run_reminders(db.session, date(2026, 7, 30), deliver, render=_render)
    assert (
        len(
            db.session.scalars(
                select(SentReminder.key).where(SentReminder.key.like("contract-end:%:2m:%"))
            ).all()
        )
        == 2
    )


def test_a_failing_email_does_not_undo_the_inbox_message(people, caplog):
    start_temporary(people)

    def broken(*_args):
        raise OSError("mail server down")

    result = run_reminders(db.session, DAY, broken, render=_render)
    assert result.sent == 4
    assert db.session.scalar(select(func.count(InboxMessage.id))) == 4
    assert "mail server down" in caplog.text
    # At most once: the next run does not try again.
    assert run_reminders(db.session, DAY, broken, render=_render).sent == 0


def test_a_key_taken_by_another_process_meanwhile_is_skipped(people):
    start_temporary(people)
    sneaked = []

    def render_while_another_process_sends(reminder, user):
        if not sneaked:
            # Another process inserts this key after our check and before our insert.
            with db.engine.begin() as connection:
                connection.execute(
                    SentReminder.__table__.insert().values(key=reminder.key, user_id=user.id)
                )
            sneaked.append(reminder.key)
        return _render(reminder, user)

    _, deliver = _collecting_deliver()
    result = run_reminders(db.session, DAY, deliver, render=render_while_another_process_sends)
    assert (result.sent, result.skipped, result.failed) == (3, 1, 0)
    assert db.session.scalar(select(func.count(InboxMessage.id))) == 3
    assert db.session.scalar(select(func.count(SentReminder.id))) == 4


def test_pending_changes_are_refused(people):
    people["hr"].first_name = "Gewijzigd"
    with pytest.raises(RuntimeError):
        run_reminders(db.session, DAY, lambda *a: None, render=_render)


def test_two_runs_at_the_same_time_send_every_reminder_once(app, people):
    start_temporary(people)
    for email in ("lotte@werknemer-demo.nl", "eva@werknemer-demo.nl"):
        start_temporary(people, worker=user_by_email(email))
    expected = len(select_reminders(load_facts(db.session, DAY, LEADS), DAY, LEADS))
    db.session.commit()
    assert expected == 12

    # Both runs check the ledger, then wait for each other before their first insert: neither
    # saw a sent key, so every skip below is a duplicate that the unique key in the database
    # refused, not one the shortcut filtered out.
    barrier = threading.Barrier(2, timeout=30)
    results, errors = {}, []

    def run(name):
        first = []

        def render(reminder, user):
            if not first:
                first.append(reminder.key)
                barrier.wait()
            return _render(reminder, user)

        try:
            with app.app_context():
                results[name] = run_reminders(db.session, DAY, lambda *a: True, render=render)
        except Exception as error:  # noqa: BLE001 - reported to the test thread below
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    a, b = results["a"], results["b"]
    assert a.sent + b.sent == expected
    assert a.skipped + b.skipped == expected
    assert a.failed == b.failed == 0
    db.session.expire_all()
    keys = db.session.scalars(select(SentReminder.key)).all()
    assert len(keys) == len(set(keys)) == expected
    assert db.session.scalar(select(func.count(InboxMessage.id))) == expected
