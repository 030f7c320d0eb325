"""A worker's own data, all of it, for the right of access (AVG article 15): JSON and a page.

Every record that is about the worker is included with all its stored fields, except secrets
(password hash, session tokens, the opaque chat id). Left out, because they are about other
people or are the staff's working notes: the supervisor's evaluation answers and the staff's
notes on help requests (article 15(4); the contact person explains them on request).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import (
    ChatMessage,
    CoachingActivity,
    CoachingRefusal,
    ContactAssignment,
    EvaluationAnswer,
    EvaluationResponse,
    HelpRequest,
    InboxMessage,
    JobcoachReport,
    Placement,
    ProblemReport,
    ProfileConsent,
    SickReport,
    Side,
    User,
    UserSession,
    WorkerProfile,
)
from portal.models.placements import (
    ContractDecision,
    EvaluationMoment,
    HoursStep,
    PhaseChange,
    PlacementContract,
)
from portal.models.reports import ProblemReportEvent

# Secrets, and the technical last used step of the second factor, are not part of the download.
SECRET_COLUMNS = frozenset(
    {"password_hash", "token_hash", "chat_id", "conversation_id", "totp_secret", "totp_last_step"}
)

# The sections of the download, in the order a person would look for them, and the table each
# one comes from.
SECTION_MODELS: dict[str, type] = {
    "account": User,
    "worker_profile": WorkerProfile,
    "profile_consents": ProfileConsent,
    "contact_persons": ContactAssignment,
    "placements": Placement,
    "contracts": PlacementContract,
    "hours_steps": HoursStep,
    "phase_changes": PhaseChange,
    "contract_decisions": ContractDecision,
    "evaluation_moments": EvaluationMoment,
    "evaluation_answers": EvaluationAnswer,
    "jobcoach_reports": JobcoachReport,
    "coaching_activities": CoachingActivity,
    "coaching_refusals": CoachingRefusal,
    "sick_reports": SickReport,
    "problem_reports": ProblemReport,
    "problem_report_events": ProblemReportEvent,
    "help_requests": HelpRequest,
    "chat_messages": ChatMessage,
    "inbox_messages": InboxMessage,
    "sessions": UserSession,
}
SECTIONS = tuple(SECTION_MODELS)


def plain(value: Any) -> Any:
    """A stored value as JSON can hold it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(row: Any) -> dict[str, Any]:
    """Every stored column of a row, secrets left out."""
    return {
        column.key: plain(getattr(row, column.key))
        for column in row.__mapper__.column_attrs
        if column.key not in SECRET_COLUMNS
    }


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        user.id: user.full_name for user in session.scalars(select(User).where(User.id.in_(wanted)))
    }


def worker_data(session: Session, user: User) -> dict[str, Any]:
    """Everything the portal stores about this worker, by section (see SECTIONS)."""

    def rows(statement) -> list[dict[str, Any]]:
        return [record(row) for row in session.scalars(statement)]

    placement_ids = list(
        session.scalars(select(Placement.id).where(Placement.worker_id == user.id))
    )
    moment_ids = list(
        session.scalars(
            select(EvaluationMoment.id).where(EvaluationMoment.placement_id.in_(placement_ids))
        )
    )
    own_responses = select(EvaluationResponse.id).where(
        EvaluationResponse.moment_id.in_(moment_ids), EvaluationResponse.side == Side.WORKER
    )
    assignments = list(
        session.scalars(
            select(ContactAssignment)
            .where(ContactAssignment.worker_id == user.id)
            .order_by(ContactAssignment.starts_on)
        )
    )
    contact_names = _names(session, {a.contact_person_id for a in assignments})
    report_ids = select(ProblemReport.id).where(ProblemReport.reporter_id == user.id)
    by_placement = (
        "contracts",
        "hours_steps",
        "phase_changes",
        "contract_decisions",
        "jobcoach_reports",
        "coaching_activities",
        "coaching_refusals",
    )
    data: dict[str, Any] = {
        "account": record(user),
        "worker_profile": record(user.worker_profile) if user.worker_profile else None,
        "profile_consents": rows(select(ProfileConsent).where(ProfileConsent.worker_id == user.id)),
        "contact_persons": [
            {**record(a), "contact_person": contact_names.get(a.contact_person_id)}
            for a in assignments
        ],
        "placements": rows(select(Placement).where(Placement.id.in_(placement_ids))),
        "evaluation_moments": rows(
            select(EvaluationMoment).where(EvaluationMoment.id.in_(moment_ids))
        ),
        "evaluation_answers": [
            {**record(answer), "moment_id": answer.response.moment_id}
            for answer in session.scalars(
                select(EvaluationAnswer).where(EvaluationAnswer.response_id.in_(own_responses))
            )
        ],
        "sick_reports": rows(select(SickReport).where(SickReport.worker_id == user.id)),
        "problem_reports": rows(select(ProblemReport).where(ProblemReport.id.in_(report_ids))),
        "problem_report_events": rows(
            select(ProblemReportEvent).where(ProblemReportEvent.report_id.in_(report_ids))
        ),
        "help_requests": rows(select(HelpRequest).where(HelpRequest.requester_id == user.id)),
        "chat_messages": rows(
            select(ChatMessage)
            .where(ChatMessage.conversation_id == user.chat_id)
            .order_by(ChatMessage.id)
        ),
        "inbox_messages": rows(select(InboxMessage).where(InboxMessage.user_id == user.id)),
        "sessions": rows(select(UserSession).where(UserSession.user_id == user.id)),
    }
    for name in by_placement:
        model = SECTION_MODELS[name]
        data[name] = rows(select(model).where(model.placement_id.in_(placement_ids)))
    return {name: data[name] for name in SECTIONS}
