"""Evaluation rules: difference detection, signals, drafts, submission immutability, corrections
and which signals stay open until the follow-up conversation."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    EvaluationAnswer,
    EvaluationMoment,
    EvaluationResponse,
    MomentStatus,
    Question,
    QuestionKind,
    QuestionSignal,
    ResponseStatus,
    Side,
)
from portal.services.evaluations import (
    AnswerValue,
    EvaluationError,
    ImmutableResponseError,
    check_value,
    compare,
    evaluation_facts,
    is_open,
    missing_required,
    record_follow_up,
    save_answers,
    signals,
    start_correction,
    start_draft,
    submit,
)
from portal.services.questionnaires import seed_questionnaire
from tests.conftest import EMPLOYER, OTHER_WORKER, user_by_email
from tests.fixtures.contracts import start_temporary

V = AnswerValue


def _question(key, kind=QuestionKind.SCALE, signal=QuestionSignal.NONE, options=()):
    return Question(
        key=key,
        kind=kind,
        signal=signal,
        required=True,
        options=[{"code": code} for code in options],
    )


# Pure rules --------------------------------------------------------------------------------


def test_compare_lists_differences_of_two_or_more_first_largest_first():
    order = ["tasks", "pace", "quality", "hours", "colleagues"]
    worker = {"tasks": V(4), "pace": V(5), "quality": V(2), "hours": V(3), "colleagues": V(4)}
    supervisor = {"tasks": V(3), "pace": V(2), "quality": V(4), "hours": V(3)}
    rows = compare(order, worker, supervisor)
    assert [row.key for row in rows] == ["pace", "quality", "tasks", "hours", "colleagues"]
    assert [row.difference for row in rows] == [3, 2, 1, 0, None]
    assert [row.big for row in rows] == [True, True, False, False, False]


def test_difference_of_exactly_one_is_not_big_and_missing_scores_never_are():
    rows = compare(["a", "b"], {"a": V(5), "b": V(text="x")}, {"a": V(4), "b": V(1)})
    assert not any(row.big for row in rows)
    assert rows[1].difference is None


def test_signals_for_talk_low_energy_and_a_big_gap():
    questions = [
        _question("tasks"),
        _question("energy", signal=QuestionSignal.ENERGY),
        _question("talk", kind=QuestionKind.YES_NO, signal=QuestionSignal.TALK),
    ]
    found = signals(
        questions,
        {"tasks": V(5), "energy": V(2), "talk": V(yes_no=False)},
        {"tasks": V(3), "energy": V(4), "talk": V(yes_no=True)},
    )
    by_code = {signal.code: signal for signal in found}
    assert list(by_code) == ["wants_to_talk", "low_energy", "evaluation_gap"]
    assert by_code["wants_to_talk"].sides == (Side.SUPERVISOR,)
    assert by_code["low_energy"].sides == (Side.WORKER,)
    assert by_code["evaluation_gap"].keys == ("tasks", "energy")  # both 2 apart


def test_no_signals_when_all_is_well_or_only_one_side_answered():
    questions = [_question("tasks"), _question("energy", signal=QuestionSignal.ENERGY)]
    assert (
        signals(questions, {"tasks": V(4), "energy": V(3)}, {"tasks": V(3), "energy": V(4)}) == []
    )
    assert signals(questions, {"tasks": V(1), "energy": V(3)}, {}) == []


def test_low_energy_from_one_side_alone_is_a_signal():
    questions = [_question("energy", signal=QuestionSignal.ENERGY)]
    assert [s.code for s in signals(questions, {}, {"energy": V(1)})] == ["low_energy"]


def test_check_value_refuses_out_of_range_scores_and_unknown_choices():
    with pytest.raises(EvaluationError, match="score_out_of_range"):
        check_value(_question("a"), V(6))
    with pytest.raises(EvaluationError, match="unknown_choice"):
        check_value(_question("w", QuestionKind.CHOICES, options=("training",)), V(choices=("x",)))
    with pytest.raises(EvaluationError, match="text_too_long"):
        check_value(_question("a"), V(3, text="x" * 2001))
    cleaned = check_value(_question("a"), V(3, yes_no=True, text="  goed  "))
    assert cleaned == V(3, text="goed")  # a scale answer keeps no yes/no


def test_moment_opens_three_weeks_before_it_is_due():
    moment = EvaluationMoment(due=date(2026, 6, 22), status=MomentStatus.PLANNED)
    assert not is_open(moment, date(2026, 5, 31))
    assert is_open(moment, date(2026, 6, 1))
    assert is_open(moment, date(2026, 9, 1))  # late is still possible
    moment.status = MomentStatus.CANCELLED
    assert not is_open(moment, date(2026, 6, 22))


# With the database -------------------------------------------------------------------------


@pytest.fixture
def evaluation(people):
    """A temporary contract for Daan at Korenschoof, its first moment, the questionnaire."""
    questionnaire = seed_questionnaire(db.session)
    placement = start_temporary(people)
    moment = placement.evaluation_moments[0]
    db.session.commit()
    return {
        "questionnaire": questionnaire,
        "moment": moment,
        "worker": user_by_email(OTHER_WORKER),
        "hr": user_by_email(EMPLOYER),
        "today": moment.due,
        "contact": people["worker_contact"],
    }


def _answers(questionnaire, **scores):
    """A complete set of answers: 4 on every scale question unless given, 'no' to talk."""
    values = {}
    for question in questionnaire.questions:
        if question.kind == QuestionKind.SCALE:
            values[question.id] = V(scores.get(question.key, 4))
        elif question.kind == QuestionKind.YES_NO:
            values[question.id] = V(yes_no=scores.get(question.key, False))
    return values


def _fill(evaluation, side, submit_it=True, **scores):
    who = evaluation["worker"] if side == Side.WORKER else evaluation["hr"]
    response = start_draft(
        db.session,
        evaluation["moment"],
        side,
        who,
        evaluation["questionnaire"],
        evaluation["today"],
    )
    save_answers(response, _answers(evaluation["questionnaire"], **scores), who)
    if submit_it:
        submit(response, who)
    db.session.commit()
    return response


def test_a_draft_is_resumed_and_survives_a_new_session(evaluation):
    questionnaire = evaluation["questionnaire"]
    first = questionnaire.questions[0]
    draft = start_draft(
        db.session,
        evaluation["moment"],
        Side.WORKER,
        evaluation["worker"],
        questionnaire,
        evaluation["today"],
    )
    save_answers(draft, {first.id: V(3, text="gaat goed")}, evaluation["worker"], step=2)
    db.session.commit()
    draft_id = draft.id
    ids = (evaluation["moment"].id, evaluation["worker"].id, questionnaire.id)
    db.session.remove()  # as after logging out: nothing kept in memory

    from portal.models import Questionnaire, User

    again = start_draft(
        db.session,
        db.session.get(EvaluationMoment, ids[0]),
        Side.WORKER,
        db.session.get(User, ids[1]),
        db.session.get(Questionnaire, ids[2]),
        evaluation["today"],
    )
    assert again.id == draft_id
    assert again.current_step == 2
    assert [(a.score, a.text) for a in again.answers] == [(3, "gaat goed")]


def test_submit_refuses_missing_required_answers(evaluation):
    draft = _fill(evaluation, Side.WORKER, submit_it=False)
    required = next(q for q in evaluation["questionnaire"].questions if q.required)
    save_answers(draft, {required.id: V()}, evaluation["worker"])
    assert [q.key for q in missing_required(draft)] == [required.key]
    with pytest.raises(EvaluationError, match="incomplete"):
        submit(draft, evaluation["worker"])
    assert draft.status == ResponseStatus.DRAFT


def test_a_submitted_response_cannot_be_changed_anywhere(evaluation):
    response = _fill(evaluation, Side.WORKER)
    with pytest.raises(EvaluationError, match="already_submitted"):
        save_answers(response, {}, evaluation["worker"])
    with pytest.raises(EvaluationError, match="already_submitted"):
        start_draft(
            db.session,
            evaluation["moment"],
            Side.WORKER,
            evaluation["worker"],
            evaluation["questionnaire"],
            evaluation["today"],
        )
    # Also not behind the service's back: the session refuses the flush.
    answer = db.session.scalar(
        select(EvaluationAnswer).where(EvaluationAnswer.response_id == response.id)
    )
    answer.score = 1
    with pytest.raises(ImmutableResponseError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(EvaluationResponse, response.id))
    with pytest.raises(ImmutableResponseError):
        db.session.flush()
    db.session.rollback()
    db.session.get(EvaluationResponse, response.id).share_with_employer = True
    with pytest.raises(ImmutableResponseError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(EvaluationAnswer, answer.id).score == 4


def test_a_correction_is_a_new_version_and_keeps_the_history(evaluation):
    first = _fill(evaluation, Side.WORKER, work_tasks=2)
    with pytest.raises(EvaluationError, match="reason_required"):
        start_correction(db.session, evaluation["moment"], Side.WORKER, evaluation["worker"], " ")
    correction = start_correction(
        db.session, evaluation["moment"], Side.WORKER, evaluation["worker"], "Verkeerd geklikt"
    )
    assert correction.version == 2 and correction.status == ResponseStatus.DRAFT
    tasks = next(q for q in evaluation["questionnaire"].questions if q.key == "work_tasks")
    assert {a.question_id: a.score for a in correction.answers}[tasks.id] == 2
    save_answers(correction, {tasks.id: V(4)}, evaluation["worker"])
    submit(correction, evaluation["worker"])
    db.session.commit()
    versions = db.session.scalars(
        select(EvaluationResponse)
        .where(EvaluationResponse.moment_id == evaluation["moment"].id)
        .order_by(EvaluationResponse.version)
    ).all()
    assert [(r.version, r.status) for r in versions] == [
        (1, ResponseStatus.SUBMITTED),
        (2, ResponseStatus.SUBMITTED),
    ]
    assert {a.question_id: a.score for a in first.answers}[tasks.id] == 2  # unchanged


def test_only_one_draft_per_side_even_when_two_people_start_at_once(evaluation):
    _fill(evaluation, Side.SUPERVISOR, submit_it=False)
    twin = EvaluationResponse(
        moment_id=evaluation["moment"].id,
        side=Side.SUPERVISOR,
        version=2,
        questionnaire_id=evaluation["questionnaire"].id,
        respondent_id=evaluation["hr"].id,
    )
    db.session.add(twin)
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()


def test_signals_stay_open_until_the_follow_up_and_reopen_on_a_later_submission(evaluation):
    placement_id = evaluation["moment"].placement_id
    _fill(evaluation, Side.WORKER, work_pace=5, energy=2)
    facts = evaluation_facts(db.session, [placement_id])
    assert [s.code for s in facts.signals[placement_id]] == ["low_energy"]
    assert facts.answered == set()  # one side only
    _fill(evaluation, Side.SUPERVISOR, work_pace=2)
    facts = evaluation_facts(db.session, [placement_id])
    assert [s.code for s in facts.signals[placement_id]] == ["low_energy", "evaluation_gap"]
    assert facts.answered == {evaluation["moment"].id}

    today = evaluation["today"] + timedelta(days=3)
    with pytest.raises(EvaluationError, match="date_in_future"):
        record_follow_up(
            db.session,
            evaluation["moment"],
            held_on=today + timedelta(days=1),
            summary="x",
            adjustments=[],
            by=evaluation["contact"],
            today=today,
        )
    record_follow_up(
        db.session,
        evaluation["moment"],
        held_on=today,
        summary="Besproken: minder uren de eerste maand.",
        adjustments=["hours"],
        by=evaluation["contact"],
        today=today,
    )
    db.session.commit()
    assert evaluation_facts(db.session, [placement_id]).signals == {}
    assert evaluation["moment"].status == MomentStatus.DONE

    correction = start_correction(
        db.session, evaluation["moment"], Side.WORKER, evaluation["worker"], "Toch anders"
    )
    talk = next(q for q in evaluation["questionnaire"].questions if q.key == "talk")
    save_answers(correction, {talk.id: V(yes_no=True)}, evaluation["worker"])
    submit(correction, evaluation["worker"])
    db.session.commit()
    codes = [s.code for s in evaluation_facts(db.session, [placement_id]).signals[placement_id]]
    assert codes[0] == "wants_to_talk"
