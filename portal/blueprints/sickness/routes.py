"""Ziekmelding screens. Rules live in portal.services.sickness; rights in portal.policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from portal.audit_hooks import record_read
from portal.blueprints.sickness import bp
from portal.blueprints.sickness.forms import (
    EXPECTED_DURATIONS,
    NO_ILLNESS,
    RecoveryForm,
    SickReportForm,
    speak_to_worker,
)
from portal.blueprints.sickness.notifications import notify_recovery, notify_sick_report
from portal.blueprints.sickness.wording import (
    WORKER_TASKS,
    error_text,
    in_charge_text,
    in_charge_title,
    no_riskpolis_basis,
    no_riskpolis_text,
    provider_name,
    step_text,
    step_title,
    step_when,
    worker_intro,
)
from portal.extensions import db
from portal.models import ExpectedDuration, Role, SickReport, User
from portal.policy import can_report_recovery, can_report_sick, can_view_sick_report
from portal.security import roles_required
from portal.services.sickness import (
    SicknessError,
    caseload_sick_ids,
    check_first_sick_day,
    check_working_percent,
    create_sick_report,
    days_sick,
    guidance_for,
    open_count_of_employer,
    open_report,
    report_recovery,
    reportable_workers,
    sick_workers,
    visible_reports,
)

REPORTERS = (Role.WORKER, Role.EMPLOYER, Role.CONTACT_PERSON)

WORDING = {
    "durations": EXPECTED_DURATIONS,
    "no_illness": NO_ILLNESS,
    "step_title": step_title,
    "step_when": step_when,
    "step_text": step_text,
    "in_charge_title": in_charge_title,
    "in_charge_text": in_charge_text,
    "provider_name": provider_name,
    "days_sick": days_sick,
}


def _today() -> date:
    return date.today()


def _me() -> User:
    """The logged-in user itself, not the proxy: it goes into relationships."""
    return current_user._get_current_object()


@dataclass(frozen=True)
class DashboardSickness:
    """What the dashboards show: the worker's open report, the number of open reports of an
    employer, or the number of sick workers in a contact person's caseload."""

    open_report: SickReport | None = None
    count: int = 0


@bp.app_context_processor
def sickness_helpers() -> dict:
    """`sickness_status()` for the dashboards; a function, so only pages that show it query."""

    def sickness_status() -> DashboardSickness:
        if not current_user.is_authenticated:
            return DashboardSickness()
        if current_user.role == Role.WORKER:
            return DashboardSickness(open_report=open_report(db.session, current_user.id))
        if current_user.role == Role.EMPLOYER:
            return DashboardSickness(count=open_count_of_employer(db.session, current_user))
        if current_user.role == Role.CONTACT_PERSON:
            return DashboardSickness(count=len(caseload_sick_ids(db.session, current_user.id)))
        return DashboardSickness()

    return {"sickness_status": sickness_status}


@bp.route("/")
@roles_required(*REPORTERS)
def index():
    if current_user.role == Role.CONTACT_PERSON:
        return redirect(url_for("sickness.sick_workers_list"))
    today = _today()
    reports = visible_reports(db.session, current_user)
    return render_template(
        "sickness/index.html",
        reports=reports,
        guidance={report.id: guidance_for(report, today) for report in reports if report.is_open},
        today=today,
        own_open=open_report(db.session, current_user.id)
        if current_user.role == Role.WORKER
        else None,
        **WORDING,
    )


