"""Retention (AVG storage limitation): workers whose placements all ended long ago are anonymised.

A worker qualifies when every one of their placements has ended (phase beeindigd) more than
`years` before `today`. Their free text and the records about them are deleted; the account
keeps no name, e-mail address or phone number; what regional statistics need stays (the
placements' dates, phases and end reasons, the regime and municipality, coaching hours). The
job is safe to run again: an anonymised worker is never touched twice.

It works with plain SQL statements, outside the ORM's unit of work, on purpose: the audit hook
would otherwise copy the old personal values into the audit log, and the guard that keeps
submitted evaluations unchanged must not stop their deletion here. The audit log itself is kept
(append-only): it records these statements with their new values only, and it never held the
values of free text (`portal.services.audit.TEXT`), so no name or note survives there. What it
keeps is ids, roles, times, paths and IP addresses; a retention period for the log itself is a
decision for the privacy officer.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from portal.models import (
    AccountToken,
    ChatMessage,
    CoachingActivity,
    CoachingRefusal,
    ContactAssignment,
    EvaluationAnswer,
    EvaluationFollowUp,
    EvaluationResponse,
    HelpRequest,
    HelpRequestNote,
    InboxMessage,
    JobcoachReport,
    Placement,
    ProblemReport,
    ProfileConsent,
    RecoveryCode,
    Role,
    SentReminder,
    SickReport,
    User,
    UserSession,
    WorkerProfile,
)
from portal.models.placements import ContractDecision, EvaluationMoment, Phase
from portal.models.reports import ProblemReportEvent

ANONYMOUS_NAME = "Geanonimiseerd"
# Not an argon2 hash, so no password ever matches it.
NO_PASSWORD = "!"  # noqa: S105

# Every table that points at a worker or at their records, and what retention does with it.
# tests/unit/test_retention.py fails when a new table is not in this list.
PLAN = {
    "user_account": (
        "anonymised: name, e-mail, phone, password, chat id, second factor; deactivated"
    ),
    "worker_profile": "kept without the worker's own words: regime, municipality, register",
    "profile_consent": "deleted",
    "placement": "kept without free text (workplace, buddy, how found, end explanation, lessons)",
    "placement_contract": "kept: contract dates (statistics)",
    "placement_other_reason": "kept: end reasons (statistics)",
    "hours_step": "kept: hours (statistics)",
    "phase_change": "kept: phase history (statistics)",
    "contract_decision": "kept without the note",
    "contact_assignment": "kept without the note (caseload history)",
    "evaluation_moment": "kept: schedule (statistics)",
    "evaluation_response": "deleted",
    "evaluation_answer": "deleted",
    "evaluation_follow_up": "deleted",
    "jobcoach_report": "deleted",
    "coaching_activity": "kept without the note (coaching hours)",
    "coaching_refusal": "kept without the reason",
    "sick_report": "deleted",
    "problem_report": "deleted (also those filed by the employer about the worker)",
    "problem_report_event": "deleted",
    "help_request": "deleted (those the worker filed)",
    "help_request_note": "deleted",
    "inbox_message": "deleted",
    "sent_reminder": "deleted",
    "user_session": "deleted",
    "account_token": "deleted",
    "recovery_code": "deleted",
    "audit_event": "kept: append-only, ids only",
    "questionnaire": "not about workers (the author is staff)",
}


@dataclass
class RetentionResult:
    cutoff: date
    workers: list[int] = field(default_factory=list)
    deleted: dict[str, int] = field(default_factory=dict)


def cutoff_date(today: date, years: int) -> date:
    """The same day `years` years ago (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due_workers(session: Session, today: date, years: int) -> list[int]:
    """Workers, not anonymised yet, whose placements all ended before the cutoff."""
    cutoff = cutoff_date(today, years)
    still_relevant = exists().where(
        Placement.worker_id == User.id,
        or_(
            Placement.phase != Phase.BEEINDIGD,
            Placement.end_date.is_(None),
            Placement.end_date >= cutoff,
        ),
    )
    has_placement = exists().where(Placement.worker_id == User.id)
    return list(
        session.scalars(
            select(User.id)
            .where(
                User.role == Role.WORKER,
                User.anonymised_on.is_(None),
                has_placement,
                ~still_relevant,
            )
            .order_by(User.id)
        )
    )


def _ids(session: Session, statement) -> list[int]:
    return list(session.scalars(statement))


def anonymise_worker(session: Session, worker_id: int, today: date) -> dict[str, int]:
    """Erase one worker's personal data as PLAN says; returns the rows deleted per table."""
    worker = session.execute(select(User.chat_id).where(User.id == worker_id)).one()
    placements = _ids(session, select(Placement.id).where(Placement.worker_id == worker_id))
    moments = _ids(
        session, select(EvaluationMoment.id).where(EvaluationMoment.placement_id.in_(placements))
    )
    responses = _ids(
        session, select(EvaluationResponse.id).where(EvaluationResponse.moment_id.in_(moments))
    )
    reports = _ids(session, select(ProblemReport.id).where(ProblemReport.worker_id == worker_id))
    help_requests = _ids(
        session, select(HelpRequest.id).where(HelpRequest.requester_id == worker_id)
    )
    deletions = [
        (EvaluationAnswer, EvaluationAnswer.response_id.in_(responses)),
        (EvaluationResponse, EvaluationResponse.id.in_(responses)),
        (EvaluationFollowUp, EvaluationFollowUp.moment_id.in_(moments)),
        (JobcoachReport, JobcoachReport.placement_id.in_(placements)),
        (SickReport, SickReport.worker_id == worker_id),
        (ProblemReportEvent, ProblemReportEvent.report_id.in_(reports)),
        (ProblemReport, ProblemReport.id.in_(reports)),
        (HelpRequestNote, HelpRequestNote.help_request_id.in_(help_requests)),
        (HelpRequest, HelpRequest.id.in_(help_requests)),
        (ChatMessage, ChatMessage.conversation_id == worker.chat_id),
        (InboxMessage, InboxMessage.user_id == worker_id),
        (SentReminder, SentReminder.user_id == worker_id),
        (UserSession, UserSession.user_id == worker_id),
        (AccountToken, AccountToken.user_id == worker_id),
        (RecoveryCode, RecoveryCode.user_id == worker_id),
        (ProfileConsent, ProfileConsent.worker_id == worker_id),
    ]
    deleted = {}
    for model, condition in deletions:
        result = session.execute(
            delete(model).where(condition).execution_options(synchronize_session=False)
        )
        deleted[model.__tablename__] = result.rowcount or 0
    clearing = [
        (
            Placement,
            Placement.id.in_(placements),
            {
                "workplace": None,
                "buddy_name": None,
                "self_found_how": None,
                "end_explanation": None,
                "end_lessons": None,
            },
        ),
        (
            WorkerProfile,
            WorkerProfile.user_id == worker_id,
            {"strengths": None, "support_needs": None, "work_wishes": None},
        ),
        (ContractDecision, ContractDecision.placement_id.in_(placements), {"note": None}),
        (ContactAssignment, ContactAssignment.worker_id == worker_id, {"note": None}),
        (CoachingActivity, CoachingActivity.placement_id.in_(placements), {"note": None}),
        (CoachingRefusal, CoachingRefusal.placement_id.in_(placements), {"reason": ""}),
    ]
    for model, condition, values in clearing:
        session.execute(
            update(model)
            .where(condition)
            .values(values)
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(User)
        .where(and_(User.id == worker_id, User.anonymised_on.is_(None)))
        .values(
            first_name=ANONYMOUS_NAME,
            last_name="",
            email=f"geanonimiseerd-{worker_id}@anoniem.invalid",
            phone=None,
            password_hash=NO_PASSWORD,
            chat_id=secrets.token_urlsafe(24),
            locale=None,
            totp_secret=None,
            totp_enabled_at=None,
            totp_last_step=None,
            active=False,
            anonymised_on=today,
        )
        .execution_options(synchronize_session=False)
    )
    return deleted


def apply_retention(
    session: Session, today: date, years: int, dry_run: bool = False
) -> RetentionResult:
    """Anonymise every due worker (or only list them with `dry_run`); the caller commits."""
    result = RetentionResult(cutoff=cutoff_date(today, years))
    result.workers = due_workers(session, today, years)
    if dry_run:
        return result
    for worker_id in result.workers:
        for table, count in anonymise_worker(session, worker_id, today).items():
            result.deleted[table] = result.deleted.get(table, 0) + count
    session.expire_all()
    return result
