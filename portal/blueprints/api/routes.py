"""Internal API: who is asking (by opaque chat id) and creating help requests from the assistant."""

from __future__ import annotations

import re

from flask import jsonify, request
from sqlalchemy import select

from portal.blueprints.api import bp
from portal.blueprints.help.notifications import notify_new_help_request
from portal.extensions import db
from portal.form_fields import without_nul
from portal.models import (
    ContactTime,
    ContactWay,
    HelpRequestChannel,
    MomentStatus,
    Phase,
    Role,
    User,
)
from portal.security import service_token_required
from portal.services.contacts import contact_person_for
from portal.services.help_requests import (
    HelpRequestDraft,
    contact_way_possible,
    create_help_request,
)
from portal.services.problem_reports import live_placement, referral_for

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-()]{8,18}$")
DEFAULT_SUBJECT = "Vraag via de assistent"
MAX_TRANSCRIPT_ITEMS = 200


def _user_by_chat_id(sender_id: str) -> User | None:
    user = db.session.scalar(select(User).where(User.chat_id == sender_id))
    return user if user is not None and user.active else None


def _contact_json(contact: User | None) -> dict | None:
    if contact is None:
        return None
    organisation = contact.executing_organisation
    return {
        "name": contact.full_name,
        "organisation": organisation.name if organisation else None,
        "phone": contact.phone,
        "email": contact.email,
    }


@bp.route("/conversations/<sender_id>/context")
@service_token_required
def conversation_context(sender_id: str):
    user = _user_by_chat_id(sender_id)
    if user is None:
        return jsonify({"known": False, "role": "anonymous", "contact_person": None})
    return jsonify(
        {
            "known": True,
            "role": user.role.value,
            "first_name": user.first_name,
            "locale": user.locale or "nl",
            "contact_person": _contact_json(contact_person_for(db.session, user)),
            "placement": _placement_json(user),
            "municipality": _municipality_json(user),
        }
    )


def _placement_json(user: User) -> dict | None:
    """A worker's current placement, as far as the assistant needs it; None for other roles."""
    if user.role != Role.WORKER:
        return None
    placement = live_placement(db.session, user.id)
    if placement is None:
        return None
    temporary = placement.phase == Phase.TIJDELIJK
    trial = placement.phase == Phase.PROEFPLAATSING
    next_moment = min(
        (m.due for m in placement.evaluation_moments if m.status == MomentStatus.PLANNED),
        default=None,
    )
    return {
        "phase": placement.phase.value,
        "employer": placement.employer.name,
        "start_date": placement.start_date.isoformat(),
        "trial_end": _iso(placement.trial_end if trial else None),
        "contract_end": _iso(placement.contract_end if temporary else None),
        "next_evaluation": _iso(next_moment),
    }


def _municipality_json(user: User) -> dict | None:
    """Where a worker is referred with problems outside work (the buurtteam)."""
    referral = referral_for(user) if user.role == Role.WORKER else None
    if referral is None:
        return None
    return {
        "name": referral.municipality,
        "buurtteam_name": referral.name,
        "buurtteam_phone": referral.phone,
        "buurtteam_url": referral.url,
    }


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None


def _clean_transcript(raw) -> list[dict] | None:
    if not isinstance(raw, list) or len(raw) > MAX_TRANSCRIPT_ITEMS:
        return None
    cleaned = []
    for item in raw:
        if not isinstance(item, dict) or item.get("author") not in ("user", "bot"):
            return None
        text = item.get("text")
        timestamp = item.get("timestamp")
        if not isinstance(text, str) or not isinstance(timestamp, int | float | None):
            return None
        cleaned.append(
            {"author": item["author"], "text": without_nul(text)[:5000], "timestamp": timestamp}
        )
    return cleaned


def _text_field(payload: dict, key: str, max_length: int) -> str:
    value = payload.get(key)
    return without_nul(value).strip()[:max_length] if isinstance(value, str) else ""


def _enum_field(payload: dict, key: str, enum_cls, errors: dict[str, str]):
    """An optional enum value; absent or null is None, anything else must be one of the values."""
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value in {member.value for member in enum_cls}:
        return enum_cls(value)
    errors[key] = "one of: " + ", ".join(member.value for member in enum_cls)
    return None


@bp.route("/help-requests", methods=["POST"])
@service_token_required
def create_help_request_from_assistant():
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify({"error": "validation", "fields": {"body": "JSON object expected"}}), 400
    errors: dict[str, str] = {}
    sender_id = _text_field(payload, "sender_id", 80)
    if not sender_id:
        errors["sender_id"] = "required"
    transcript = _clean_transcript(payload.get("transcript"))
    if transcript is None:
        errors["transcript"] = "list of {author: user|bot, text, timestamp} expected"
    # Known users are identified by their account; staff have no contact person, so their
    # requests land in the shared queue (see create_help_request).
    user = _user_by_chat_id(sender_id) if sender_id else None
    name = _text_field(payload, "requester_name", 200)
    phone = _text_field(payload, "requester_phone", 40)
    email = _text_field(payload, "requester_email", 254)
    if user is None:
        if not name:
            errors["requester_name"] = "required for anonymous requests"
        if phone and not PHONE_PATTERN.match(phone):
            errors["requester_phone"] = "not a phone number"
        if email and not EMAIL_PATTERN.match(email):
            errors["requester_email"] = "not an e-mail address"
        if not (phone or email):
            errors.setdefault("requester_phone", "phone or e-mail required")
    # Optional: the assistant sends a preference only when it asked for one.
    contact_way = _enum_field(payload, "preferred_contact_way", ContactWay, errors)
    preferred_time = _enum_field(payload, "preferred_time", ContactTime, errors)
    if contact_way is not None and not contact_way_possible(
        contact_way,
        has_account=user is not None,
        phone=user.phone if user else phone,
        email=user.email if user else email,
    ):
        errors["preferred_contact_way"] = "not possible for this requester"
    if errors:
        return jsonify({"error": "validation", "fields": errors}), 400

    draft = HelpRequestDraft(
        subject=_text_field(payload, "subject", 200) or DEFAULT_SUBJECT,
        text=_text_field(payload, "text", 5000) or DEFAULT_SUBJECT,
        channel=HelpRequestChannel.ASSISTANT,
        transcript=transcript,
        requester=user,
        requester_name=name,
        requester_phone=phone,
        requester_email=email,
        preferred_contact_way=contact_way,
        preferred_time=preferred_time,
    )
    help_request = create_help_request(db.session, draft)
    notify_new_help_request(db.session, help_request)
    db.session.commit()
    assignee = help_request.assigned_to
    return (
        jsonify(
            {
                "reference": help_request.reference,
                "queue": "contact_person" if assignee else "wsp",
                "assigned_to": _contact_json(assignee),
            }
        ),
        201,
    )
