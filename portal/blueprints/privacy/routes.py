"""The worker's own data: who at the WSP looked at it (the audit log's reads), and a download of
everything the portal stores about them as JSON and as a readable page (AVG article 15)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from flask import Response, render_template
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.blueprints.privacy import bp
from portal.blueprints.privacy.fields import FIELD_LABELS
from portal.extensions import db
from portal.labels import LABELS, label
from portal.models import HelpRequestChannel, Phase, Regime, Role
from portal.paging import page_links, requested_page
from portal.security import roles_required
from portal.services.audit import STAFF_ROLES, staff_reads_of
from portal.services.personal_data import SECTIONS, worker_data

PER_PAGE = 50

# What was viewed, in the worker's words (the entities the views record reads of).
WHAT = {
    "placement": _l("Your work placement"),
    "evaluation_response": _l("Answers of an evaluation"),
    "evaluation_moment": _l("Both sides of an evaluation, side by side"),
    "sick_report": _l("Your sick report"),
    "help_request": _l("Your help request"),
    "problem_report": _l("Your melding"),
    "contact_assignment": _l("Your contact persons over time"),
    "audit_export": _l("The list of who looked at your data"),
    "jobcoach_report": _l("A report by your jobcoach"),
}

ROLES = {role.value: LABELS[role] for role in STAFF_ROLES}


@bp.route("/inzage")
@roles_required(Role.WORKER)
def views():
    page = requested_page()
    events, total = staff_reads_of(db.session, current_user.id, page, PER_PAGE)
    return render_template(
        "privacy/views.html",
        events=events,
        total=total,
        **page_links("privacy.views", page, total, PER_PAGE),
        what=WHAT,
        roles=ROLES,
    )


SECTION_TITLES = {
    "account": _l("Your account"),
    "worker_profile": _l("Your work profile"),
    "profile_consents": _l("What you share with your employer"),
    "contact_persons": _l("Your contact persons"),
    "placements": _l("Your work placements"),
    "contracts": _l("Contracts"),
    "hours_steps": _l("Build-up of hours"),
    "phase_changes": _l("Steps of the placement"),
    "contract_decisions": _l("Decisions about the contract"),
    "evaluation_moments": _l("Evaluation moments"),
    "evaluation_answers": _l("Your answers in evaluations"),
    "jobcoach_reports": _l("Reports of your jobcoach"),
    "coaching_activities": _l("Jobcoach hours and activities"),
    "coaching_refusals": _l("Jobcoaching you declined"),
    "sick_reports": _l("Sick reports"),
    "problem_reports": _l("Your meldingen"),
    "problem_report_events": _l("What happened with your meldingen"),
    "help_requests": _l("Your help requests"),
    "chat_messages": _l("Your chats with the assistant"),
    "inbox_messages": _l("Your messages"),
    "sessions": _l("Your log-ins"),
}


@bp.route("/downloaden")
@roles_required(Role.WORKER)
def download():
    """All the worker's data on one page, section by section, with a JSON download."""
    data = worker_data(db.session, current_user)
    sections = []
    for name in SECTIONS:
        if not data[name]:
            continue
        records = data[name] if isinstance(data[name], list) else [data[name]]
        sections.append((name, SECTION_TITLES[name], [_readable(item) for item in records]))
    return render_template("privacy/download.html", sections=sections)


# Coded fields whose codes have a display name (portal.labels).
CODED_FIELDS = {
    "role": Role,
    "phase": Phase,
    "from_phase": Phase,
    "to_phase": Phase,
    "regime": Regime,
    "channel": HelpRequestChannel,
}


def _readable(item: dict[str, Any]) -> list[tuple[str, str]]:
    """A record as (label, value) pairs in the worker's language; the internal numbers that
    link records (`id`, `..._id`) are left out, the JSON file has them."""
    return [
        (str(FIELD_LABELS[key]), _shown(_named(key, value)))
        for key, value in item.items()
        if key != "id" and not key.endswith("_id")
    ]


def _named(key: str, value: Any) -> Any:
    kind = CODED_FIELDS.get(key)
    if kind is None or value is None:
        return value
    try:
        return label(kind(value))
    except (ValueError, KeyError):
        return value


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            if len(value) == 10:
                return format_date(date.fromisoformat(value), "long")
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return format_datetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC), "long")
    return str(value)


@bp.route("/downloaden.json")
@roles_required(Role.WORKER)
def download_json():
    data = worker_data(db.session, current_user)
    body = json.dumps(
        {"exported_at": datetime.now(UTC).isoformat(), **data}, ensure_ascii=False, indent=2
    )
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="mijn-gegevens.json"'},
    )
