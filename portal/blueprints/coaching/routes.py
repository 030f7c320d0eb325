"""Jobcoaching screens. Rules live in portal.services.coaching; rights in portal.policy."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.audit_hooks import record_read
from portal.blueprints.coaching import bp
from portal.blueprints.coaching.forms import (
    ACTIVITY_KINDS,
    BUILD_DOWN,
    HOW_IT_GOES,
    NO_MEDICAL,
    REPORT_FREQUENCIES,
    SHORT_WARNINGS,
    WARNINGS,
    ActivityForm,
    RefusalForm,
    ReportForm,
)
from portal.extensions import db
from portal.models import (
    CoachingActivity,
    CoachingRefusal,
    JobcoachReport,
    Placement,
    Role,
)
from portal.policy import (
    can_record_coaching_refusal,
    can_register_coaching,
    can_view_coaching,
)
from portal.security import roles_required
from portal.services.coaching import (
    MAX_HOURS_PER_YEAR,
    REPORT_GRACE_DAYS,
    activity_hours,
    coaching_summary,
    hours_in_period,
    jobcoach_overview,
    next_period_start,
    period_overlaps,
    report_periods,
)

WORDING = {
    "activity_kinds": ACTIVITY_KINDS,
    "build_down_labels": BUILD_DOWN,
    "how_it_goes_labels": HOW_IT_GOES,
    "frequencies": REPORT_FREQUENCIES,
    "warning_texts": WARNINGS,
    "short_warnings": SHORT_WARNINGS,
    "no_medical": NO_MEDICAL,
    "max_hours": MAX_HOURS_PER_YEAR,
    "grace_days": REPORT_GRACE_DAYS,
    "hours_text": lambda hours: format_decimal(hours, format="#,##0.##"),
}


def _today() -> date:
    return date.today()


def overview_context(jobcoach_id: int) -> dict:
    """What `coaching/_overview.html` needs; the jobcoach's dashboard shows it too."""
    return {"summaries": jobcoach_overview(db.session, jobcoach_id, _today()), **WORDING}


@bp.route("/")
@roles_required(Role.JOBCOACH)
def index():
    return render_template("coaching/index.html", **overview_context(current_user.id))


