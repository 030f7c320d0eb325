"""Evaluation screens. Rules live in portal.services.evaluations; rights in portal.policy."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from portal.audit_hooks import record_read
from portal.blueprints.evaluations import bp
from portal.blueprints.evaluations.forms import CorrectionForm, FollowUpForm, StepForm
from portal.blueprints.evaluations.wording import (
    ADJUSTMENTS,
    SCALE_LABELS,
    SIDE_NAMES,
    SIDE_SLUGS,
    error_message,
    moment_label,
    option_label,
    question_text,
    section_intro,
    section_title,
    signal_text,
)
from portal.charts import Series, line_chart, marker_svg
from portal.extensions import db
from portal.models import (
    EvaluationFollowUp,
    EvaluationMoment,
    EvaluationResponse,
    MomentStatus,
    Placement,
    Question,
    QuestionKind,
    Role,
    Side,
)
from portal.notify import notify_evaluation_submitted
from portal.policy import (
    can_compare_evaluations,
    can_follow_up_evaluation,
    can_view_response,
    evaluation_side,
)
from portal.security import roles_required
from portal.services.contacts import caseload_workers
from portal.services.evaluations import (
    MAX_TEXT,
    AnswerValue,
    EvaluationError,
    answered,
    compare,
    draft_of,
    is_open,
    latest_submitted,
    missing_required,
    moment_signals,
    questions_of,
    record_follow_up,
    responses_of,
    save_answers,
    start_correction,
    start_draft,
    submit,
    trend,
    values_by_key,
)
from portal.services.questionnaires import active_questionnaire

logger = logging.getLogger(__name__)
SLUG_SIDES = {slug: side for side, slug in SIDE_SLUGS.items()}


def _today() -> date:
    return date.today()


def _visible_placements() -> list[Placement]:
    """The placements whose evaluations this user works with."""
    query = select(Placement).options(selectinload(Placement.evaluation_moments))
    if current_user.role == Role.WORKER:
        query = query.where(Placement.worker_id == current_user.id)
    elif current_user.role == Role.EMPLOYER:
        query = query.where(Placement.employer_id == (current_user.employer_id or -1))
    elif current_user.role == Role.JOBCOACH:
        query = query.where(Placement.jobcoach_id == current_user.id)
    else:
        workers = [worker.id for worker in caseload_workers(db.session, current_user.id)]
        query = query.where(Placement.worker_id.in_(workers))
    return list(db.session.scalars(query))


@bp.route("/")
@roles_required(Role.WORKER, Role.EMPLOYER, Role.CONTACT_PERSON, Role.JOBCOACH)
def index():
    today = _today()
    placements = _visible_placements()
    moments = [
        moment
        for placement in placements
        for moment in placement.evaluation_moments
        if is_open(moment, today)
    ]
    responses = db.session.scalars(
        select(EvaluationResponse).where(
            EvaluationResponse.moment_id.in_([moment.id for moment in moments])
        )
    ).all()
    state: dict[tuple[int, Side], str] = {}
    shared: set[int] = set()
    for response in sorted(responses, key=lambda r: (r.submitted, r.version)):
        state[(response.moment_id, response.side)] = "submitted" if response.submitted else "draft"
        if response.side == Side.WORKER and response.submitted:
            (shared.add if response.share_with_employer else shared.discard)(response.moment_id)
    my_side = {p.id: evaluation_side(current_user, p) for p in placements}
    to_do = [
        m
        for m in moments
        if my_side.get(m.placement_id)
        and state.get((m.id, my_side[m.placement_id])) != "submitted"
        and m.status != MomentStatus.DONE
    ]
    return render_template(
        "evaluations/index.html",
        to_do=sorted(to_do, key=lambda m: m.due),
        moments=sorted(moments, key=lambda m: m.due, reverse=True),
        state=state,
        shared=shared,
        my_side=my_side,
        staff=current_user.role in (Role.CONTACT_PERSON, Role.JOBCOACH),
        moment_label=moment_label,
        side_slugs=SIDE_SLUGS,
        Side=Side,
        today=today,
    )


# Filling in --------------------------------------------------------------------------------


def _read_step(questions: list[Question]):
    """The posted answers of one step: what can be saved, what to show again, and errors."""
    to_save: dict[int, AnswerValue] = {}
    shown: dict[int, dict] = {}
    errors: dict[int, str] = {}
    for question in questions:
        prefix = f"q{question.id}"
        raw_score = request.form.get(f"{prefix}-score", "")
        raw_yes_no = request.form.get(f"{prefix}-yes_no", "")
        choices = tuple(request.form.getlist(f"{prefix}-choices"))
        text = request.form.get(f"{prefix}-text", "")
        shown[question.id] = {
            "score": raw_score,
            "yes_no": raw_yes_no,
            "choices": choices,
            "text": text,
        }
        known_choices = {option["code"] for option in question.options or []}
        if raw_score and raw_score not in {"1", "2", "3", "4", "5"}:
            errors[question.id] = _("Choose one of the answers 1 to 5.")
        elif raw_yes_no and raw_yes_no not in {"yes", "no"}:
            errors[question.id] = _("Choose yes or no.")
        elif not set(choices) <= known_choices:
            errors[question.id] = _("Choose from the options shown.")
        elif len(text.strip()) > MAX_TEXT:
            errors[question.id] = _("This text is too long. Use at most 2000 characters.")
        else:
            to_save[question.id] = AnswerValue(
                score=int(raw_score) if raw_score else None,
                yes_no={"yes": True, "no": False}.get(raw_yes_no),
                choices=choices,
                text=text,
            )
    return to_save, shown, errors


def _shown_from(response: EvaluationResponse | None) -> dict[int, dict]:
    if response is None:
        return {}
    return {
        answer.question_id: {
            "score": str(answer.score or ""),
            "yes_no": {True: "yes", False: "no"}.get(answer.yes_no, ""),
            "choices": tuple(answer.choices or ()),
            "text": answer.text or "",
        }
        for answer in response.answers
    }


@bp.route("/<int:moment_id>/invullen", methods=["GET", "POST"])
@roles_required(Role.WORKER, Role.EMPLOYER)
def fill(moment_id: int):
    moment = db.get_or_404(EvaluationMoment, moment_id)
    placement = moment.placement
    side = evaluation_side(current_user, placement)
    if side is None:
        abort(403)
    draft = draft_of(db.session, moment.id, side)
    autosave = request.headers.get("X-Autosave") == "1"
    if draft is None:
        if latest_submitted(db.session, moment.id, side) is not None:
            if autosave:
                return jsonify(saved=False, reason="already_submitted"), 409
            flash(_("Your answers have already been sent."), "info")
            return redirect(
                url_for("evaluations.response", moment_id=moment.id, side_slug=SIDE_SLUGS[side])
            )
        if not is_open(moment, _today()):
            abort(409)
    questionnaire = draft.questionnaire if draft else active_questionnaire(db.session)
    if questionnaire is None:
        abort(409)
    sections = questionnaire.sections
    review = len(sections)
    try:
        step = int(request.values.get("stap", draft.current_step if draft else 0))
    except ValueError:
        step = 0
    step = min(max(step, 0), review)
    form = StepForm()
    shown = _shown_from(draft)
    errors: dict[int, str] = {}
    missing: list[Question] = []
    if request.method == "POST" and form.validate_on_submit():
        action = request.form.get("action", "next")
        questions = sections[step].questions if step < review else []
        to_save, posted, errors = _read_step(questions)
        shown.update(posted)
        share = None
        if step == review and side == Side.WORKER:
            share = request.form.get("share_with_employer") == "yes"
        try:
            if draft is None:
                draft = start_draft(db.session, moment, side, current_user, questionnaire, _today())
            save_answers(draft, to_save, current_user, step=step, share_with_employer=share)
            db.session.commit()
        except EvaluationError as error:
            db.session.rollback()
            form.form_errors.append(error_message(error))
            if autosave:
                return jsonify(saved=False, reason=error.code), 409
        except SQLAlchemyError:
            db.session.rollback()
            logger.exception("saving evaluation answers failed (moment %s)", moment.id)
            if autosave:
                return jsonify(saved=False, reason="not_saved"), 500
            form.form_errors.append(
                _("Your answers could not be saved. Nothing was lost on this page: try again.")
            )
        else:
            if autosave:
                return jsonify(
                    saved=not errors,
                    saved_at=format_datetime(draft.updated_at, format="short"),
                    errors={str(key): value for key, value in errors.items()},
                )
            if not errors:
                unanswered = [
                    q
                    for q in questions
                    if q.required and not answered(q, _answers_by_question(draft).get(q.id))
                ]
                if action == "next" and unanswered:
                    errors = {q.id: _("Choose an answer.") for q in unanswered}
                else:
                    return _after_save(action, draft, moment, side, step, review)
        if action == "submit" and draft is not None and draft.status.value == "draft":
            missing = missing_required(draft)
    elif draft is not None and step == review:
        missing = missing_required(draft)
    return render_template(
        "evaluations/fill.html",
        form=form,
        moment=moment,
        placement=placement,
        side=side,
        questionnaire=questionnaire,
        sections=sections,
        step=step,
        review=review,
        draft=draft,
        shown=shown,
        errors=errors,
        missing=missing,
        answers=_answers_by_question(draft),
        scale_labels=SCALE_LABELS[side],
        question_text=question_text,
        section_title=section_title,
        section_intro=section_intro,
        option_label=option_label,
        moment_label=moment_label,
        answered=answered,
        saved_at=_utc_iso(draft.updated_at) if draft else "",
    )


def _utc_iso(moment: datetime) -> str:
    """For the browser script, which compares it with its own clock (SQLite drops the zone)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _answers_by_question(response: EvaluationResponse | None) -> dict[int, AnswerValue]:
    if response is None:
        return {}
    return {answer.question_id: AnswerValue.of(answer) for answer in response.answers}