@bp.route("/zieke-werknemers")
@roles_required(Role.CONTACT_PERSON)
def sick_workers_list():
    today = _today()
    return render_template(
        "sickness/sick_workers.html",
        rows=sick_workers(db.session, current_user.id, today),
        today=today,
        **WORDING,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@roles_required(*REPORTERS)
def new():
    form = SickReportForm()
    workers: list[User] = []
    if current_user.role == Role.WORKER:
        del form.worker
        speak_to_worker(form)
        existing = open_report(db.session, current_user.id)
        if existing is not None and request.method == "GET":
            flash(_already_open_text(existing), "info")
            return redirect(url_for("sickness.detail", report_id=existing.id))
    else:
        workers = reportable_workers(db.session, current_user)
        form.worker.choices = [(0, _("Choose a worker"))] + [(w.id, w.full_name) for w in workers]
        if not workers:
            return render_template("sickness/new.html", form=None, **WORDING)
    today = _today()
    if request.method == "GET":
        form.first_sick_day.data = today
        chosen = request.args.get("werknemer", type=int)
        if form.worker is not None and chosen:
            form.worker.data = chosen
    worker = _chosen_worker(form, workers)
    existing = open_report(db.session, worker.id) if worker is not None else None
    if request.method == "POST" and _valid(form, today):
        report = _store(form, worker, today)
        if report is not None:
            flash(_sent_text(report), "success")
            return redirect(url_for("sickness.detail", report_id=report.id))
        existing = open_report(db.session, worker.id)
    return render_template(
        "sickness/new.html",
        form=form,
        open_report=existing,
        worker_role=current_user.role == Role.WORKER,
        **WORDING,
    )


def _chosen_worker(form: SickReportForm, workers: list[User]) -> User | None:
    """The worker the form is about; 403 for a worker this user may not report sick."""
    if current_user.role == Role.WORKER:
        return _me()
    if not form.worker.data:
        return None
    worker = next((w for w in workers if w.id == form.worker.data), None)
    if worker is None or not can_report_sick(db.session, current_user, worker):
        abort(403)
    return worker


def _attach(form, error: SicknessError) -> None:
    field = getattr(form, error.field, None)
    message = error_text(error)
    if field is None:
        form.form_errors.append(message)
    elif message not in field.errors:
        field.errors.append(message)


def _valid(form: SickReportForm, today: date) -> bool:
    """The form's own checks, then the date and percentage rules, all at once."""
    valid = form.validate_on_submit()
    checks = []
    if not form.working_percent.errors:  # a value that is not a number has its message already
        checks.append(lambda: check_working_percent(_partial(form), form.working_percent.data))
    if form.first_sick_day.data is not None:
        checks.append(lambda: check_first_sick_day(form.first_sick_day.data, today))
    for check in checks:
        try:
            check()
        except SicknessError as error:
            _attach(form, error)
            valid = False
    return valid


def _partial(form: SickReportForm) -> bool:
    return form.partially_working.data == "yes"


def _store(form: SickReportForm, worker: User, today: date) -> SickReport | None:
    """The report and its messages in one transaction; None with the form's errors set when it
    was refused or not stored."""
    try:
        report = create_sick_report(
            db.session,
            reporter=_me(),
            worker=worker,
            first_sick_day=form.first_sick_day.data,
            expected_duration=ExpectedDuration(form.expected_duration.data),
            partially_working=_partial(form),
            working_percent=form.working_percent.data,
            remark=form.remark.data,
            today=today,
        )
        notify_sick_report(db.session, report, today)
        db.session.commit()
    except SicknessError as error:
        db.session.rollback()
        if error.code == "already_open" and current_user.role == Role.WORKER:
            form.form_errors.append(
                _already_open_text(db.session.get(SickReport, error.params["report_id"]))
            )
        else:
            _attach(form, error)
        return None
    except SQLAlchemyError:
        db.session.rollback()
        form.form_errors.append(
            _(
                "The sick report has not been saved. What you filled in is still in the form; "
                "try again."
            )
        )
        return None
    return report


def _already_open_text(report: SickReport) -> str:
    return _(
        "You have already been reported sick since %(date)s. When you are better, report it here.",
        date=format_date(report.first_sick_day, format="long"),
    )


def _sent_text(report: SickReport) -> str:
    if current_user.role == Role.WORKER:
        return _("Your sick report has been sent. Below you can read what happens now.")
    return _(
        "The sick report of %(worker)s has been saved. Below are who is in charge and the steps.",
        worker=report.worker.full_name,
    )


@bp.route("/<int:report_id>")
@roles_required(*REPORTERS)
def detail(report_id: int):
    report = db.get_or_404(SickReport, report_id)
    if not can_view_sick_report(db.session, current_user, report):
        abort(403)
    record_read("sick_report", report.id, report.worker_id)
    today = _today()
    guidance = guidance_for(report, today)
    return render_template(
        "sickness/detail.html",
        report=report,
        guidance=guidance,
        today=today,
        is_worker=current_user.id == report.worker_id,
        worker_intro=worker_intro(guidance),
        worker_tasks=WORKER_TASKS,
        no_riskpolis_basis=no_riskpolis_basis(guidance),
        no_riskpolis_text=no_riskpolis_text(guidance, report.first_sick_day),
        can_recover=can_report_recovery(db.session, current_user, report),
        **WORDING,
    )


@bp.route("/<int:report_id>/hersteld", methods=["GET", "POST"])
@roles_required(*REPORTERS)
def recover(report_id: int):
    report = db.get_or_404(SickReport, report_id)
    if not can_view_sick_report(db.session, current_user, report):
        abort(403)
    form = RecoveryForm()
    if current_user.id == report.worker_id:
        speak_to_worker(form)
    if not report.is_open:
        flash(
            _(
                "The recovery has already been reported (better again from %(date)s).",
                date=format_date(report.recovered_on, format="long"),
            ),
            "info",
        )
        return redirect(url_for("sickness.detail", report_id=report.id))
    today = _today()
    if request.method == "GET":
        form.recovered_on.data = today
    elif form.validate_on_submit() and _store_recovery(form, report, today):
        flash(_("The recovery has been saved."), "success")
        return redirect(url_for("sickness.detail", report_id=report.id))
    return render_template(
        "sickness/recover.html",
        form=form,
        report=report,
        is_worker=current_user.id == report.worker_id,
        **WORDING,
    )


def _store_recovery(form: RecoveryForm, report: SickReport, today: date) -> bool:
    try:
        report_recovery(
            db.session,
            report,
            by=_me(),
            recovered_on=form.recovered_on.data,
            remark=form.remark.data,
            today=today,
        )
        notify_recovery(db.session, report, today)
        db.session.commit()
    except SicknessError as error:
        db.session.rollback()
        _attach(form, error)
        return False
    except SQLAlchemyError:
        db.session.rollback()
        form.form_errors.append(
            _(
                "The recovery has not been saved. What you filled in is still in the form; "
                "try again."
            )
        )
        return False
    return True
