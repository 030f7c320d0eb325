"""Placement screens. Rules live in portal.services.placement_workflow; rights in portal.policy."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.audit_hooks import record_read
from portal.blueprints.placements import bp
from portal.blueprints.placements.forms import (
    ContractDecisionForm,
    EmployerUpdateForm,
    EndPlacementForm,
    HoursStepForm,
    NewPlacementForm,
    PhaseChangeForm,
    PlacementDetailsForm,
)
from portal.blueprints.placements.wording import (
    CHOICES,
    CONTRACT_KINDS,
    MOMENT_KINDS,
    NO_RISKPOLIS,
    RISK_LEVELS,
    RISK_MOMENTS,
    risk_reason,
    rule_message,
)
from portal.extensions import db
from portal.models import (
    CoachingRefusal,
    ContractDecision,
    ContractKind,
    Decision,
    Employer,
    EndReason,
    EvaluationFollowUp,
    EvaluationResponse,
    HoursStep,
    Intention,
    JobcoachReport,
    Phase,
    Placement,
    PraktijkrouteOutcome,
    Role,
    Route,
    User,
)
from portal.notify import send_start_message
from portal.policy import (
    can_compare_evaluations,
    can_manage_placement,
    can_update_as_employer,
    can_view_placement,
    evaluation_side,
    is_contact_of_worker,
    visible_profile_parts,
)
from portal.security import login_required, roles_required
from portal.services.caseload import caseload_rows
from portal.services.consent import shared_parts
from portal.services.contacts import caseload_workers, current_assignment
from portal.services.placement_workflow import change_phase, end_placement, start_placement
from portal.services.placements import (
    CauseSide,
    Ending,
    Initiator,
    PlacementRuleError,
    no_riskpolis,
    praktijkroute_measurement_due,
    subsidy_instrument,
)
from portal.services.settings import schedule_defaults

NO_CHOICE = (0, "—")


def _today() -> date:
    return date.today()


def _reason_label(reason: EndReason) -> str:
    return reason.label_en if str(get_locale()) == "en" else reason.label_nl


def _end_reason_choices() -> list[tuple[str, str]]:
    reasons = db.session.scalars(
        select(EndReason).where(EndReason.active).order_by(EndReason.sort_order)
    )
    return [(reason.code, _reason_label(reason)) for reason in reasons]


def _people(role: Role, employer_id: int | None = None) -> list[tuple[int, str]]:
    query = select(User).where(User.role == role, User.active).order_by(User.last_name)
    if employer_id is not None:
        query = query.where(User.employer_id == employer_id)
    return [(user.id, user.full_name) for user in db.session.scalars(query)]


def _fill_detail_choices(form, employer_id: int | None) -> None:
    form.supervisor_id.choices = [NO_CHOICE, *_people(Role.EMPLOYER, employer_id)]
    if isinstance(form, PlacementDetailsForm):
        form.jobcoach_id.choices = [NO_CHOICE, *_people(Role.JOBCOACH)]
        form.route.choices = CHOICES["route"]
        form.praktijkroute_outcome.choices = CHOICES["praktijkroute_outcome"]
        form.permanent_intention.choices = CHOICES["permanent_intention"]


def _apply_details(form, placement: Placement) -> None:
    """Copy the detail fields that exist on this form onto the placement."""
    placement.workplace = (form.workplace.data or "").strip() or None
    placement.supervisor_id = form.supervisor_id.data or None
    placement.hours_per_week = float(form.hours_per_week.data) if form.hours_per_week.data else None
    placement.buddy_name = (form.buddy_name.data or "").strip() or None
    placement.buddy_harrie_trained = form.buddy_harrie_trained.data
    if isinstance(form, PlacementDetailsForm):
        placement.jobcoach_id = form.jobcoach_id.data or None
        placement.loonwaarde_percent = form.loonwaarde_percent.data
        placement.loonwaarde_measured_on = form.loonwaarde_measured_on.data
        placement.loonkostensubsidie = form.loonkostensubsidie.data
        placement.route = Route(form.route.data)
        outcome = form.praktijkroute_outcome.data
        placement.praktijkroute_outcome = PraktijkrouteOutcome(outcome) if outcome else None
        intention = form.permanent_intention.data
        placement.permanent_intention = Intention(intention) if intention else None
        placement.self_found = form.self_found.data
        placement.self_found_how = (form.self_found_how.data or "").strip() or None


def _supervisor_belongs(form, employer_id: int) -> bool:
    if form.supervisor_id.data and form.supervisor_id.data not in dict(
        _people(Role.EMPLOYER, employer_id)
    ):
        form.supervisor_id.errors.append(_("Choose a supervisor of this employer."))
        return False
    return True


@bp.route("/caseload")
@roles_required(Role.CONTACT_PERSON)
def caseload():
    sort = request.args.get("sorteer", "risico")
    rows = caseload_rows(db.session, current_user.id, _today(), sort=sort)
    return render_template(
        "placements/caseload.html",
        rows=rows,
        sort=sort,
        risk_levels=RISK_LEVELS,
        risk_reason=risk_reason,
    )


@bp.route("/plaatsingen/nieuw", methods=["GET", "POST"])
@roles_required(Role.CONTACT_PERSON)
def new():
    form = NewPlacementForm()
    form.worker_id.choices = [
        (w.id, w.full_name) for w in caseload_workers(db.session, current_user.id)
    ]
    form.employer_id.choices = [
        (e.id, f"{e.name}, {e.city}")
        for e in db.session.scalars(select(Employer).order_by(Employer.name))
    ]
    form.phase.choices = [
        (Phase.PROEFPLAATSING.value, _("Trial placement")),
        (Phase.TIJDELIJK.value, _("Temporary contract")),
        (Phase.VAST.value, _("Permanent contract")),
    ]
    _fill_detail_choices(form, form.employer_id.data if request.method == "POST" else None)
    if request.method == "GET":
        form.worker_id.data = request.args.get("werknemer", type=int)
    if form.validate_on_submit() and _supervisor_belongs(form, form.employer_id.data):
        worker = db.session.get(User, form.worker_id.data)
        employer = db.session.get(Employer, form.employer_id.data)
        try:
            placement = start_placement(
                db.session,
                worker=worker,
                employer=employer,
                phase=Phase(form.phase.data),
                start=form.start_date.data,
                trial_end=form.trial_end.data,
                contract_end=form.contract_end.data,
                by=current_user,
                today=_today(),
                defaults=schedule_defaults(db.session),
            )
            _apply_details(form, placement)
            send_start_message(db.session, placement)
            db.session.commit()
        except PlacementRuleError as error:
            db.session.rollback()
            form.form_errors.append(rule_message(error.code))
        else:
            flash(
                _("The placement has started. The worker and the employer have been told."),
                "success",
            )
            return redirect(url_for("placements.detail", placement_id=placement.id))
    return render_template("placements/new.html", form=form)


@bp.route("/plaatsingen/<int:placement_id>")
@login_required
def detail(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if not can_view_placement(db.session, current_user, placement):
        abort(403)
    record_read("placement", placement.id, placement.worker_id)
    decisions = {
        decision.contract_id: decision
        for decision in db.session.scalars(
            select(ContractDecision).where(ContractDecision.placement_id == placement.id)
        )
    }
    profile = placement.worker.worker_profile
    riskpolis = (
        no_riskpolis(profile.regime.value, profile.in_doelgroepregister) if profile else None
    )
    return render_template(
        "placements/detail.html",
        placement=placement,
        decisions=decisions,
        riskpolis=riskpolis,
        instrument=subsidy_instrument(profile.regime.value) if profile else None,
        measurement_due=praktijkroute_measurement_due(placement.start_date),
        **_detail_texts(placement, riskpolis),
        can_manage=can_manage_placement(db.session, current_user, placement),
        can_update=can_update_as_employer(current_user, placement),
        profile_parts=visible_profile_parts(
            db.session,
            current_user,
            placement.worker,
            shared_parts(db.session, placement.worker_id),
        ),
        hours_form=HoursStepForm(),
        today=_today(),
        **_evaluation_context(placement),
    )


def _evaluation_context(placement: Placement) -> dict:
    """Per moment the state of both sides, and the timeline in the order things happened.

    Staff (contact person, jobcoach) see every event; the worker and the employer see the steps
    of the placement and their own evaluations.
    """
    staff = can_compare_evaluations(db.session, current_user, placement)
    my_side = evaluation_side(current_user, placement)
    moment_ids = [moment.id for moment in placement.evaluation_moments]
    responses = db.session.scalars(
        select(EvaluationResponse)
        .where(EvaluationResponse.moment_id.in_(moment_ids))
        .order_by(EvaluationResponse.version)
    ).all()
    states: dict[tuple[int, str], str] = {}
    for response in responses:
        key = (response.moment_id, response.side.value)
        if response.submitted or states.get(key) != "submitted":
            states[key] = "submitted" if response.submitted else "draft"
    moments = {moment.id: moment for moment in placement.evaluation_moments}
    events = [(change.effective_on, 0, "phase", change) for change in placement.phase_changes]
    for response in responses:
        if response.submitted and (staff or response.side == my_side):
            events.append(
                (
                    response.submitted_at.date(),
                    1,
                    "evaluation",
                    (response, moments[response.moment_id]),
                )
            )
    if staff:
        follow_ups = db.session.scalars(
            select(EvaluationFollowUp).where(EvaluationFollowUp.moment_id.in_(moment_ids))
        )
        events += [(f.held_on, 2, "follow_up", (f, moments[f.moment_id])) for f in follow_ups]
        reports = db.session.scalars(
            select(JobcoachReport).where(JobcoachReport.placement_id == placement.id)
        )
        events += [(r.submitted_at.date(), 3, "report", r) for r in reports]
        refusals = db.session.scalars(
            select(CoachingRefusal).where(CoachingRefusal.placement_id == placement.id)
        )
        events += [(r.refused_on, 4, "refusal", r) for r in refusals]
    return {
        "moment_states": states,
        "staff": staff,
        "my_side": my_side.value if my_side else None,
        "timeline": sorted(events, key=lambda event: (event[0], event[1]), reverse=True),
    }


def _detail_texts(placement: Placement, riskpolis) -> dict:
    """The words for the coded values on the detail page, in the user's language."""
    reason = placement.end_reason
    return {
        "riskpolis_text": str(NO_RISKPOLIS[riskpolis[1]]) if riskpolis else "—",
        "intention_text": dict(CHOICES["permanent_intention"]).get(
            placement.permanent_intention.value if placement.permanent_intention else "", "—"
        ),
        "outcome_text": dict(CHOICES["praktijkroute_outcome"]).get(
            placement.praktijkroute_outcome.value if placement.praktijkroute_outcome else "", ""
        ),
        "end_reason_text": _reason_label(reason) if reason else "—",
        "other_reasons_text": ", ".join(_reason_label(r) for r in placement.other_end_reasons),
        "risk_moment_text": RISK_MOMENTS.get(placement.end_risk_moment, "—")
        if placement.end_risk_moment
        else "—",
        "contract_kinds": CONTRACT_KINDS,
        "moment_kinds": MOMENT_KINDS,
        "decision_labels": dict(CHOICES["decision"]),
    }