def _after_save(action, draft, moment, side, step, review):
    """Where to go after the step's answers were stored."""
    here = {"moment_id": moment.id}
    if action == "save":
        flash(
            _("Your answers have been saved. You can go on later, also on another day."),
            "success",
        )
        return redirect(url_for("evaluations.index"))
    if action == "previous":
        return redirect(url_for("evaluations.fill", stap=max(step - 1, 0), **here))
    if action.startswith("goto-") and action[5:].isdigit():
        return redirect(url_for("evaluations.fill", stap=int(action[5:]), **here))
    if action == "submit" and step == review:
        try:
            submit(draft, current_user)
            db.session.flush()
            notify_evaluation_submitted(db.session, draft)
            db.session.commit()
        except EvaluationError:
            db.session.rollback()
            return redirect(url_for("evaluations.fill", stap=review, **here))
        except SQLAlchemyError:
            db.session.rollback()
            logger.exception("submitting evaluation failed (moment %s)", moment.id)
            flash(
                _("Your answers could not be sent. They are saved as a draft: try again."), "error"
            )
            return redirect(url_for("evaluations.fill", stap=review, **here))
        flash(_("Thank you. Your answers have been sent."), "success")
        return redirect(
            url_for("evaluations.response", moment_id=moment.id, side_slug=SIDE_SLUGS[side])
        )
    return redirect(url_for("evaluations.fill", stap=min(step + 1, review), **here))


