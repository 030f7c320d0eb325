"""Demo evaluations, filled in through the same service functions the screens use.

Sanne (trial placement) shows open signals: at one month the two views differ and she wants to
talk; her trial-end evaluation is a half-filled draft. Daan shows a trend over three discussed
evaluations.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import (
    EvaluationMoment,
    EvaluationResponse,
    MomentStatus,
    Placement,
    QuestionKind,
    Questionnaire,
    Side,
    User,
)
from portal.services.contacts import current_assignment
from portal.services.evaluations import (
    AnswerValue,
    record_follow_up,
    save_answers,
    start_draft,
    submit,
)
from portal.services.schedule import add_months

WORKER_TEXTS = {
    "going_well": "Ik vind het bakken leuk. Mijn collega's helpen me.",
    "attention": "Soms is het te druk in de ochtend.",
}
SUPERVISOR_TEXTS = {
    "going_well": "Werkt nauwkeurig en is altijd op tijd.",
    "attention": "Heeft moeite met het tempo als het druk is.",
}


def _values(
    questionnaire: Questionnaire, scores: dict[str, int], side: Side, **extra
) -> dict[int, AnswerValue]:
    texts = WORKER_TEXTS if side == Side.WORKER else SUPERVISOR_TEXTS
    values = {}
    for question in questionnaire.questions:
        if question.kind == QuestionKind.SCALE:
            values[question.id] = AnswerValue(score=scores.get(question.key, 4))
        elif question.kind == QuestionKind.YES_NO:
            values[question.id] = AnswerValue(yes_no=extra.get(question.key, False))
        elif question.kind == QuestionKind.TEXT and question.key in texts:
            values[question.id] = AnswerValue(text=texts[question.key])
        elif question.kind == QuestionKind.CHOICES and question.key in extra:
            values[question.id] = AnswerValue(choices=tuple(extra[question.key]))
    return values


def _answer(
    session: Session,
    placement: Placement,
    moment: EvaluationMoment,
    side: Side,
    who: User,
    questionnaire: Questionnaire,
    scores: dict[str, int],
    today: date,
    *,
    send: bool = True,
    share: bool = False,
    **extra,
) -> EvaluationResponse:
    response = start_draft(session, moment, side, who, questionnaire, today)
    save_answers(
        response,
        _values(questionnaire, scores, side, **extra),
        who,
        step=3,
        share_with_employer=share,
    )
    if send:
        day = min(moment.due + timedelta(days=2), today)
        submit(response, who, datetime.combine(day, time(10, 0), tzinfo=UTC))
    return response


def seed_evaluation_demo(
    session: Session, questionnaire: Questionnaire, workers: dict[str, User], today: date
) -> None:
    """Idempotent: does nothing when any evaluation response exists."""
    if session.scalar(select(EvaluationResponse.id).limit(1)) is not None:
        return
    sanne, daan = workers.get("sanne@werknemer-demo.nl"), workers.get("daan@werknemer-demo.nl")
    for worker, build in ((sanne, _sanne), (daan, _daan)):
        if worker is None:
            continue
        placement = session.scalar(select(Placement).where(Placement.worker_id == worker.id))
        if placement is not None and placement.supervisor is not None:
            build(session, placement, questionnaire, today)
    session.flush()


def _moments(placement: Placement) -> dict[str, EvaluationMoment]:
    """The placement's moments that still count, by key (e.g. "after_start:1")."""
    return {
        moment.key: moment
        for moment in placement.evaluation_moments
        if moment.status != MomentStatus.CANCELLED
    }


def _past_moment(session: Session, placement: Placement, months: int) -> EvaluationMoment:
    """The "n months after the start" moment. The workflow plans only from the day a placement
    is registered, so for the demo's history the earlier moments are added here."""
    key = f"after_start:{months}"
    moment = _moments(placement).get(key)
    if moment is None:
        moment = EvaluationMoment(
            placement=placement,
            key=key,
            kind="after_start",
            due=add_months(placement.start_date, months),
        )
        session.add(moment)
        session.flush()
    return moment


def _sanne(session, placement, questionnaire, today):
    worker, boss = placement.worker, placement.supervisor
    # One month after the start: she rates her pace higher than her supervisor does, and wants
    # to talk. Not discussed yet, so the signals are open on the caseload.
    first = _past_moment(session, placement, 1)
    if first.due > today:
        return
    _answer(
        session, placement, first, Side.WORKER, worker, questionnaire,
        {"work_pace": 5, "energy": 3, "guidance_enough": 2}, today, talk=True,
        wishes=("more_guidance",),
    )  # fmt: skip
    _answer(
        session, placement, first, Side.SUPERVISOR, boss, questionnaire,
        {"work_pace": 2, "guidance_enough": 4, "work_quality": 5}, today,
    )  # fmt: skip
    trial = _moments(placement).get("trial_end")
    if trial is not None and trial.due - timedelta(days=21) <= today:
        _answer(
            session, placement, trial, Side.WORKER, worker, questionnaire,
            {"work_pace": 4}, today, send=False,
        )  # fmt: skip


def _daan(session, placement, questionnaire, today):
    worker, boss = placement.worker, placement.supervisor
    contact = current_assignment(session, worker=worker)
    history = [
        ({"work_pace": 3, "energy": 3}, {"work_pace": 3, "energy": 3}),
        ({"work_pace": 4, "energy": 4}, {"work_pace": 3, "energy": 4}),
        ({"work_pace": 4, "energy": 5, "colleagues": 5}, {"work_pace": 4, "energy": 4}),
    ]
    for months, (mine, theirs) in zip((1, 3, 6), history, strict=True):
        moment = _past_moment(session, placement, months)
        if moment.due + timedelta(days=7) > today:
            break
        _answer(
            session, placement, moment, Side.WORKER, worker, questionnaire, mine, today, share=True
        )
        _answer(session, placement, moment, Side.SUPERVISOR, boss, questionnaire, theirs, today)
        if contact is not None:
            record_follow_up(
                session,
                moment,
                held_on=moment.due + timedelta(days=7),
                summary="Gesprek met Daan en zijn leidinggevende. Het gaat goed; de uren blijven.",
                adjustments=["none"],
                by=contact.contact_person,
                today=today,
            )