@bp.route("/plaatsing/<int:placement_id>")
@roles_required(Role.JOBCOACH, Role.CONTACT_PERSON)
def placement(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if not can_view_coaching(db.session, current_user, placement):
        abort(403)
    record_read("placement", placement.id, placement.worker_id)
    return _placement_page(placement, ActivityForm(formdata=None))


def _placement_page(placement: Placement, form: ActivityForm):
    today = _today()
    if form.activity_date.data is None and not form.errors:
        form.activity_date.data = today
    activities = db.session.scalars(
        select(CoachingActivity)
        .where(CoachingActivity.placement_id == placement.id)
        .order_by(CoachingActivity.activity_date.desc(), CoachingActivity.id.desc())
    ).all()
    reports = db.session.scalars(
        select(JobcoachReport)
        .where(JobcoachReport.placement_id == placement.id)
        .order_by(JobcoachReport.period_start.desc())
    ).all()
    refusals = db.session.scalars(
        select(CoachingRefusal)
        .where(CoachingRefusal.placement_id == placement.id)
        .order_by(CoachingRefusal.refused_on.desc())
    ).all()
    return render_template(
        "coaching/placement.html",
        placement=placement,
        summary=coaching_summary(db.session, placement, today),
        activities=activities,
        reports=reports,
        refusals=refusals,
        form=form,
        can_register=can_register_coaching(current_user, placement),
        can_record_refusal=can_record_coaching_refusal(db.session, current_user, placement),
        **WORDING,
    )


def _valid(form, *checks) -> bool:
    """Run the form's own validators, then `checks` (functions that add messages to fields and
    return whether they passed), all of them, so every message is shown at once."""
    valid = form.validate_on_submit()
    for check in checks:
        valid = check() and valid
    return valid


def _dates_ok(placement: Placement, today: date, *fields) -> bool:
    """Coaching dates lie within the placement and not in the future; messages on the fields."""
    for field in fields:
        _check_date(field, placement, today)
    return not any(field.errors for field in fields)


def _check_date(field, placement: Placement, today: date) -> None:
    if field.data is None:
        return
    if field.data > today:
        field.errors.append(_("The date cannot be in the future."))
    elif field.data < placement.start_date:
        field.errors.append(
            _(
                "The date cannot be before the start of the placement (%(date)s).",
                date=format_date(placement.start_date),
            )
        )
    elif placement.end_date is not None and field.data > placement.end_date:
        field.errors.append(
            _(
                "The date cannot be after the end of the placement (%(date)s).",
                date=format_date(placement.end_date),
            )
        )


@bp.route("/plaatsing/<int:placement_id>/activiteit", methods=["POST"])
@roles_required(Role.JOBCOACH)
def add_activity(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if not can_register_coaching(current_user, placement):
        abort(403)
    form = ActivityForm()
    today = _today()
    if not _valid(form, lambda: _dates_ok(placement, today, form.activity_date)):
        return _placement_page(placement, form)
    before = set(coaching_summary(db.session, placement, today).warnings)
    db.session.add(
        CoachingActivity(
            placement=placement,
            jobcoach_id=current_user.id,
            activity_date=form.activity_date.data,
            hours=float(form.hours.data),
            kind=form.kind.data,
            note=(form.note.data or "").strip() or None,
        )
    )
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        form.form_errors.append(_("The activity has not been saved. Please try again."))
        return _placement_page(placement, form)
    flash(_("The activity has been registered."), "success")
    after = coaching_summary(db.session, placement, today).warnings
    for code in after:
        if code not in before:
            flash(str(WARNINGS[code]), "warning")
    return redirect(url_for("coaching.placement", placement_id=placement.id))


@bp.route("/plaatsing/<int:placement_id>/rapportage", methods=["GET", "POST"])
@roles_required(Role.JOBCOACH)
def new_report(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if not can_register_coaching(current_user, placement):
        abort(403)
    today = _today()
    periods = report_periods(db.session, placement.id)
    form = ReportForm()
    if request.method == "GET":
        summary = coaching_summary(db.session, placement, today)
        start = next_period_start(summary.coaching_start, summary.last_period_end)
        end = min(today, placement.end_date) if placement.end_date else today
        form.period_start.data = start
        form.period_end.data = end
        form.hours_spent.data = hours_in_period(
            activity_hours(db.session, placement.id), start, end
        )
    elif _valid(form, lambda: _period_ok(form, placement, periods, today)):
        report = JobcoachReport(
            placement=placement,
            jobcoach_id=current_user.id,
            period_start=form.period_start.data,
            period_end=form.period_end.data,
            hours_spent=float(form.hours_spent.data),
            worked_on=form.worked_on.data.strip(),
            how_it_goes=form.how_it_goes.data,
            next_step=form.next_step.data.strip(),
            build_down=form.build_down.data,
            build_down_note=(form.build_down_note.data or "").strip() or None,
        )
        db.session.add(report)
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            form.form_errors.append(
                _(
                    "The report has not been saved. What you wrote is still in the form; "
                    "please try again."
                )
            )
        else:
            flash(_("The report has been sent. The contact person can read it now."), "success")
            return redirect(url_for("coaching.report", report_id=report.id))
    return render_template(
        "coaching/new_report.html", form=form, placement=placement, periods=periods, **WORDING
    )


def _period_ok(
    form: ReportForm, placement: Placement, periods: list[tuple[date, date]], today: date
) -> bool:
    """The period: start not after end, within the placement, not overlapping earlier reports."""
    start, end = form.period_start.data, form.period_end.data
    if not _dates_ok(placement, today, form.period_start, form.period_end):
        return False
    if start is None or end is None:
        return False
    if end < start:
        form.period_end.errors.append(_("The end of the period cannot be before its start."))
    elif (overlap := period_overlaps(start, end, periods)) is not None:
        form.period_start.errors.append(
            _(
                "This period overlaps the report of %(start)s to %(end)s.",
                start=format_date(overlap[0]),
                end=format_date(overlap[1]),
            )
        )
    return not (form.period_start.errors or form.period_end.errors)


@bp.route("/rapportage/<int:report_id>")
@roles_required(Role.JOBCOACH, Role.CONTACT_PERSON)
def report(report_id: int):
    report = db.session.get(JobcoachReport, report_id)
    if report is None:
        abort(404)
    # The author keeps reading what they wrote, also after the placement got another jobcoach.
    if report.jobcoach_id != current_user.id and not can_view_coaching(
        db.session, current_user, report.placement
    ):
        abort(403)
    record_read("jobcoach_report", report.id, report.placement.worker_id)
    return render_template("coaching/report.html", report=report, **WORDING)


@bp.route("/plaatsing/<int:placement_id>/afgewezen", methods=["GET", "POST"])
@roles_required(Role.JOBCOACH, Role.CONTACT_PERSON)
def refusal(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if not can_record_coaching_refusal(db.session, current_user, placement):
        abort(403)
    form = RefusalForm()
    today = _today()
    if request.method == "GET":
        form.refused_on.data = today
    elif _valid(form, lambda: _refusal_date_ok(form, today)):
        db.session.add(
            CoachingRefusal(
                placement=placement,
                refused_on=form.refused_on.data,
                reason=form.reason.data.strip(),
                recorded_by_id=current_user.id,
            )
        )
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            form.form_errors.append(_("The refusal has not been saved. Please try again."))
        else:
            flash(_("It has been recorded that the worker declines jobcoaching."), "success")
            return redirect(url_for("coaching.placement", placement_id=placement.id))
    return render_template("coaching/refusal.html", form=form, placement=placement, **WORDING)


def _refusal_date_ok(form: RefusalForm, today: date) -> bool:
    if form.refused_on.data is not None and form.refused_on.data > today:
        form.refused_on.errors.append(_("The date cannot be in the future."))
        return False
    return True
