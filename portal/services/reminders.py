"""Contract-end and evaluation reminders: which are due (pure), and sending each exactly once.

The selection works on plain facts, so the rules are tested without a database. The runner gives
every reminder its own transaction that inserts the `SentReminder` row (unique key) together with
the inbox message: a second run, or a second process running at the same moment, fails on the
key and sends nothing. The inbox message is the record of truth. The e-mail copy goes out after
the commit and is at most once: when the process dies between commit and e-mail, or the mail
server refuses, the reminder is still in the inbox and the outcome is only in the log.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from portal.models import (
    ContactAssignment,
    ContractDecision,
    ContractKind,
    Employer,
    EvaluationMoment,
    InboxMessage,
    MomentStatus,
    Phase,
    Placement,
    PlacementContract,
    Role,
    SentReminder,
    User,
)
from portal.services.schedule import add_months
from portal.services.settings import reminder_lead_months

logger = logging.getLogger(__name__)

EVALUATION_NOTICE_DAYS = 7
SUBJECT_MAX = 200  # InboxMessage.subject
LINK_MAX = 300  # InboxMessage.link
KEY_LOOKUP_CHUNK = 500  # keeps the IN (...) list well below every database's parameter limit


class ReminderKind(enum.StrEnum):
    CONTRACT_END = "contract-end"
    EVALUATION_DUE = "evaluation-due"
    EVALUATION_OVERDUE = "evaluation-overdue"


class Audience(enum.StrEnum):
    CONTACT_PERSON = "contact_person"
    EMPLOYER = "employer"


@dataclass(frozen=True)
class ContractFact:
    """The latest temporary contract of a placement (a renewed one is no longer open)."""

    contract_id: int
    placement_id: int
    end: date
    decided: bool  # a ContractDecision is recorded for this contract
    placement_ended: bool
    contact_person_id: int | None  # the worker's current contact person
    employer_user_ids: tuple[int, ...]  # the supervisor, else every active employer user
    worker_name: str = ""
    employer_name: str = ""


@dataclass(frozen=True)
class MomentFact:
    """A stored evaluation moment with the worker's current contact person."""

    moment_id: int
    placement_id: int
    due: date
    status: MomentStatus
    contact_person_id: int | None
    placement_ended: bool = False
    kind: str = ""
    worker_name: str = ""
    employer_name: str = ""


@dataclass(frozen=True)
class ReminderFacts:
    contracts: tuple[ContractFact, ...] = ()
    moments: tuple[MomentFact, ...] = ()


@dataclass(frozen=True)
class Reminder:
    """One message to one user. `key` is unique per what, which record, which lead, which user."""

    key: str
    user_id: int
    kind: ReminderKind
    placement_id: int
    params: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Recipient:
    """What rendering and delivery need of a user, detached from the session."""

    id: int
    email: str
    first_name: str
    last_name: str
    locale: str | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class RunResult:
    sent: int
    skipped: int  # already sent earlier or by a process running at the same time
    failed: int = 0  # could not be stored for another reason (logged)


Render = Callable[[Reminder, Recipient], tuple[str, str, str | None]]
Deliver = Callable[[Recipient, str, str, str | None], object]


def _due_lead(end: date, today: date, lead_months: Sequence[int]) -> int | None:
    """The shortest lead whose window has opened, or None.

    Only the shortest: when the job first sees a contract two weeks before its end, the contact
    person gets the 1-month reminder, not the 3-month one as well on the same day.
    """
    if today > end:
        return None
    opened = [lead for lead in lead_months if today >= add_months(end, -lead)]
    return min(opened) if opened else None


