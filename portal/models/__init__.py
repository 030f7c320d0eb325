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
from portal.models.placements import (
    ContractKind,
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
from portal.models.users import Role, User, WorkerProfile

__all__ = [
    "ChatMessage",
    "ContactAssignment",
    "ContractKind",
    "EndReason",
    "Employer",
    "EvaluationMoment",
    "ExecutingOrganisation",
    "HelpRequest",
    "HelpRequestChannel",
    "HelpRequestStatus",
    "HoursStep",
    "Intention",
    "MomentStatus",
    "Municipality",
    "Phase",
    "PhaseChange",
    "Placement",
    "PlacementContract",
    "PraktijkrouteOutcome",
    "ReferenceCounter",
    "Regime",
    "Role",
    "Route",
    "RoutingRule",
    "User",
    "WorkerProfile",
]
