"""Object-level permissions: who may see or act on which record. Views ask here, nowhere else."""

from __future__ import annotations

from portal.models import HelpRequest, Role, User


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