def select_reminders(
    facts: ReminderFacts, today: date, lead_months: Sequence[int]
) -> list[Reminder]:
    """The reminders that are due on `today`, whether or not they were sent before.

    Contract end: to the contact person and the employer users, from `lead` months before the
    end up to the end date itself, unless a decision is recorded or the placement has ended.
    Evaluation: "due" from 7 days before up to the due date, "overdue" after it, to the contact
    person; a moment first seen after its date gets only the overdue one.
    """
    reminders: dict[str, Reminder] = {}

    def add(kind: ReminderKind, record: str, user_id: int, placement_id: int, **params) -> None:
        key = f"{kind.value}:{record}:{user_id}"
        reminders[key] = Reminder(key, user_id, kind, placement_id, params)

    for contract in facts.contracts:
        if contract.decided or contract.placement_ended:
            continue
        lead = _due_lead(contract.end, today, lead_months)
        if lead is None:
            continue
        common = {
            "end": contract.end,
            "lead_months": lead,
            "contract_id": contract.contract_id,
            "worker_name": contract.worker_name,
            "employer_name": contract.employer_name,
        }
        record = f"{contract.contract_id}:{lead}m"
        if contract.contact_person_id is not None:
            add(
                ReminderKind.CONTRACT_END,
                record,
                contract.contact_person_id,
                contract.placement_id,
                audience=Audience.CONTACT_PERSON,
                **common,
            )
        for user_id in contract.employer_user_ids:
            add(
                ReminderKind.CONTRACT_END,
                record,
                user_id,
                contract.placement_id,
                audience=Audience.EMPLOYER,
                **common,
            )

    for moment in facts.moments:
        # After the placement ended there is nobody left to evaluate with.
        if (
            moment.status != MomentStatus.PLANNED
            or moment.placement_ended
            or moment.contact_person_id is None
        ):
            continue
        if today > moment.due:
            kind = ReminderKind.EVALUATION_OVERDUE
        elif today >= moment.due - timedelta(days=EVALUATION_NOTICE_DAYS):
            kind = ReminderKind.EVALUATION_DUE
        else:
            continue
        add(
            kind,
            str(moment.moment_id),
            moment.contact_person_id,
            moment.placement_id,
            audience=Audience.CONTACT_PERSON,
            due=moment.due,
            moment_kind=moment.kind,
            moment_id=moment.moment_id,
            worker_name=moment.worker_name,
            employer_name=moment.employer_name,
        )
    return sorted(reminders.values(), key=lambda reminder: reminder.key)


def load_facts(session: Session, today: date, lead_months: Sequence[int]) -> ReminderFacts:
    """Build the facts from the database in three queries, however many placements there are."""
    worker = aliased(User)
    supervisor = aliased(User)
    later = aliased(PlacementContract)
    current_contact = and_(
        ContactAssignment.worker_id == Placement.worker_id, ContactAssignment.ends_on.is_(None)
    )
    ended = (Placement.phase == Phase.BEEINDIGD) | Placement.end_date.is_not(None)

    # Month lengths vary; a generous window here, the exact rule in select_reminders.
    horizon = today + timedelta(days=31 * max(lead_months, default=0) + 1)
    contract_rows = session.execute(
        select(
            PlacementContract.id,
            PlacementContract.placement_id,
            PlacementContract.end_date,
            ContractDecision.id.is_not(None),
            ended,
            ContactAssignment.contact_person_id,
            Placement.employer_id,
            supervisor.id,
            worker.first_name,
            worker.last_name,
            Employer.name,
        )
        .join(Placement, Placement.id == PlacementContract.placement_id)
        .join(worker, worker.id == Placement.worker_id)
        .join(Employer, Employer.id == Placement.employer_id)
        .outerjoin(supervisor, and_(supervisor.id == Placement.supervisor_id, supervisor.active))
        .outerjoin(ContactAssignment, current_contact)
        .outerjoin(ContractDecision, ContractDecision.contract_id == PlacementContract.id)
        .where(
            PlacementContract.kind == ContractKind.TIJDELIJK,
            PlacementContract.end_date >= today,
            PlacementContract.end_date <= horizon,
            ~exists().where(
                later.placement_id == PlacementContract.placement_id,
                later.start > PlacementContract.start,
            ),
        )
    ).all()

    without_supervisor = {row[6] for row in contract_rows if row[7] is None}
    employer_users: dict[int, list[int]] = {}
    if without_supervisor:
        for user_id, employer_id in session.execute(
            select(User.id, User.employer_id)
            .where(
                User.role == Role.EMPLOYER,
                User.active,
                User.employer_id.in_(without_supervisor),
            )
            .order_by(User.id)
        ):
            employer_users.setdefault(employer_id, []).append(user_id)

    contracts = tuple(
        ContractFact(
            contract_id=contract_id,
            placement_id=placement_id,
            end=end,
            decided=bool(decided),
            placement_ended=bool(placement_ended),
            contact_person_id=contact_id,
            employer_user_ids=(
                (supervisor_id,)
                if supervisor_id is not None
                else tuple(employer_users.get(employer_id, ()))
            ),
            worker_name=f"{first} {last}",
            employer_name=employer_name,
        )
        for (
            contract_id,
            placement_id,
            end,
            decided,
            placement_ended,
            contact_id,
            employer_id,
            supervisor_id,
            first,
            last,
            employer_name,
        ) in contract_rows
    )

    moment_rows = session.execute(
        select(
            EvaluationMoment.id,
            EvaluationMoment.placement_id,
            EvaluationMoment.due,
            EvaluationMoment.status,
            EvaluationMoment.kind,
            ended,
            ContactAssignment.contact_person_id,
            worker.first_name,
            worker.last_name,
            Employer.name,
        )
        .join(Placement, Placement.id == EvaluationMoment.placement_id)
        .join(worker, worker.id == Placement.worker_id)
        .join(Employer, Employer.id == Placement.employer_id)
        .outerjoin(ContactAssignment, current_contact)
        .where(
            EvaluationMoment.status == MomentStatus.PLANNED,
            EvaluationMoment.due <= today + timedelta(days=EVALUATION_NOTICE_DAYS),
        )
    ).all()
    moments = tuple(
        MomentFact(
            moment_id=moment_id,
            placement_id=placement_id,
            due=due,
            status=status,
            contact_person_id=contact_id,
            placement_ended=bool(placement_ended),
            kind=kind,
            worker_name=f"{first} {last}",
            employer_name=employer_name,
        )
        for (
            moment_id,
            placement_id,
            due,
            status,
            kind,
            placement_ended,
            contact_id,
            first,
            last,
            employer_name,
        ) in moment_rows
    )
    return ReminderFacts(contracts=contracts, moments=moments)