# Reading -----------------------------------------------------------------------------------


@bp.route("/<int:moment_id>/<side_slug>")
@roles_required(Role.WORKER, Role.EMPLOYER, Role.CONTACT_PERSON, Role.JOBCOACH)
def response(moment_id: int, side_slug: str):
    side = SLUG_SIDES.get(side_slug)
    if side is None:
        abort(404)
    moment = db.get_or_404(EvaluationMoment, moment_id)
    placement = moment.placement
    own = evaluation_side(current_user, placement)
    staff = can_compare_evaluations(db.session, current_user, placement)
    if not (staff or own == side or (own == Side.SUPERVISOR and side == Side.WORKER)):
        abort(403)
    versions = [r for r in responses_of(db.session, moment.id, side) if r.submitted]
    if not versions:
        if own == side and draft_of(db.session, moment.id, side) is not None:
            return redirect(url_for("evaluations.fill", moment_id=moment.id))
        abort(404)
    chosen = versions[-1]
    wanted = request.args.get("versie", type=int)
    if wanted is not None:
        chosen = next((r for r in versions if r.version == wanted), None) or abort(404)
    if not can_view_response(db.session, current_user, chosen, placement):
        abort(403)
    record_read("evaluation_response", chosen.id, placement.worker_id)
    return render_template(
        "evaluations/response.html",
        moment=moment,
        placement=placement,
        side=side,
        response=chosen,
        versions=versions,
        answers=_answers_by_question(chosen),
        own=own == side,
        correcting=draft_of(db.session, moment.id, side) is not None,
        staff=staff,
        side_name=SIDE_NAMES[side],
        scale_labels=SCALE_LABELS[side],
        question_text=question_text,
        section_title=section_title,
        option_label=option_label,
        moment_label=moment_label,
    )


@bp.route("/<int:moment_id>/corrigeren", methods=["GET", "POST"])
@roles_required(Role.WORKER, Role.EMPLOYER)
def correct(moment_id: int):
    moment = db.get_or_404(EvaluationMoment, moment_id)
    side = evaluation_side(current_user, moment.placement)
    if side is None:
        abort(403)
    if latest_submitted(db.session, moment.id, side) is None:
        abort(404)
    if draft_of(db.session, moment.id, side) is not None:
        return redirect(url_for("evaluations.fill", moment_id=moment.id))
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            start_correction(db.session, moment, side, current_user, form.reason.data)
            db.session.commit()
        except EvaluationError as error:
            db.session.rollback()
            form.form_errors.append(error_message(error))
        else:
            flash(
                _("Change your answers and send them again. Your earlier answers are kept."),
                "info",
            )
            return redirect(url_for("evaluations.fill", moment_id=moment.id, stap=0))
    return render_template(
        "evaluations/correct.html", form=form, moment=moment, side=side, moment_label=moment_label
    )


