"""Database models. Import from here: `from portal.models import User, HelpRequest`."""

from portal.models.chat import ChatMessage
from portal.models.contacts import ContactAssignment
from portal.models.help_requests import (
    HelpRequest,
    HelpRequestChannel,
    HelpRequestStatus,
    ReferenceCounter,
)
from portal.models.organisations import (
    Employer,
    ExecutingOrganisation,
    Municipality,
    Regime,
    RoutingRule,
)
from portal.models.placements import Phase, Placement
from portal.models.users import Role, User, WorkerProfile

__all__ = [
    "ChatMessage",
    "ContactAssignment",
    "Employer",
    "ExecutingOrganisation",
    "HelpRequest",
    "HelpRequestChannel",
    "HelpRequestStatus",
    "Municipality",
    "Phase",
    "Placement",
    "ReferenceCounter",
    "Regime",
    "Role",
    "RoutingRule",
    "User",
    "WorkerProfile",
]
