"""Translated display names for the enum values shown to users."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from portal.models import HelpRequestChannel, HelpRequestStatus, Phase, Regime, Role

LABELS: dict[enum.Enum, object] = {
    Role.WORKER: _l("Worker"),
    Role.EMPLOYER: _l("Employer"),
    Role.CONTACT_PERSON: _l("Contact person"),
    Role.JOBCOACH: _l("Jobcoach"),
    Role.ADMINISTRATOR: _l("Administrator"),
    Role.MANAGER: _l("Team manager"),
    Phase.PROEFPLAATSING: _l("Trial placement"),
    Phase.TIJDELIJK: _l("Temporary contract"),
    Phase.VAST: _l("Permanent contract"),
    Phase.BEEINDIGD: _l("Ended"),
    Regime.WAJONG: _l("Wajong"),
    Regime.PARTICIPATIEWET: _l("Participatiewet"),
    Regime.PRAKTIJKROUTE: _l("Praktijkroute"),
    HelpRequestStatus.NEW: _l("New"),
    HelpRequestStatus.IN_PROGRESS: _l("In progress"),
    HelpRequestStatus.CLOSED: _l("Closed"),
    HelpRequestChannel.ASSISTANT: _l("Via the assistant"),
    HelpRequestChannel.FORM: _l("Via the form"),
}


def label(value: enum.Enum) -> str:
    return str(LABELS[value])
