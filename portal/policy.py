"""Object-level permissions: who may see or act on which record. Views ask here, nowhere else."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import (
    ContactAssignment,
    Employer,
    EvaluationResponse,
    HelpRequest,
    Phase,
    Placement,
    ProblemReport,
    ProfilePart,
    Role,
    SickReport,
    Side,
    User,
)

# The work profile ---------------------------------------------------------------------------


def visible_profile_parts(
    session: Session, user: User, worker: User, shared: set[ProfilePart]
) -> set[ProfilePart]:
    """Which parts of the worker's work profile this user sees: the worker and their contact
    person all of them; an employer user with a placement of the worker only what the worker
    shares (`shared`); anyone else nothing."""
    if user.id == worker.id or is_contact_of_worker(session, user, worker.id):
        return set(ProfilePart)
    if user.role == Role.EMPLOYER and user.employer_id is not None:
        employs = session.scalar(
            select(Placement.id)
            .where(Placement.worker_id == worker.id, Placement.employer_id == user.employer_id)
            .limit(1)
        )
        if employs is not None:
            return set(shared)
    return set()


# Help requests ----------------------------------------------------------------------------


def can_view_help_request(user: User, help_request: HelpRequest) -> bool:
    """The assigned contact person; any contact person for the shared queue; the requester."""
    if help_request.requester_id is not None and help_request.requester_id == user.id:
        return True
    if user.role != Role.CONTACT_PERSON:
        return False
    return help_request.assigned_to_id in (None, user.id)


def can_take_help_request(user: User, help_request: HelpRequest) -> bool:
    """A contact person may take an unassigned request from the WSP queue (not their own one,
    which the assistant put there when they escalated themselves)."""
    return (
        user.role == Role.CONTACT_PERSON
        and help_request.assigned_to_id is None
        and help_request.requester_id != user.id
    )


def can_work_on_help_request(user: User, help_request: HelpRequest) -> bool:
    """Status, working notes, closing and reopening: the contact person who has it. A request in
    the shared queue is taken first, so it is clear who is handling it."""
    return (
        user.role == Role.CONTACT_PERSON
        and help_request.assigned_to_id == user.id
        and help_request.requester_id != user.id
    )


def can_read_help_request_notes(user: User, help_request: HelpRequest) -> bool:
    """The staff's working notes: contact persons who may see the request, never the requester."""
    return (
        user.role == Role.CONTACT_PERSON
        and help_request.requester_id != user.id
        and can_view_help_request(user, help_request)
    )


def can_request_help(user: User) -> bool:
    """Workers and employer users ask their contact person; staff do not file help requests."""
    return user.role in (Role.WORKER, Role.EMPLOYER)


def is_contact_of_worker(session: Session, user: User, worker_id: int) -> bool:
    """The user is the worker's current contact person."""
    if user.role != Role.CONTACT_PERSON:
        return False
    return (
        session.scalar(
            select(ContactAssignment.id).where(
                ContactAssignment.worker_id == worker_id,
                ContactAssignment.contact_person_id == user.id,
                ContactAssignment.ends_on.is_(None),
            )
        )
        is not None
    )


def can_view_placement(session: Session, user: User, placement: Placement) -> bool:
    """The worker, the employer's users, the worker's contact person, the placement's jobcoach."""
    if user.role == Role.WORKER:
        return placement.worker_id == user.id
    if user.role == Role.EMPLOYER:
        return user.employer_id is not None and placement.employer_id == user.employer_id
    if user.role == Role.JOBCOACH:
        return placement.jobcoach_id == user.id
    return is_contact_of_worker(session, user, placement.worker_id)


def can_manage_placement(session: Session, user: User, placement: Placement) -> bool:
    """Creating, editing, changing the phase and ending: the worker's contact person only."""
    return is_contact_of_worker(session, user, placement.worker_id)


def can_update_as_employer(user: User, placement: Placement) -> bool:
    """Employer users update their own company's placements (supervisor, hours, decision)."""
    return (
        user.role == Role.EMPLOYER
        and user.employer_id is not None
        and placement.employer_id == user.employer_id
    )


# Jobcoaching ------------------------------------------------------------------------------


def is_jobcoach_of(user: User, placement: Placement) -> bool:
    """The user is the jobcoach of this placement."""
    return user.role == Role.JOBCOACH and placement.jobcoach_id == user.id


def can_view_coaching(session: Session, user: User, placement: Placement) -> bool:
    """Hours, activities and reports: the placement's jobcoach and the worker's contact person."""
    return is_jobcoach_of(user, placement) or is_contact_of_worker(
        session, user, placement.worker_id
    )


def can_register_coaching(user: User, placement: Placement) -> bool:
    """Only the placement's own jobcoach registers hours and files reports."""
    return is_jobcoach_of(user, placement)


