"""Database models. Import from here: `from portal.models import User, HelpRequest`."""

from portal.models.chat import ChatMessage
from portal.models.contacts import ContactAssignment
from portal.models.help_requests import (
    HelpRequest,
    HelpRequestChannel,
    HelpRequestStatus,
    ReferenceCounter,
)
from portal.models.inbox import InboxMessage, SentReminder
from portal.models.organisations import (
    Employer,
    ExecutingOrganisation,
    Municipality,
    Regime,
    RoutingRule,
)
from portal.models.placements import (
    ContractDecision,
    ContractKind,
    Decision,
    EndReason,
    EvaluationMoment,
    HoursStep,
    Intention,
    MomentStatus,
    Phase,
    PhaseChange,
    Placement,
    PlacementContract,
    PraktijkrouteOutcome,
    Route,
)
from portal.models.settings import PortalSetting
from portal.models.users import Role, User, WorkerProfile

__all__ = [
    "ChatMessage",
    "ContactAssignment",
    "ContractDecision",
    "ContractKind",
    "Decision",
    "EndReason",
    "Employer",
    "EvaluationMoment",
    "ExecutingOrganisation",
    "HelpRequest",
    "HelpRequestChannel",
    "HelpRequestStatus",
    "HoursStep",
    "InboxMessage",
    "Intention",
    "MomentStatus",
    "Municipality",
    "Phase",
    "PhaseChange",
    "Placement",
    "PortalSetting",
    "PlacementContract",
    "PraktijkrouteOutcome",
    "ReferenceCounter",
    "Regime",
    "Role",
    "SentReminder",
    "Route",
    "RoutingRule",
    "User",
    "WorkerProfile",
]
