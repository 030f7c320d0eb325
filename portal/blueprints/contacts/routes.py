"""Who serves whom, the history of contact persons, and the explicit hand-over."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from portal.audit_hooks import record_read
from portal.blueprints.auth.passwords import send_invitation
from portal.blueprints.contacts import bp
from portal.blueprints.contacts.forms import HandoverForm
from portal.blueprints.contacts.notifications import notify_handover
from portal.extensions import db
from portal.form_fields import ActionForm
from portal.models import ContactAssignment, Employer, Role, User
from portal.policy import can_hand_over
from portal.security import roles_required
from portal.services.contacts import (
    HandoverError,
    active_contact_persons,
    contact_history,
    hand_over,
)

ERRORS = {
    "not_a_contact_person": lambda: _("Choose an active contact person."),
    "same_person": lambda: _("This is already the contact person. Choose someone else."),
    "future": lambda: _("The date cannot be in the future: record the hand-over on the day."),
    "before_current": lambda: _("The date cannot be before the current contact person started."),
    "note_too_long": lambda: _("Use at most 500 characters."),
}
ERROR_FIELDS = {"not_a_contact_person": "new_contact", "same_person": "new_contact"}


def _today() -> date:
    return date.today()


@bp.route("/")
@roles_required(Role.CONTACT_PERSON, Role.ADMINISTRATOR)
def index():
    """Administrators see every current assignment; a contact person their own."""
    query = (
        select(ContactAssignment)
        .where(ContactAssignment.ends_on.is_(None))
        .options(
            joinedload(ContactAssignment.contact_person),
            joinedload(ContactAssignment.worker),
            joinedload(ContactAssignment.employer),
        )
    )
    if current_user.role == Role.CONTACT_PERSON:
        query = query.where(ContactAssignment.contact_person_id == current_user.id)
    assignments = db.session.scalars(query).all()
    workers = sorted(
        (a for a in assignments if a.worker is not None),
        key=lambda a: (a.worker.last_name, a.worker.first_name),
    )
    employers = sorted(
        (a for a in assignments if a.employer is not None), key=lambda a: a.employer.name
    )
    return render_template("contacts/index.html", workers=workers, employers=employers)


@bp.route("/werknemer/<int:worker_id>", methods=["GET", "POST"])
@roles_required(Role.CONTACT_PERSON, Role.ADMINISTRATOR)
def worker(worker_id: int):
    person = db.get_or_404(User, worker_id)
    if person.role != Role.WORKER:
        abort(404)
    return _handover_page(worker=person)


@bp.route("/werkgever/<int:employer_id>", methods=["GET", "POST"])
@roles_required(Role.CONTACT_PERSON, Role.ADMINISTRATOR)
def employer(employer_id: int):
    return _handover_page(employer=db.get_or_404(Employer, employer_id))


@bp.route("/werknemer/<int:worker_id>/uitnodigen", methods=["POST"])
@roles_required(Role.CONTACT_PERSON, Role.ADMINISTRATOR)
def invite_worker(worker_id: int):
    """The worker's contact person (or an administrator) e-mails a link to choose a password."""
    person = db.get_or_404(User, worker_id)
    if person.role != Role.WORKER:
        abort(404)
    if not can_hand_over(db.session, current_user, worker=person):
        abort(403)
    if person.active and person.anonymised_on is None and ActionForm().validate_on_submit():
        send_invitation(person, by=current_user)
    return redirect(url_for("contacts.worker", worker_id=person.id))


@bp.route("/werkgevergebruiker/<int:employer_user_id>/uitnodigen", methods=["POST"])
@roles_required(Role.CONTACT_PERSON, Role.ADMINISTRATOR)
def invite_employer_user(employer_user_id: int):
    """The employer's contact person (or an administrator) e-mails a user of that employer a
    new link to choose a password; the earlier link stops working."""
    person = db.get_or_404(User, employer_user_id)
    if person.role != Role.EMPLOYER or person.employer is None:
        abort(404)
    if not can_hand_over(db.session, current_user, employer=person.employer):
        abort(403)
    if person.active and person.anonymised_on is None and ActionForm().validate_on_submit():
        send_invitation(person, by=current_user)
    return redirect(url_for("contacts.employer", employer_id=person.employer_id))


def _handover_page(*, worker: User | None = None, employer: Employer | None = None):
    if not can_hand_over(db.session, current_user, worker=worker, employer=employer):
        abort(403)
    history = contact_history(db.session, worker=worker, employer=employer)
    current = history[0] if history and history[0].ends_on is None else None
    form = HandoverForm()
    form.new_contact.choices = [(0, _("Choose a contact person"))] + [
        (person.id, person.full_name)
        for person in active_contact_persons(db.session)
        if current is None or person.id != current.contact_person_id
    ]
    if request.method == "GET":
        form.on.data = _today()
        if worker is not None:
            record_read("contact_assignment", worker.id, worker.id)
    elif form.validate_on_submit():
        new_contact = db.session.get(User, form.new_contact.data)
        try:
            if new_contact is None:
                raise HandoverError("not_a_contact_person")
            handover = hand_over(
                db.session,
                new_contact=new_contact,
                on=form.on.data,
                note=form.note.data,
                by=current_user,
                today=_today(),
                worker=worker,
                employer=employer,
            )
            notify_handover(db.session, handover, by=current_user, worker=worker, employer=employer)
            db.session.commit()
        except HandoverError as error:
            db.session.rollback()
            getattr(form, ERROR_FIELDS.get(error.code, "on")).errors.append(ERRORS[error.code]())
        except SQLAlchemyError:
            db.session.rollback()
            form.form_errors.append(_("The hand-over has not been saved. Please try again."))
        else:
            flash(_("%(name)s is now the contact person.", name=new_contact.full_name), "success")
            if can_hand_over(db.session, current_user, worker=worker, employer=employer):
                return redirect(request.path)
            return redirect(url_for("contacts.index"))
    return render_template(
        "contacts/handover.html",
        form=form,
        history=history,
        current=current,
        name=worker.full_name if worker is not None else employer.name,
        worker=worker,
        employer=employer,
        employer_users=_employer_users(employer) if employer is not None else [],
    )


def _employer_users(employer: Employer) -> list[User]:
    """The employer's users, for their contact person (who can add one)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.employer_id == employer.id, User.role == Role.EMPLOYER)
            .order_by(User.last_name, User.first_name)
        )
    )
