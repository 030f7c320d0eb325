"""The home page after log-in: one dashboard per role. Every query is scoped to the current user."""

from __future__ import annotations

from datetime import date

from flask import current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from portal.blueprints.home import bp
from portal.extensions import db
from portal.models import (
    ContactAssignment,
    Employer,
    HelpRequest,
    HelpRequestStatus,
    Phase,
    Placement,
    Role,
    User,
)
from portal.security import login_required, public
from portal.services.assistant import AssistantClient
from portal.services.contacts import caseload_workers, contact_person_for


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    return render_template("home/index.html")


@bp.route("/toegankelijkheid")
@public
def accessibility():
    """The accessibility statement (toegankelijkheidsverklaring), after the model of
    digitoegankelijk.nl. The test date is set in one place: `ACCESSIBILITY_TESTED_ON`."""
    config = current_app.config
    return render_template(
        "home/accessibility.html",
        tested_on=date.fromisoformat(config["ACCESSIBILITY_TESTED_ON"]),
        report_email=config["ACCESSIBILITY_EMAIL"],
        response_days=config["ACCESSIBILITY_RESPONSE_DAYS"],
    )


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return jsonify({"status": "unhealthy", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


@bp.route("/dashboard")
@login_required
def dashboard():
    handlers = {
        Role.WORKER: _worker_dashboard,
        Role.EMPLOYER: _employer_dashboard,
        Role.CONTACT_PERSON: _contact_person_dashboard,
        Role.JOBCOACH: _jobcoach_dashboard,
        Role.ADMINISTRATOR: _administrator_dashboard,
        # The manager's work here is the regional figures; no personal overview exists for them.
        Role.MANAGER: lambda: redirect(url_for("insight.dashboard")),
    }
    return handlers[current_user.role]()


def _own_help_requests() -> list[HelpRequest]:
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(HelpRequest.requester_id == current_user.id)
            .options(selectinload(HelpRequest.notes))  # the date of the last status change
            .order_by(HelpRequest.created_at.desc())
            .limit(10)
        )
    )


def _worker_dashboard():
    placements = db.session.scalars(
        select(Placement)
        .where(Placement.worker_id == current_user.id)
        .order_by(Placement.start_date.desc())
    ).all()
    return render_template(
        "home/worker.html",
        contact=contact_person_for(db.session, current_user),
        placements=placements,
        help_requests=_own_help_requests(),
    )


def _employer_dashboard():
    placements = []
    if current_user.employer_id is not None:
        placements = db.session.scalars(
            select(Placement)
            .where(Placement.employer_id == current_user.employer_id)
            .join(Placement.worker)
            .order_by(User.last_name)
        ).all()
    return render_template(
        "home/employer.html",
        contact=contact_person_for(db.session, current_user),
        placements=placements,
        help_requests=_own_help_requests(),
    )


def _contact_person_dashboard():
    current = ContactAssignment.ends_on.is_(None)
    mine = ContactAssignment.contact_person_id == current_user.id
    workers = caseload_workers(db.session, current_user.id)
    latest_placement = {
        placement.worker_id: placement
        for placement in db.session.scalars(
            select(Placement)
            .where(Placement.worker_id.in_([worker.id for worker in workers]))
            .order_by(Placement.start_date)
        )
    }
    employers = db.session.scalars(
        select(Employer)
        .join(ContactAssignment, ContactAssignment.employer_id == Employer.id)
        .where(current, mine)
        .order_by(Employer.name)
    ).all()
    open_requests = HelpRequest.status != HelpRequestStatus.CLOSED
    assigned = db.session.scalars(
        select(HelpRequest)
        .where(open_requests, HelpRequest.assigned_to_id == current_user.id)
        .order_by(HelpRequest.created_at.desc())
    ).all()
    queue = db.session.scalars(
        select(HelpRequest)
        .where(open_requests, HelpRequest.assigned_to_id.is_(None))
        .order_by(HelpRequest.created_at.desc())
    ).all()
    return render_template(
        "home/contact_person.html",
        workers=workers,
        latest_placement=latest_placement,
        employers=employers,
        assigned=assigned,
        queue=queue,
    )


def _jobcoach_dashboard():
    # The same overview as /jobcoaching, so late reports show as soon as the jobcoach logs in.
    from portal.blueprints.coaching.routes import overview_context

    return render_template("home/jobcoach.html", **overview_context(current_user.id))


def _administrator_dashboard():
    users_by_role = dict(
        db.session.execute(select(User.role, func.count()).group_by(User.role)).all()
    )
    placements_by_phase = dict(
        db.session.execute(select(Placement.phase, func.count()).group_by(Placement.phase)).all()
    )
    open_help_requests = db.session.scalar(
        select(func.count())
        .select_from(HelpRequest)
        .where(HelpRequest.status != HelpRequestStatus.CLOSED)
    )
    return render_template(
        "home/administrator.html",
        users_by_role=[(role, users_by_role.get(role, 0)) for role in Role],
        placements_by_phase=[(phase, placements_by_phase.get(phase, 0)) for phase in Phase],
        employer_count=db.session.scalar(select(func.count()).select_from(Employer)),
        open_help_requests=open_help_requests,
        assistant=AssistantClient.from_config(current_app.config).status(),
    )
