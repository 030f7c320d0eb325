"""Custom actions of the Banenafspraak assistant.

The action server never imports portal code: it talks to the portal over HTTP as described in
``docs/internal-api.md``. Texts for users live in ``domain/`` (Dutch with English variants);
the actions only choose which response to send.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from abc import ABC, abstractmethod
from datetime import date
from typing import Any
from urllib.parse import quote

import requests
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

DEFAULT_PORTAL_API_URL = "http://127.0.0.1:5000"
HTTP_TIMEOUT_SECONDS = 5

DEFAULT_LANGUAGE = "nl"
SUPPORTED_LANGUAGES = ("nl", "en")
ROLES = ("worker", "employer", "contact_person", "jobcoach", "administrator", "anonymous")
DEFAULT_ROLE = "anonymous"

HELP_REQUEST_SUBJECT = "Vraag via de assistent"
IDENTIFY_ACTION = "action_identify_user"
OFFER_ACTION = "action_offer_handover"
# The loonkostensubsidie is the minimum wage minus the loonwaarde, at most 70 percent (DESIGN §8).
SUBSIDY_CAP_PERCENT = 70
MONTHS = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
PERCENT_PATTERN = re.compile(r"(\d{1,3})(?:[.,]\d+)?\s*(?:%|procent|percent|pct)?")
FORM_SLOTS = ("requester_name", "requester_contact")

EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE_CANDIDATE_PATTERN = re.compile(r"\+?\d[\d\s\-.()/]{7,}\d")
PHONE_SEPARATORS_PATTERN = re.compile(r"[\s\-.()/]")
DUTCH_PHONE_PATTERN = re.compile(r"0\d{9}")
NAME_PATTERN = re.compile(r"[^\W\d_](?:[^\W\d_]|[\s'’.\-])*")
NAME_PREFIX_PATTERN = re.compile(
    r"^(?:ik heet|mijn naam is|de naam is|naam is|naam:|ik ben|dit is|"
    r"my name is|name is|name:|i am|i'm|this is)\s+",
    re.IGNORECASE,
)
MAX_NAME_WORDS = 6
# A reply that starts with one of these words is a sentence or a question, not a name.
NON_NAME_FIRST_WORDS = frozenset(
    [
        "ik",
        "mijn",
        "wat",
        "waarom",
        "hoe",
        "wie",
        "waar",
        "wanneer",
        "welke",
        "kan",
        "kun",
        "mag",
        "wil",
        "moet",
        "i",
        "my",
        "what",
        "why",
        "how",
        "who",
        "where",
        "when",
        "which",
        "can",
        "could",
        "may",
    ]
)
CANCEL_PHRASES = frozenset(
    {
        "stop",
        "stoppen",
        "annuleer",
        "annuleren",
        "laat maar",
        "nee laat maar",
        "nee",
        "liever niet",
        "hoeft niet",
        "cancel",
        "never mind",
        "no",
    }
)


class PortalError(Exception):
    """The portal could not be reached or did not answer as agreed."""


class PortalClient:
    """Small HTTP client for the portal's internal API."""

    def __init__(self, base_url: str, token: str, timeout: float = HTTP_TIMEOUT_SECONDS):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_environment(cls) -> PortalClient:
        """Build a client from PORTAL_API_URL and PORTAL_SERVICE_TOKEN, read at call time."""
        return cls(
            os.environ.get("PORTAL_API_URL") or DEFAULT_PORTAL_API_URL,
            os.environ.get("PORTAL_SERVICE_TOKEN", ""),
        )

    def conversation_context(self, sender_id: str) -> dict[str, Any]:
        """Return who is asking (``GET /api/v1/conversations/<sender_id>/context``)."""
        url = f"{self.base_url}/api/v1/conversations/{quote(sender_id, safe='')}/context"
        return self._request("GET", url, expected_status=200)

    def create_help_request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Create a help request (``POST /api/v1/help-requests``) and return the portal's reply."""
        url = f"{self.base_url}/api/v1/help-requests"
        return self._request("POST", url, expected_status=201, json=payload)

    def _request(
        self, method: str, url: str, expected_status: int, **kwargs: Any
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        try:
            response = requests.request(
                method, url, headers=headers, timeout=self.timeout, **kwargs
            )
        except requests.RequestException as error:
            raise PortalError(f"{method} {url} failed: {error}") from error
        if response.status_code != expected_status:
            raise PortalError(
                f"{method} {url} returned {response.status_code}: {response.text[:200]}"
            )
        try:
            body = response.json()
        except ValueError as error:
            raise PortalError(f"{method} {url} returned no valid JSON") from error
        if not isinstance(body, dict):
            raise PortalError(f"{method} {url} returned JSON that is not an object")
        return body


def normalize_language(value: Any) -> str:
    """Map a locale such as ``en``, ``en-GB`` or ``nl_NL`` to a supported language."""
    if isinstance(value, str):
        language = value.strip().lower().replace("_", "-").split("-")[0]
        if language in SUPPORTED_LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def normalize_role(value: Any) -> str:
    """Return the role if it is one the portal knows, otherwise ``anonymous``."""
    return value if value in ROLES else DEFAULT_ROLE


def normalize_phone(value: str) -> str | None:
    """Return a Dutch phone number as 10 digits (``0612345678``), or None if it is not one."""
    compact = PHONE_SEPARATORS_PATTERN.sub("", value.replace("(0)", ""))
    if compact.startswith("+31"):
        compact = "0" + compact[3:]
    elif compact.startswith("0031"):
        compact = "0" + compact[4:]
    return compact if DUTCH_PHONE_PATTERN.fullmatch(compact) else None


def extract_contact(text: str) -> str | None:
    """Find an e-mail address or a Dutch phone number in free text."""
    email = EMAIL_PATTERN.search(text)
    if email:
        return email.group(0)
    for candidate in PHONE_CANDIDATE_PATTERN.findall(text):
        phone = normalize_phone(candidate)
        if phone:
            return phone
    return None


def clean_name(text: str) -> str | None:
    """Return the name in answers like "ik heet Sanne de Vries", or None if it is not a name."""
    name = NAME_PREFIX_PATTERN.sub("", text.strip()).strip(" \t.,!?:;\"'")
    name = " ".join(name.split())
    words = name.split()
    if not 2 <= len(name) <= 100 or len(words) > MAX_NAME_WORDS:
        return None
    if words[0].lower() in NON_NAME_FIRST_WORDS or text.rstrip().endswith("?"):
        return None
    return name if NAME_PATTERN.fullmatch(name) else None


def is_cancel(text: str) -> bool:
    """Whether the user wants to stop giving details."""
    return text.strip().lower().strip(" .!") in CANCEL_PHRASES


def current_session(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the events after the latest ``session_started`` event."""
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "session_started":
            return events[index + 1 :]
    return list(events)


def build_transcript(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn the user and bot messages of the current session into the portal's transcript."""
    transcript = []
    for event in current_session(events):
        author = event.get("event")
        text = event.get("text")
        if author in ("user", "bot") and text:
            transcript.append({"author": author, "text": text, "timestamp": event.get("timestamp")})
    return transcript


def _intent_name(event: dict[str, Any]) -> str | None:
    return (event.get("parse_data") or {}).get("intent", {}).get("name")


def escalation_text(events: list[dict[str, Any]]) -> str:
    """Return the user message that led to the escalation.

    That is the last user message before ``action_identify_user`` ran. When that message only
    accepted the assistant's offer ("ja"), the question before it is used instead.
    """
    session = current_session(events)
    end = len(session)
    for index in range(len(session) - 1, -1, -1):
        event = session[index]
        if event.get("event") == "action" and event.get("name") in (IDENTIFY_ACTION, OFFER_ACTION):
            end = index
            break
    user_events = [e for e in session[:end] if e.get("event") == "user" and e.get("text")]
    if not user_events:
        return HELP_REQUEST_SUBJECT
    if _intent_name(user_events[-1]) == "affirm" and len(user_events) > 1:
        return user_events[-2]["text"]
    return user_events[-1]["text"]


def build_help_request(tracker: Tracker) -> dict[str, Any]:
    """Build the body for ``POST /api/v1/help-requests``."""
    payload: dict[str, Any] = {
        "sender_id": tracker.sender_id,
        "subject": HELP_REQUEST_SUBJECT,
        "text": escalation_text(tracker.events),
        "transcript": build_transcript(tracker.events),
    }
    if tracker.get_slot("known_user") is not True:
        contact = tracker.get_slot("requester_contact") or ""
        payload["requester_name"] = tracker.get_slot("requester_name")
        contact_key = "requester_email" if "@" in contact else "requester_phone"
        payload[contact_key] = contact
    return payload


class ActionSessionStart(Action):
    """Start a session with the language and role the portal sends as metadata."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        metadata = tracker.get_slot("session_started_metadata")
        if not isinstance(metadata, dict):
            metadata = {}
        events: list[EventType] = [SessionStarted()]
        if metadata:
            events.append(SlotSet("session_started_metadata", metadata))
        events += [
            SlotSet("language", normalize_language(metadata.get("locale"))),
            SlotSet("role", normalize_role(metadata.get("role"))),
            ActionExecuted("action_listen"),
        ]
        return events


async def identify(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> tuple[list[EventType], dict[str, Any] | None]:
    """Ask the portal who is talking; the slots to set and the context (None: portal down)."""
    client = PortalClient.from_environment()
    try:
        context = await asyncio.to_thread(client.conversation_context, tracker.sender_id)
    except PortalError as error:
        logger.warning("Portal context lookup failed: %s", error)
        dispatcher.utter_message(response="utter_portal_unreachable")
        return [SlotSet("portal_unreachable", True), SlotSet("known_user", None)], None

    known = context.get("known") is True
    contact = context.get("contact_person") if known else None
    if not isinstance(contact, dict):
        contact = {}
    role = normalize_role(context.get("role")) if known else DEFAULT_ROLE
    events = [
        SlotSet("portal_unreachable", False),
        SlotSet("known_user", known),
        SlotSet("role", role),
        SlotSet("first_name", context.get("first_name") if known else None),
        SlotSet("contact_person_name", contact.get("name")),
        SlotSet("contact_person_organisation", contact.get("organisation")),
        SlotSet("contact_person_phone", contact.get("phone")),
        SlotSet("contact_person_email", contact.get("email")),
    ]
    return events, (context if known else {"known": False})


class ActionIdentifyUser(Action):
    """Ask the portal who is talking, so the escalation can go to the right person."""

    def name(self) -> str:
        return IDENTIFY_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events, _context = await identify(dispatcher, tracker)
        return events


class ActionOfferHandover(Action):
    """Before a help request is made: who would get it, and the question whether to go ahead."""

    def name(self) -> str:
        return OFFER_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events, context = await identify(dispatcher, tracker)
        if context is None:
            return events
        contact = context.get("contact_person") if context.get("known") else None
        if isinstance(contact, dict) and contact.get("name"):
            dispatcher.utter_message(
                response="utter_confirm_handover_contact", contact_person_name=contact["name"]
            )
        else:
            dispatcher.utter_message(response="utter_confirm_handover_wsp")
        return events


class ActionCreateHelpRequest(Action):
    """Turn the conversation into a help request in the portal and confirm the reference."""

    def name(self) -> str:
        return "action_create_help_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reset_form = [SlotSet(slot, None) for slot in FORM_SLOTS]
        known = tracker.get_slot("known_user") is True
        if not known and not all(tracker.get_slot(slot) for slot in FORM_SLOTS):
            dispatcher.utter_message(response="utter_help_request_cancelled")
            return reset_form

        client = PortalClient.from_environment()
        try:
            result = await asyncio.to_thread(
                client.create_help_request, build_help_request(tracker)
            )
        except PortalError as error:
            logger.warning("Creating the help request failed: %s", error)
            dispatcher.utter_message(response="utter_help_request_failed")
            return reset_form

        reference = result.get("reference")
        if not isinstance(reference, str) or not reference:
            logger.warning("The portal returned no reference: %s", result)
            dispatcher.utter_message(response="utter_help_request_failed")
            return reset_form

        assigned_to = result.get("assigned_to")
        contact_name = assigned_to.get("name") if isinstance(assigned_to, dict) else None
        if contact_name:
            dispatcher.utter_message(
                response="utter_help_request_assigned",
                reference=reference,
                contact_name=contact_name,
            )
        else:
            dispatcher.utter_message(response="utter_help_request_queued", reference=reference)
        return reset_form


class ValidateContactDetailsForm(FormValidationAction):
    """Check the name and the phone number or e-mail address of an anonymous visitor."""

    def name(self) -> str:
        return "validate_contact_details_form"

    def validate_requester_name(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept a plausible name; stop the form when the user cancels."""
        text = slot_value if isinstance(slot_value, str) else ""
        if is_cancel(text):
            return {"requester_name": None, "requested_slot": None}
        name = clean_name(text)
        if name is None:
            dispatcher.utter_message(response="utter_invalid_requester_name")
        return {"requester_name": name}

    def validate_requester_contact(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept an e-mail address or a Dutch phone number; stop the form when the user cancels."""
        text = slot_value if isinstance(slot_value, str) else ""
        if is_cancel(text):
            return {"requester_contact": None, "requested_slot": None}
        contact = extract_contact(text)
        if contact is None:
            dispatcher.utter_message(response="utter_invalid_requester_contact")
        return {"requester_contact": contact}


def format_day(value: Any, language: str) -> str | None:
    """An ISO date from the portal as "17 mei 2027" / "17 May 2027"; None if it is not one."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    months = MONTHS.get(language, MONTHS[DEFAULT_LANGUAGE])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def subsidy_percent(loonwaarde: int) -> int:
    """Loonkostensubsidie as a percentage of the minimum wage: 100 - loonwaarde, at most 70."""
    return max(0, min(100 - loonwaarde, SUBSIDY_CAP_PERCENT))


def loonwaarde_from(tracker: Tracker) -> int | None:
    """The percentage in the latest message: the `percentage` entity, else a number in the text."""
    values = [str(v) for v in tracker.get_latest_entity_values("percentage")]
    if not values:
        values = PERCENT_PATTERN.findall(tracker.latest_message.get("text") or "")
    for value in values:
        digits = re.match(r"\d{1,3}", value.strip())
        if digits:
            number = int(digits.group(0))
            if 1 <= number <= 100:
                return number
    return None


class PersonalAnswerAction(Action, ABC):
    """An answer from the portal's data about the user in this conversation, and only that user.

    An anonymous visitor gets the hint to log in; when the portal is down, `identify` has already
    said so. Subclasses answer for a known user in `answer`.
    """

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events, context = await identify(dispatcher, tracker)
        if context is None:
            return events
        if not context.get("known"):
            dispatcher.utter_message(response="utter_login_for_personal")
            return events
        self.answer(dispatcher, tracker, context)
        return events

    @abstractmethod
    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, context: dict[str, Any]
    ) -> None:
        """Answer a logged-in user from their portal context."""


class ActionTellContactPerson(PersonalAnswerAction):
    """Who is my contact person: the real one for a logged-in user, a hint to log in otherwise."""

    def name(self) -> str:
        return "action_tell_contact_person"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, context: dict[str, Any]
    ) -> None:
        contact = context.get("contact_person")
        if not isinstance(contact, dict) or not contact.get("name"):
            dispatcher.utter_message(response="utter_no_contact_person")
            return
        dispatcher.utter_message(
            response="utter_your_contact_person",
            name=contact["name"],
            organisation=contact.get("organisation") or "WSP",
            phone=contact.get("phone") or "-",
            email=contact.get("email") or "-",
        )


class ActionTellContractEnd(PersonalAnswerAction):
    """When does my contract end: from the worker's own placement in the portal."""

    def name(self) -> str:
        return "action_tell_contract_end"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, context: dict[str, Any]
    ) -> None:
        if context.get("role") == "employer":
            dispatcher.utter_message(response="utter_contract_end_employer")
            return
        placement = context.get("placement")
        if not isinstance(placement, dict):
            dispatcher.utter_message(response="utter_contract_unknown")
            return
        language = normalize_language(tracker.get_slot("language"))
        employer = placement.get("employer") or ""
        phase = placement.get("phase")
        contract_end = format_day(placement.get("contract_end"), language)
        trial_end = format_day(placement.get("trial_end"), language)
        if phase == "tijdelijk" and contract_end:
            dispatcher.utter_message(
                response="utter_contract_end_date", employer=employer, date=contract_end
            )
        elif phase == "proefplaatsing" and trial_end:
            dispatcher.utter_message(
                response="utter_trial_end_date", employer=employer, date=trial_end
            )
        elif phase == "vast":
            dispatcher.utter_message(response="utter_contract_permanent", employer=employer)
        else:
            dispatcher.utter_message(response="utter_contract_unknown")


