"""Object-level permissions: who may see or act on which record. Views ask here, nowhere else."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import ContactAssignment, HelpRequest, Placement, Role, User


def can_view_help_request(user: User, help_request: HelpRequest) -> bool:
    """The assigned contact person; any contact person for the shared queue; the requester."""
    if help_request.requester_id is not None and help_request.requester_id == user.id:
        return True
    if user.role != Role.CONTACT_PERSON:
        return False
    return help_request.assigned_to_id in (None, user.id)


def can_take_help_request(user: User, help_request: HelpRequest) -> bool:
    """A contact person may take an unassigned request from the WSP queue."""
    return user.role == Role.CONTACT_PERSON and help_request.assigned_to_id is None


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