# Side by side ------------------------------------------------------------------------------


@bp.route("/<int:moment_id>/vergelijking")
@roles_required(Role.CONTACT_PERSON, Role.JOBCOACH)
def comparison(moment_id: int):
    moment = db.get_or_404(EvaluationMoment, moment_id)
    if not can_compare_evaluations(db.session, current_user, moment.placement):
        abort(403)
    record_read("evaluation_moment", moment.id, moment.placement.worker_id)
    form = FollowUpForm()
    if not form.held_on.data:
        form.held_on.data = _today()
    return _render_comparison(moment, form)


def _render_comparison(moment: EvaluationMoment, form: FollowUpForm):
    placement = moment.placement
    worker = latest_submitted(db.session, moment.id, Side.WORKER)
    supervisor = latest_submitted(db.session, moment.id, Side.SUPERVISOR)
    questions = questions_of(worker, supervisor)
    if not questions:
        active = active_questionnaire(db.session)
        questions = active.questions if active else []
    by_key = {question.key: question for question in questions}
    order = [question.key for question in questions]
    rows = compare(order, values_by_key(worker), values_by_key(supervisor))
    scale_rows = [row for row in rows if by_key[row.key].kind == QuestionKind.SCALE]
    other_rows = [row for row in rows if by_key[row.key].kind != QuestionKind.SCALE]
    points = trend(db.session, placement.id)
    labels = [point.moment.due.strftime("%d-%m-%Y") for point in points]
    chart = None
    if points:
        chart = line_chart(
            labels,
            [
                Series(str(SIDE_NAMES[Side.WORKER]), [p.worker_average for p in points]),
                Series(str(SIDE_NAMES[Side.SUPERVISOR]), [p.supervisor_average for p in points]),
            ],
            title=_("Average score per evaluation moment"),
            description=_(
                "Worker: solid line with circles. Supervisor: dashed line with squares. "
                "Scale 1 to 5. The table below the chart gives the same numbers."
            ),
            ident="trend",
        )
    form.adjustments.choices = ADJUSTMENTS
    follow_ups = db.session.scalars(
        select(EvaluationFollowUp)
        .where(EvaluationFollowUp.moment_id == moment.id)
        .order_by(EvaluationFollowUp.recorded_at)
    ).all()
    return render_template(
        "evaluations/compare.html",
        moment=moment,
        placement=placement,
        worker_response=worker,
        supervisor_response=supervisor,
        by_key=by_key,
        scale_rows=scale_rows,
        big_rows=[row for row in scale_rows if row.big],
        other_rows=other_rows,
        signals=[signal_text(signal) for signal in moment_signals(db.session, moment)],
        points=points,
        chart=chart,
        markers=(marker_svg(0), marker_svg(1)),
        form=form,
        follow_ups=follow_ups,
        adjustment_labels=dict(ADJUSTMENTS),
        can_follow_up=can_follow_up_evaluation(db.session, current_user, placement),
        worker_labels=SCALE_LABELS[Side.WORKER],
        supervisor_labels=SCALE_LABELS[Side.SUPERVISOR],
        question_text=question_text,
        option_label=option_label,
        moment_label=moment_label,
        Side=Side,
    )


@bp.route("/<int:moment_id>/nabespreking", methods=["POST"])
@roles_required(Role.CONTACT_PERSON)
def follow_up(moment_id: int):
    moment = db.get_or_404(EvaluationMoment, moment_id)
    if not can_follow_up_evaluation(db.session, current_user, moment.placement):
        abort(403)
    form = FollowUpForm()
    form.adjustments.choices = ADJUSTMENTS
    if form.validate_on_submit():
        try:
            record_follow_up(
                db.session,
                moment,
                held_on=form.held_on.data,
                summary=form.summary.data,
                adjustments=form.adjustments.data or [],
                by=current_user,
                today=_today(),
            )
            db.session.commit()
        except EvaluationError as error:
            db.session.rollback()
            target = form.held_on.errors if error.code == "date_in_future" else form.form_errors
            target.append(error_message(error))
        else:
            flash(_("The follow-up has been recorded. The evaluation is done."), "success")
            return redirect(url_for("evaluations.comparison", moment_id=moment.id))
    return _render_comparison(moment, form)
