"""Creating help requests (hulpvragen) and deciding whose desk they land on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.models import HelpRequest, HelpRequestChannel, User
from portal.services.contacts import contact_person_for
from portal.services.references import next_reference

HELP_REQUEST_PREFIX = "HV"


@dataclass
class HelpRequestDraft:
    """What a requester (logged in or anonymous) submits."""

    subject: str
    text: str
    channel: HelpRequestChannel
    transcript: list[dict] = field(default_factory=list)
    requester: User | None = None
    requester_name: str | None = None
    requester_phone: str | None = None
    requester_email: str | None = None


class IncompleteRequester(ValueError):
    """An anonymous request without a name or a way to reach the person."""


def create_help_request(
    session: Session, draft: HelpRequestDraft, now: datetime | None = None
) -> HelpRequest:
    """Store a help request, assigned to the requester's contact person or in the WSP queue.

    A logged-in worker or employer user gets their own contact person; an anonymous visitor (or a
    user without a current contact) lands in the shared queue that every contact person sees.
    """
    now = now or datetime.now(UTC)
    requester = draft.requester
    if requester is not None:
        name, phone, email = requester.full_name, requester.phone, requester.email
        assignee = contact_person_for(session, requester)
    else:
        name = (draft.requester_name or "").strip()
        phone = (draft.requester_phone or "").strip() or None
        email = (draft.requester_email or "").strip() or None
        if not name or not (phone or email):
            raise IncompleteRequester("name and phone or e-mail are required")
        assignee = None
    help_request = HelpRequest(
        reference=next_reference(session, HELP_REQUEST_PREFIX, now.year),
        requester=requester,
        requester_name=name,
        requester_phone=phone,
        requester_email=email,
        subject=draft.subject.strip(),
        text=draft.text.strip(),
        transcript=list(draft.transcript),
        channel=draft.channel,
        assigned_to=assignee,
        created_at=now,
        updated_at=now,
    )
    session.add(help_request)
    session.flush()
    return help_request