class ActionReferNonWork(Action):
    """Problems outside work: the buurtteam of the user's municipality when the portal knows it."""

    def name(self) -> str:
        return "action_refer_non_work"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        client = PortalClient.from_environment()
        try:
            context = await asyncio.to_thread(client.conversation_context, tracker.sender_id)
        except PortalError as error:
            logger.warning("Portal context lookup failed: %s", error)
            context = {}
        municipality = context.get("municipality") if context.get("known") else None
        if isinstance(municipality, dict) and municipality.get("name"):
            dispatcher.utter_message(
                response="utter_refer_buurtteam_municipality",
                municipality=municipality["name"],
                buurtteam_url=municipality.get("buurtteam_url") or "-",
            )
        else:
            dispatcher.utter_message(response="utter_refer_buurtteam_general")
        return []


class ActionCalculateSubsidy(Action):
    """Loonwaarde X percent -> loonkostensubsidie 100 - X percent of the minimum wage, max 70."""

    def name(self) -> str:
        return "action_calculate_subsidy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        loonwaarde = loonwaarde_from(tracker)
        if loonwaarde is None:
            dispatcher.utter_message(response="utter_subsidy_ask_percentage")
            return []
        dispatcher.utter_message(
            response="utter_subsidy_calculation",
            loonwaarde=loonwaarde,
            subsidy=subsidy_percent(loonwaarde),
        )
        if 100 - loonwaarde > SUBSIDY_CAP_PERCENT:
            dispatcher.utter_message(response="utter_subsidy_capped")
        return []