@bp.route("/plaatsingen/<int:placement_id>/bewerken", methods=["GET", "POST"])
@roles_required(Role.CONTACT_PERSON, Role.EMPLOYER)
def edit(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if can_manage_placement(db.session, current_user, placement):
        form = PlacementDetailsForm(obj=placement)
    elif can_update_as_employer(current_user, placement):
        form = EmployerUpdateForm(obj=placement)
    else:
        abort(403)
    if placement.phase == Phase.BEEINDIGD:
        abort(409)
    _fill_detail_choices(form, placement.employer_id)
    if request.method == "GET":
        form.supervisor_id.data = placement.supervisor_id or 0
        if isinstance(form, PlacementDetailsForm):
            form.jobcoach_id.data = placement.jobcoach_id or 0
            form.route.data = placement.route.value
            form.praktijkroute_outcome.data = (
                placement.praktijkroute_outcome.value if placement.praktijkroute_outcome else ""
            )
            form.permanent_intention.data = (
                placement.permanent_intention.value if placement.permanent_intention else ""
            )
    if form.validate_on_submit() and _supervisor_belongs(form, placement.employer_id):
        _apply_details(form, placement)
        db.session.commit()
        flash(_("The changes have been saved."), "success")
        return redirect(url_for("placements.detail", placement_id=placement.id))
    return render_template("placements/edit.html", form=form, placement=placement)


@bp.route("/plaatsingen/<int:placement_id>/opbouw", methods=["POST"])
@roles_required(Role.CONTACT_PERSON, Role.EMPLOYER)
def add_hours_step(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if not (
        can_manage_placement(db.session, current_user, placement)
        or can_update_as_employer(current_user, placement)
    ):
        abort(403)
    if placement.phase == Phase.BEEINDIGD:
        abort(409)
    form = HoursStepForm()
    if form.validate_on_submit():
        if form.from_date.data < placement.start_date:
            form.from_date.errors.append(_("A step cannot be before the start of the placement."))
        elif any(step.from_date == form.from_date.data for step in placement.hours_steps):
            form.from_date.errors.append(_("There is already a step on this date."))
        else:
            placement.hours_steps.append(
                HoursStep(from_date=form.from_date.data, hours=float(form.hours.data))
            )
            db.session.commit()
            flash(_("The step has been added to the build-up of hours."), "success")
            return redirect(
                url_for("placements.detail", placement_id=placement.id, _anchor="hours-heading")
            )
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")
    return redirect(
        url_for("placements.detail", placement_id=placement.id, _anchor="hours-heading")
    )


@bp.route("/plaatsingen/<int:placement_id>/volgende-stap", methods=["GET", "POST"])
@roles_required(Role.CONTACT_PERSON)
def next_step(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if not can_manage_placement(db.session, current_user, placement):
        abort(403)
    form = PhaseChangeForm()
    form.new_phase.choices = [
        (phase.value, label)
        for phase, label in (
            (Phase.TIJDELIJK, _("Temporary contract (or a renewal)")),
            (Phase.VAST, _("Permanent contract")),
        )
        if phase != Phase.TIJDELIJK or placement.phase != Phase.VAST
    ]
    if placement.phase in (Phase.VAST, Phase.BEEINDIGD):
        abort(409)
    chain = None
    if form.validate_on_submit():
        new_phase = Phase(form.new_phase.data)
        try:
            result = change_phase(
                db.session,
                placement,
                new_phase,
                effective_on=form.effective_on.data,
                contract_end=form.contract_end.data,
                by=current_user,
                today=_today(),
                defaults=schedule_defaults(db.session),
            )
            chain = result.chain
            if chain is not None and chain.warning and not form.confirm_chain.data:
                db.session.rollback()  # ask first; nothing is stored until confirmed
            else:
                db.session.commit()
                flash(_("The next step has been saved."), "success")
                return redirect(url_for("placements.detail", placement_id=placement.id))
        except PlacementRuleError as error:
            db.session.rollback()
            form.form_errors.append(rule_message(error.code))
    return render_template("placements/next_step.html", form=form, placement=placement, chain=chain)


@bp.route("/plaatsingen/<int:placement_id>/beeindigen", methods=["GET", "POST"])
@roles_required(Role.CONTACT_PERSON)
def end(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if not can_manage_placement(db.session, current_user, placement):
        abort(403)
    if placement.phase == Phase.BEEINDIGD:
        abort(409)
    form = EndPlacementForm()
    reasons = _end_reason_choices()
    form.main_reason.choices = reasons
    form.other_reasons.choices = reasons
    form.initiator.choices = CHOICES["initiator"]
    form.cause.choices = CHOICES["cause"]
    form.follow_up_owner_id.choices = _people(Role.CONTACT_PERSON)
    if request.method == "GET":
        form.follow_up_owner_id.data = current_user.id
    if form.validate_on_submit():
        ending = Ending(
            end_date=form.end_date.data,
            main_reason=form.main_reason.data,
            other_reasons=tuple(form.other_reasons.data or ()),
            initiator=Initiator(form.initiator.data),
            cause=CauseSide(form.cause.data),
            follow_up_owner_id=form.follow_up_owner_id.data,
            explanation=form.explanation.data or "",
            lessons=form.lessons.data or "",
        )
        try:
            end_placement(db.session, placement, ending, by=current_user, today=_today())
            db.session.commit()
        except PlacementRuleError as error:
            db.session.rollback()
            for field_name, code in error.params.get("fields", {}).items():
                getattr(form, field_name).errors.append(rule_message(code))
            if "fields" not in error.params:
                form.form_errors.append(rule_message(error.code))
        else:
            flash(_("The placement has ended. The reason has been recorded."), "success")
            return redirect(url_for("placements.detail", placement_id=placement.id))
    return render_template("placements/end.html", form=form, placement=placement)


@bp.route("/plaatsingen/<int:placement_id>/besluit", methods=["GET", "POST"])
@roles_required(Role.EMPLOYER, Role.CONTACT_PERSON)
def decision(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    if not (
        can_update_as_employer(current_user, placement)
        or is_contact_of_worker(db.session, current_user, placement.worker_id)
    ):
        abort(403)
    contract = placement.contracts[-1] if placement.contracts else None
    if (
        placement.phase != Phase.TIJDELIJK
        or contract is None
        or contract.kind != ContractKind.TIJDELIJK
    ):
        abort(409)
    if db.session.scalar(
        select(ContractDecision.id).where(ContractDecision.contract_id == contract.id)
    ):
        flash(_("A decision on this contract has already been recorded."), "info")
        return redirect(url_for("placements.detail", placement_id=placement.id))
    form = ContractDecisionForm()
    form.decision.choices = CHOICES["decision"]
    form.main_reason.choices = [("", "—"), *_end_reason_choices()]
    form.cause.choices = [("", "—"), *CHOICES["cause"]]
    if form.validate_on_submit() and _decision_complete(form):
        chosen = Decision(form.decision.data)
        record = ContractDecision(
            placement=placement,
            contract=contract,
            decision=chosen,
            new_end=form.new_end.data,
            note=form.note.data or None,
            decided_by=current_user,
        )
        next_day = contract.end_date + timedelta(days=1)
        try:
            if chosen == Decision.RENEW:
                change_phase(
                    db.session,
                    placement,
                    Phase.TIJDELIJK,
                    effective_on=next_day,
                    contract_end=form.new_end.data,
                    by=current_user,
                    today=_today(),
                    defaults=schedule_defaults(db.session),
                )
            elif chosen == Decision.PERMANENT:
                change_phase(
                    db.session,
                    placement,
                    Phase.VAST,
                    effective_on=next_day,
                    by=current_user,
                    today=_today(),
                    defaults=schedule_defaults(db.session),
                )
            else:
                assignment = current_assignment(db.session, worker=placement.worker)
                end_placement(
                    db.session,
                    placement,
                    Ending(
                        end_date=contract.end_date,
                        main_reason=form.main_reason.data,
                        initiator=Initiator.EMPLOYER,
                        cause=CauseSide(form.cause.data),
                        follow_up_owner_id=assignment.contact_person_id if assignment else None,
                        explanation=form.note.data or "",
                    ),
                    by=current_user,
                    today=_today(),
                )
            db.session.add(record)
            db.session.commit()
        except PlacementRuleError as error:
            db.session.rollback()
            form.form_errors.append(rule_message(error.code))
        else:
            flash(_("Your decision has been recorded. The contact person sees it now."), "success")
            return redirect(url_for("placements.detail", placement_id=placement.id))
    return render_template(
        "placements/decision.html", form=form, placement=placement, contract=contract
    )


def _decision_complete(form: ContractDecisionForm) -> bool:
    ok = True
    if form.decision.data == Decision.RENEW.value and not form.new_end.data:
        form.new_end.errors.append(_("Fill in the end date of the new contract."))
        ok = False
    if form.decision.data == Decision.END.value:
        if not form.main_reason.data:
            form.main_reason.errors.append(_("Choose the main reason."))
            ok = False
        if not form.cause.data:
            form.cause.errors.append(_("Choose where the cause lay."))
            ok = False
    return ok