def _already_sent(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), KEY_LOOKUP_CHUNK):
        chunk = keys[start : start + KEY_LOOKUP_CHUNK]
        found.update(session.scalars(select(SentReminder.key).where(SentReminder.key.in_(chunk))))
    return found


def _recipients(session: Session, user_ids: Iterable[int]) -> dict[int, Recipient]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(User.id, User.email, User.first_name, User.last_name, User.locale).where(
            User.id.in_(ids), User.active
        )
    )
    return {row.id: Recipient(*row) for row in rows}


def run_reminders(
    session: Session,
    today: date,
    deliver: Deliver,
    *,
    render: Render,
    lead_months: Sequence[int] | None = None,
) -> RunResult:
    """Send every due reminder that was not sent before; safe to run twice or concurrently.

    Commits once per reminder, so `session` must have no pending changes of its own. `render`
    gives subject, body and link in the recipient's language; `deliver` sends the e-mail copy
    after the commit and may fail without undoing anything.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("run_reminders commits; call it with a session without pending changes")
    if lead_months is None:
        lead_months = reminder_lead_months(session)
    reminders = select_reminders(load_facts(session, today, lead_months), today, lead_months)
    # A shortcut only: the unique key below is what makes it exactly once.
    already = _already_sent(session, [reminder.key for reminder in reminders])
    recipients = _recipients(session, (reminder.user_id for reminder in reminders))
    session.commit()  # end the read transaction; each reminder gets its own below

    sent = skipped = failed = 0
    for reminder in reminders:
        if reminder.key in already:
            skipped += 1
            continue
        recipient = recipients.get(reminder.user_id)
        if recipient is None:  # deactivated since it was assigned: nobody to tell
            logger.warning("reminder %s: recipient is not active, not sent", reminder.key)
            failed += 1
            continue
        subject, body, link = render(reminder, recipient)
        session.add(SentReminder(key=reminder.key, user_id=recipient.id))
        session.add(
            InboxMessage(
                user_id=recipient.id,
                subject=subject[:SUBJECT_MAX],
                body=body,
                link=link[:LINK_MAX] if link else None,
            )
        )
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            if session.scalar(select(SentReminder.id).where(SentReminder.key == reminder.key)):
                skipped += 1  # another process sent it between our check and our insert
            else:
                logger.exception("reminder %s could not be stored", reminder.key)
                failed += 1
            continue
        sent += 1
        try:
            outcome = deliver(recipient, subject, body, link)
        except Exception:  # noqa: BLE001 - the inbox has it; an e-mail failure must not stop the run
            logger.exception("reminder %s: e-mail to user %s failed", reminder.key, recipient.id)
        else:
            logger.info("reminder %s: e-mail outcome %s", reminder.key, outcome)
    return RunResult(sent=sent, skipped=skipped, failed=failed)
