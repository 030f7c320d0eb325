"""A worker or an employer registers a job the worker found without the WSP; it becomes a
placement with the worker's contact person (routed by regime and municipality when there is
none), who is told at once."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.blueprints.placements import bp
from portal.blueprints.placements.forms import EmployerSelfFoundForm, WorkerSelfFoundForm
from portal.blueprints.placements.wording import rule_message
from portal.extensions import db
from portal.labels import LABELS
from portal.models import Municipality, Phase, Regime, Role
from portal.notify import locale_of, notify, send_start_message
from portal.security import roles_required
from portal.services.placements import PlacementRuleError
from portal.services.reference import normal_kvk, normal_postcode
from portal.services.self_found import (
    Job,
    NewEmployer,
    NewWorker,
    Registered,
    SelfFoundError,
    register_by_employer,
    register_by_worker,
)
from portal.services.settings import schedule_defaults
from portal.services.submissions import remember, stored

ERRORS = {
    "no_contact_person": lambda: _(
        "There is no contact person to take this job on yet, so it has not been saved. "
        "Please call the employer service point."
    ),
    "email_taken": lambda: _(
        "This e-mail address belongs to an account that is not a worker. Check the address."
    ),
}


def _today() -> date:
    return date.today()


def _job(form) -> Job:
    return Job(
        start=form.start_date.data,
        phase=Phase(form.phase.data),
        trial_end=form.trial_end.data,
        contract_end=form.contract_end.data,
        hours_per_week=float(form.hours_per_week.data) if form.hours_per_week.data else None,
        workplace=form.workplace.data,
        how_found=form.how_found.data,
    )


def _register(form, worker_side: bool) -> Registered:
    defaults = schedule_defaults(db.session)
    if worker_side:
        return register_by_worker(
            db.session,
            worker=current_user,
            employer=NewEmployer(
                name=form.employer_name.data,
                street=form.street.data,
                postcode=normal_postcode(form.postcode.data),
                city=form.city.data,
                kvk_number=normal_kvk(form.kvk_number.data),
            ),
            job=_job(form),
            today=_today(),
            defaults=defaults,
        )
    return register_by_employer(
        db.session,
        employer=current_user.employer,
        worker=NewWorker(
            first_name=form.worker_first_name.data,
            last_name=form.worker_last_name.data,
            email=form.worker_email.data,
            regime=Regime(form.regime.data),
            municipality=db.session.get(Municipality, form.municipality.data),
        ),
        job=_job(form),
        by=current_user,
        today=_today(),
        defaults=defaults,
    )


def _tell_contact_person(registered: Registered) -> None:
    placement, contact = registered.placement, registered.contact_person
    with force_locale(locale_of(contact)):
        subject = _(
            "Self-found job registered: %(worker)s at %(employer)s",
            worker=placement.worker.full_name,
            employer=placement.employer.name,
        )
        lines = [
            _(
                "%(who)s registered a job the worker found without the WSP. It is now a "
                "placement in your caseload.",
                who=current_user.full_name,
            )
        ]
        if registered.new_contact:
            lines.append(_("You are the worker's new contact person (by the routing table)."))
        if registered.new_worker:
            lines.append(_("The worker had no account yet: please contact them and invite them."))
        if registered.new_employer:
            lines.append(
                _("The company was new to the portal: please check and complete its details.")
            )
    link = url_for("placements.detail", placement_id=placement.id)
    notify(db.session, contact, subject, "\n\n".join(lines), link)


def _fill_choices(form, worker_side: bool) -> None:
    form.phase.choices = [
        (Phase.PROEFPLAATSING.value, _("Trial placement (proefplaatsing)")),
        (Phase.TIJDELIJK.value, _("Temporary contract")),
        (Phase.VAST.value, _("Permanent contract")),
    ]
    if not worker_side:
        form.regime.choices = [(regime.value, str(LABELS[regime])) for regime in Regime]
        form.municipality.choices = [(0, _("Choose a municipality"))] + [
            (m.id, m.name)
            for m in db.session.scalars(select(Municipality).order_by(Municipality.name))
        ]


@bp.route("/zelf-gevonden-baan", methods=["GET", "POST"])
@roles_required(Role.WORKER, Role.EMPLOYER)
def self_found():
    worker_side = current_user.role == Role.WORKER
    if not worker_side and current_user.employer is None:
        return render_template("placements/self_found.html", form=None, worker_side=False)
    form = WorkerSelfFoundForm() if worker_side else EmployerSelfFoundForm()
    _fill_choices(form, worker_side)
    if form.validate_on_submit():
        earlier = stored(db.session, form.submission.data)
        if earlier is not None:
            flash(_("This job had already been registered; here it is."), "info")
            return redirect(earlier.location)
        try:
            registered = _register(form, worker_side)
            send_start_message(db.session, registered.placement)
            _tell_contact_person(registered)
            location = url_for("placements.detail", placement_id=registered.placement.id)
            remember(db.session, form.submission.data, location)
            db.session.commit()
        except SelfFoundError as error:
            db.session.rollback()
            form.form_errors.append(ERRORS[error.code]())
        except PlacementRuleError as error:
            db.session.rollback()
            form.form_errors.append(rule_message(error.code))
        except SQLAlchemyError:
            db.session.rollback()
            form.form_errors.append(
                _("The job has not been registered. Nothing was saved; please try again.")
            )
        else:
            flash(
                _(
                    "The job has been registered. %(name)s is the contact person "
                    "and has been told.",
                    name=registered.contact_person.full_name,
                ),
                "success",
            )
            return redirect(location)
    return render_template("placements/self_found.html", form=form, worker_side=worker_side)
