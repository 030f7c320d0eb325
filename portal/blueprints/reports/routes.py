"""Meldingen: file one, follow it, and (the contact person) work it off."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.audit_hooks import record_read
from portal.blueprints.reports import bp
from portal.blueprints.reports.forms import STATUSES, URGENCIES, ActionForm, ProblemReportForm
from portal.blueprints.reports.notifications import notify_new_report, notify_reporter
from portal.blueprints.reports.wording import (
    category_label,
    error_text,
    event_text,
    status_label,
    urgency_label,
)
from portal.extensions import db
from portal.models import ProblemCategory, ProblemReport, ProblemStatus, Role, Urgency, User
from portal.policy import can_act_on_problem_report, can_view_problem_report
from portal.security import login_required, roles_required
from portal.services.contacts import contact_person_for
from portal.services.problem_reports import (
    ProblemReportError,
    active_categories,
    create_report,
    record_action,
    referral_for,
    reportable_workers,
    visible_reports,
)
from portal.services.submissions import remember, stored, stored_after_failure

WORDING = {
    "category_label": category_label,
    "status_label": status_label,
    "urgency_label": urgency_label,
    "event_text": event_text,
}


def _report_or_404(reference: str) -> ProblemReport:
    report = db.session.scalar(select(ProblemReport).where(ProblemReport.reference == reference))
    if report is None:
        abort(404)
    return report


@bp.route("/")
@roles_required(Role.WORKER, Role.EMPLOYER, Role.CONTACT_PERSON)
def index():
    return render_template(
        "reports/index.html", reports=visible_reports(db.session, current_user), **WORDING
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@roles_required(Role.WORKER, Role.EMPLOYER)
def new():
    workers = reportable_workers(db.session, current_user)
    categories = active_categories(db.session)
    form = ProblemReportForm()
    if current_user.role == Role.WORKER:
        del form.worker
    else:
        form.worker.choices = [(0, _("Choose a worker"))] + [(w.id, w.full_name) for w in workers]
    form.category.choices = [(c.id, category_label(c)) for c in categories]
    if current_user.role == Role.EMPLOYER and not workers:
        return render_template("reports/new.html", form=None, **WORDING)
    if form.validate_on_submit():
        earlier = stored(db.session, form.submission.data)
        if earlier is not None:
            flash(_("This report had already been received; here it is."), "info")
            return redirect(earlier.location)
        report = _store(form, workers, categories)
        if report is None:
            earlier = stored_after_failure(db.session, form.submission.data)
            if earlier is not None:  # the same form, sent twice at once: the other one stored it
                return redirect(earlier.location)
        if report is not None:
            flash(
                _(
                    "Your report has been sent. Reference: %(reference)s.",
                    reference=report.reference,
                ),
                "success",
            )
            return redirect(url_for("reports.detail", reference=report.reference))
    return render_template(
        "reports/new.html",
        form=form,
        contact=contact_person_for(db.session, current_user),
        **WORDING,
    )


def _store(
    form: ProblemReportForm, workers: list[User], categories: list[ProblemCategory]
) -> ProblemReport | None:
    """The melding and the contact person's message in one transaction; None with the form's
    errors set when it was refused or not stored."""
    worker = (
        current_user
        if current_user.role == Role.WORKER
        else next((w for w in workers if w.id == form.worker.data), None)
    )
    category = next((c for c in categories if c.id == form.category.data), None)
    if worker is None:
        form.worker.errors.append(error_text("worker_not_allowed"))
        return None
    if category is None:
        form.category.errors.append(error_text("category_inactive"))
        return None
    try:
        report = create_report(
            db.session,
            reporter=current_user,
            worker=worker,
            category=category,
            urgency=Urgency(form.urgency.data),
            text=form.text.data,
        )
        notify_new_report(db.session, report)
        remember(
            db.session,
            form.submission.data,
            url_for("reports.detail", reference=report.reference),
            report.reference,
        )
        db.session.commit()
    except ProblemReportError as error:
        db.session.rollback()
        form.text.errors.append(error_text(error.code))
        return None
    except SQLAlchemyError:
        db.session.rollback()
        form.form_errors.append(
            _("Your report has not been sent. What you wrote is still in the form; try again.")
        )
        return None
    return report


@bp.route("/<reference>")
@login_required
def detail(reference: str):
    report = _report_or_404(reference)
    if not can_view_problem_report(current_user, report):
        abort(403)
    record_read("problem_report", report.id, report.worker_id)
    return _render_detail(
        report, ActionForm() if can_act_on_problem_report(current_user, report) else None
    )


def _render_detail(report: ProblemReport, form: ActionForm | None, status: int = 200):
    return (
        render_template(
            "reports/detail.html",
            report=report,
            form=form,
            referral=referral_for(report.worker) if report.category.outside_work else None,
            contact=report.contact_person,
            statuses=STATUSES,
            urgencies=URGENCIES,
            **WORDING,
        ),
        status,
    )


@bp.route("/<reference>/actie", methods=["POST"])
@roles_required(Role.CONTACT_PERSON)
def act(reference: str):
    report = _report_or_404(reference)
    if not can_act_on_problem_report(current_user, report):
        abort(403)
    form = ActionForm()
    if not form.validate_on_submit():
        return _render_detail(report, form)
    try:
        event = record_action(
            db.session,
            report,
            by=current_user,
            note=form.note.data,
            status=ProblemStatus(form.status.data) if form.status.data else None,
        )
        notify_reporter(db.session, report, event)
        db.session.commit()
    except ProblemReportError as error:
        db.session.rollback()
        field = form.status if error.code in ("closed", "back_to_new") else form.note
        field.errors.append(error_text(error.code))
        return _render_detail(report, form)
    except SQLAlchemyError:
        db.session.rollback()
        form.form_errors.append(_("This has not been saved. Please try again."))
        return _render_detail(report, form)
    flash(_("Saved. The reporter can read it."), "success")
    return redirect(url_for("reports.detail", reference=reference))