def can_record_coaching_refusal(session: Session, user: User, placement: Placement) -> bool:
    """A refusal of coaching is recorded by the contact person or the jobcoach."""
    return can_view_coaching(session, user, placement)


# Evaluations ------------------------------------------------------------------------------


def evaluation_side(user: User, placement: Placement) -> Side | None:
    """Which side of the evaluation this user fills in, if any."""
    if user.role == Role.WORKER and placement.worker_id == user.id:
        return Side.WORKER
    if can_update_as_employer(user, placement):
        return Side.SUPERVISOR
    return None


def can_compare_evaluations(session: Session, user: User, placement: Placement) -> bool:
    """Both views side by side: the worker's contact person and the placement's jobcoach."""
    return can_view_coaching(session, user, placement)


def can_follow_up_evaluation(session: Session, user: User, placement: Placement) -> bool:
    """Recording the follow-up conversation: the worker's contact person."""
    return is_contact_of_worker(session, user, placement.worker_id)


def can_view_response(
    session: Session, user: User, response: EvaluationResponse, placement: Placement
) -> bool:
    """The contact person and the jobcoach see both sides; each side sees its own; the employer
    sees the worker's answers only when the worker allowed it."""
    if can_compare_evaluations(session, user, placement):
        return True
    side = evaluation_side(user, placement)
    if side == response.side:
        return True
    return (
        side == Side.SUPERVISOR
        and response.side == Side.WORKER
        and response.submitted
        and response.share_with_employer
    )


# Meldingen ------------------------------------------------------------------------------------


def can_file_problem_report(user: User) -> bool:
    """A worker about their own work; an employer user about one of their workers."""
    return user.role in (Role.WORKER, Role.EMPLOYER)


def can_view_problem_report(user: User, report: ProblemReport) -> bool:
    """The worker reads what they filed; an employer user what their employer's users filed (not
    the worker's own meldingen); the assigned contact person, and every contact person while it
    is unassigned."""
    if user.role == Role.WORKER:
        return report.reporter_id == user.id
    if user.role == Role.EMPLOYER:
        return (
            user.employer_id is not None
            and report.employer_id == user.employer_id
            and report.reporter.role == Role.EMPLOYER
        )
    return can_act_on_problem_report(user, report)


def can_act_on_problem_report(user: User, report: ProblemReport) -> bool:
    """The assigned contact person; any contact person takes an unassigned one by acting on it."""
    return user.role == Role.CONTACT_PERSON and report.contact_person_id in (None, user.id)


# Contact persons ------------------------------------------------------------------------------


def can_hand_over(
    session: Session, user: User, *, worker: User | None = None, employer: Employer | None = None
) -> bool:
    """The administrator, and the current contact person of that worker or employer."""
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role != Role.CONTACT_PERSON:
        return False
    if worker is not None:
        return is_contact_of_worker(session, user, worker.id)
    return is_contact_of_employer(session, user, employer.id)


def is_contact_of_employer(session: Session, user: User, employer_id: int) -> bool:
    """The user is the employer's current contact person."""
    if user.role != Role.CONTACT_PERSON:
        return False
    return (
        session.scalar(
            select(ContactAssignment.id).where(
                ContactAssignment.employer_id == employer_id,
                ContactAssignment.contact_person_id == user.id,
                ContactAssignment.ends_on.is_(None),
            )
        )
        is not None
    )


def can_register_employer_user(session: Session, user: User, employer: Employer) -> bool:
    """A new user for an employer: the employer's current contact person (an employer in their
    caseload). Administrators create accounts in the administration, not here."""
    return is_contact_of_employer(session, user, employer.id)


# Ziekmeldingen ------------------------------------------------------------------------------


def can_report_sick(session: Session, user: User, worker: User) -> bool:
    """The worker themselves; an employer user for a worker with a live placement at their
    employer; the worker's contact person. Jobcoaches and administrators do not."""
    if worker.role != Role.WORKER:
        return False
    if user.role == Role.WORKER:
        return user.id == worker.id
    if user.role == Role.EMPLOYER:
        return (
            user.employer_id is not None
            and session.scalar(
                select(Placement.id)
                .where(
                    Placement.worker_id == worker.id,
                    Placement.employer_id == user.employer_id,
                    Placement.phase != Phase.BEEINDIGD,
                )
                .limit(1)
            )
            is not None
        )
    return is_contact_of_worker(session, user, worker.id)


def can_view_sick_report(session: Session, user: User, report: SickReport) -> bool:
    """The worker; the users of the employer the report is about; the worker's contact person."""
    if user.role == Role.WORKER:
        return report.worker_id == user.id
    if user.role == Role.EMPLOYER:
        return user.employer_id is not None and report.employer_id == user.employer_id
    return is_contact_of_worker(session, user, report.worker_id)


def can_report_recovery(session: Session, user: User, report: SickReport) -> bool:
    """Whoever may see an open sick report may report the recovery."""
    return report.is_open and can_view_sick_report(session, user, report)
