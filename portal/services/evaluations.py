"""Evaluations from two sides: drafts, submission, corrections, comparison and risk signals.

The worker and the supervisor answer the same questions separately. What matters is where their
views differ (DESIGN §1, the IOP form): a difference of 2 or more points on a 1-5 question, a low
score on energy, or a request to talk, is a signal for the contact person. Signals stay open until
the contact person records the follow-up conversation.

A submitted response never changes: a correction is a new version of the same side. That rule is
enforced for every flush of the database session, not only by these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from portal.models import (
    EvaluationAnswer,
    EvaluationFollowUp,
    EvaluationMoment,
    EvaluationResponse,
    MomentStatus,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionSignal,
    ResponseStatus,
    Side,
    User,
)
from portal.models._types import utcnow

SCALE = range(1, 6)
BIG_DIFFERENCE = 2  # points apart on a 1-5 question
LOW_SCORE = 2  # an energy question answered with 1 or 2
OPEN_DAYS_BEFORE_DUE = 21  # the form opens three weeks before the moment
MAX_TEXT = 2000


class EvaluationError(ValueError):
    """A rule was broken; `code` names it for the message in the user's language."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class ImmutableResponseError(RuntimeError):
    """Something tried to change or delete a submitted response or its answers."""


# Values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerValue:
    """One answer, whatever the kind of question."""

    score: int | None = None
    yes_no: bool | None = None
    choices: tuple[str, ...] = ()
    text: str | None = None

    @property
    def empty(self) -> bool:
        return self.score is None and self.yes_no is None and not self.choices and not self.text

    @classmethod
    def of(cls, answer: EvaluationAnswer) -> AnswerValue:
        return cls(answer.score, answer.yes_no, tuple(answer.choices or ()), answer.text)


def answered(question: Question, value: AnswerValue | None) -> bool:
    """Whether the question's own part is answered (a comment alone does not answer a scale)."""
    if value is None:
        return False
    if question.kind == QuestionKind.SCALE:
        return value.score is not None
    if question.kind == QuestionKind.YES_NO:
        return value.yes_no is not None
    if question.kind == QuestionKind.CHOICES:
        return bool(value.choices)
    return bool(value.text)


def check_value(question: Question, value: AnswerValue) -> AnswerValue:
    """The value cleaned for this question; raises EvaluationError when it cannot be stored."""
    text = (value.text or "").strip() or None
    if text is not None and len(text) > MAX_TEXT:
        raise EvaluationError("text_too_long", question=question.key, limit=MAX_TEXT)
    if question.kind == QuestionKind.SCALE:
        if value.score is not None and value.score not in SCALE:
            raise EvaluationError("score_out_of_range", question=question.key)
        return AnswerValue(score=value.score, text=text)
    if question.kind == QuestionKind.YES_NO:
        return AnswerValue(yes_no=value.yes_no, text=text)
    if question.kind == QuestionKind.CHOICES:
        known = {option["code"] for option in question.options or []}
        if not set(value.choices) <= known:
            raise EvaluationError("unknown_choice", question=question.key)
        ordered = tuple(
            option["code"] for option in question.options if option["code"] in value.choices
        )
        return AnswerValue(choices=ordered, text=text)
    return AnswerValue(text=text)


# Reading ----------------------------------------------------------------------------------


def is_open(moment: EvaluationMoment, today: date) -> bool:
    """The form can be filled in from three weeks before the moment; not when it is cancelled."""
    return moment.status != MomentStatus.CANCELLED and today >= moment.due - timedelta(
        days=OPEN_DAYS_BEFORE_DUE
    )


def responses_of(session: Session, moment_id: int, side: Side) -> list[EvaluationResponse]:
    """All versions of one side, oldest first (the draft, if any, last)."""
    return list(
        session.scalars(
            select(EvaluationResponse)
            .where(EvaluationResponse.moment_id == moment_id, EvaluationResponse.side == side)
            .order_by(EvaluationResponse.version)
        )
    )


def latest_submitted(session: Session, moment_id: int, side: Side) -> EvaluationResponse | None:
    return session.scalar(
        select(EvaluationResponse)
        .where(
            EvaluationResponse.moment_id == moment_id,
            EvaluationResponse.side == side,
            EvaluationResponse.status == ResponseStatus.SUBMITTED,
        )
        .order_by(EvaluationResponse.version.desc())
        .limit(1)
    )


def draft_of(session: Session, moment_id: int, side: Side) -> EvaluationResponse | None:
    return session.scalar(
        select(EvaluationResponse).where(
            EvaluationResponse.moment_id == moment_id,
            EvaluationResponse.side == side,
            EvaluationResponse.status == ResponseStatus.DRAFT,
        )
    )


def values_by_key(response: EvaluationResponse | None) -> dict[str, AnswerValue]:
    if response is None:
        return {}
    return {answer.question.key: AnswerValue.of(answer) for answer in response.answers}


# Changing ---------------------------------------------------------------------------------


def start_draft(
    session: Session,
    moment: EvaluationMoment,
    side: Side,
    respondent: User,
    questionnaire: Questionnaire,
    today: date,
) -> EvaluationResponse:
    """The draft to continue, or a new first version. A submitted side is corrected instead."""
    draft = draft_of(session, moment.id, side)
    if draft is not None:
        return draft
    if not is_open(moment, today):
        raise EvaluationError("not_open")
    if latest_submitted(session, moment.id, side) is not None:
        raise EvaluationError("already_submitted")
    draft = EvaluationResponse(
        moment=moment, side=side, version=1, questionnaire=questionnaire, respondent=respondent
    )
    session.add(draft)
    session.flush()
    return draft


def save_answers(
    response: EvaluationResponse,
    values: Mapping[int, AnswerValue],
    respondent: User,
    *,
    step: int | None = None,
    share_with_employer: bool | None = None,
) -> None:
    """Store answers (by question id) in a draft. Empty values remove an earlier answer."""
    if response.status != ResponseStatus.DRAFT:
        raise EvaluationError("already_submitted")
    questions = {question.id: question for question in response.questionnaire.questions}
    existing = {answer.question_id: answer for answer in response.answers}
    cleaned: dict[int, AnswerValue] = {}
    for question_id, value in values.items():
        question = questions.get(question_id)
        if question is None:
            raise EvaluationError("unknown_question")
        cleaned[question_id] = check_value(question, value)
    for question_id, value in cleaned.items():
        answer = existing.get(question_id)
        if value.empty:
            if answer is not None:
                response.answers.remove(answer)
            continue
        if answer is None:
            answer = EvaluationAnswer(question_id=question_id)
            response.answers.append(answer)
        answer.score, answer.yes_no, answer.text = value.score, value.yes_no, value.text
        answer.choices = list(value.choices)
    response.respondent = respondent
    if step is not None:
        response.current_step = step
    if share_with_employer is not None and response.side == Side.WORKER:
        response.share_with_employer = share_with_employer
    response.updated_at = utcnow()


def missing_required(response: EvaluationResponse) -> list[Question]:
    """Required questions without an answer, in questionnaire order."""
    values = {answer.question_id: AnswerValue.of(answer) for answer in response.answers}
    return [
        question
        for question in response.questionnaire.questions
        if question.required and not answered(question, values.get(question.id))
    ]


def submit(response: EvaluationResponse, respondent: User, now: datetime | None = None) -> None:
    """Close the draft. From here on the response is read-only."""
    if response.status != ResponseStatus.DRAFT:
        raise EvaluationError("already_submitted")
    missing = missing_required(response)
    if missing:
        raise EvaluationError("incomplete", questions=[question.key for question in missing])
    response.status = ResponseStatus.SUBMITTED
    response.respondent = respondent
    response.submitted_at = now or utcnow()


def start_correction(
    session: Session, moment: EvaluationMoment, side: Side, respondent: User, reason: str
) -> EvaluationResponse:
    """A new version of a submitted side, prefilled with its answers; the old one stays."""
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError("reason_required")
    if draft_of(session, moment.id, side) is not None:
        raise EvaluationError("draft_exists")
    previous = latest_submitted(session, moment.id, side)
    if previous is None:
        raise EvaluationError("nothing_to_correct")
    correction = EvaluationResponse(
        moment=moment,
        side=side,
        version=previous.version + 1,
        questionnaire=previous.questionnaire,
        respondent=respondent,
        share_with_employer=previous.share_with_employer,
        correction_reason=reason[:MAX_TEXT],
        answers=[
            EvaluationAnswer(
                question_id=answer.question_id,
                score=answer.score,
                yes_no=answer.yes_no,
                choices=list(answer.choices or ()),
                text=answer.text,
            )
            for answer in previous.answers
        ],
    )
    session.add(correction)
    session.flush()
    return correction


def record_follow_up(
    session: Session,
    moment: EvaluationMoment,
    *,
    held_on: date,
    summary: str,
    adjustments: Iterable[str],
    by: User,
    today: date,
) -> EvaluationFollowUp:
    """The contact person discussed the views; the moment is done and its signals handled."""
    summary = (summary or "").strip()
    if not summary:
        raise EvaluationError("summary_required")
    if held_on > today:
        raise EvaluationError("date_in_future")
    follow_up = EvaluationFollowUp(
        moment=moment,
        held_on=held_on,
        summary=summary[:MAX_TEXT],
        adjustments=sorted(set(adjustments)),
        recorded_by=by,
    )
    session.add(follow_up)
    moment.status = MomentStatus.DONE
    moment.done_on = held_on
    session.flush()
    return follow_up


# Comparison and signals -------------------------------------------------------------------


@dataclass(frozen=True)
class Compared:
    key: str
    worker: AnswerValue | None
    supervisor: AnswerValue | None
    difference: int | None  # absolute, when both gave a score

    @property
    def big(self) -> bool:
        return self.difference is not None and self.difference >= BIG_DIFFERENCE


def compare(
    order: Sequence[str],
    worker: Mapping[str, AnswerValue],
    supervisor: Mapping[str, AnswerValue],
) -> list[Compared]:
    """Per question both answers; big differences first (largest first), then the rest in
    questionnaire order."""
    rows = []
    for key in order:
        mine, theirs = worker.get(key), supervisor.get(key)
        difference = None
        if mine and theirs and mine.score is not None and theirs.score is not None:
            difference = abs(mine.score - theirs.score)
        rows.append(Compared(key, mine, theirs, difference))
    position = {key: index for index, key in enumerate(order)}
    return sorted(
        rows,
        key=lambda row: (not row.big, -(row.difference or 0) if row.big else 0, position[row.key]),
    )


@dataclass(frozen=True)
class Signal:
    code: str  # "wants_to_talk", "low_energy" or "evaluation_gap"
    sides: tuple[Side, ...] = ()
    keys: tuple[str, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.keys)


SIGNAL_ORDER = ("wants_to_talk", "low_energy", "evaluation_gap")


def signals(
    questions: Iterable[Question],
    worker: Mapping[str, AnswerValue],
    supervisor: Mapping[str, AnswerValue],
) -> list[Signal]:
    """The risk signals in one moment's answers (either side may be empty)."""
    questions = list(questions)
    found: list[Signal] = []
    talk_sides, energy_sides, energy_keys = [], [], []
    for side, values in ((Side.WORKER, worker), (Side.SUPERVISOR, supervisor)):
        for question in questions:
            value = values.get(question.key)
            if value is None:
                continue
            if question.signal == QuestionSignal.TALK and value.yes_no:
                talk_sides.append(side)
            if (
                question.signal == QuestionSignal.ENERGY
                and value.score is not None
                and value.score <= LOW_SCORE
            ):
                energy_sides.append(side)
                energy_keys.append(question.key)
    if talk_sides:
        found.append(Signal("wants_to_talk", tuple(dict.fromkeys(talk_sides))))
    if energy_sides:
        found.append(
            Signal(
                "low_energy",
                tuple(dict.fromkeys(energy_sides)),
                tuple(dict.fromkeys(energy_keys)),
            )
        )
    gaps = [row.key for row in compare([q.key for q in questions], worker, supervisor) if row.big]
    if gaps:
        found.append(Signal("evaluation_gap", (Side.WORKER, Side.SUPERVISOR), tuple(gaps)))
    return found


def moment_signals(session: Session, moment: EvaluationMoment) -> list[Signal]:
    """Signals of the latest submitted versions of both sides of one moment."""
    worker = latest_submitted(session, moment.id, Side.WORKER)
    supervisor = latest_submitted(session, moment.id, Side.SUPERVISOR)
    return signals(
        questions_of(worker, supervisor), values_by_key(worker), values_by_key(supervisor)
    )


def questions_of(*responses: EvaluationResponse | None) -> list[Question]:
    """The questions of the newest questionnaire among the responses, plus any other keys."""
    by_key: dict[str, Question] = {}
    for response in sorted(
        (r for r in responses if r is not None),
        key=lambda r: r.questionnaire.version,
        reverse=True,
    ):
        for question in response.questionnaire.questions:
            by_key.setdefault(question.key, question)
    return list(by_key.values())


@dataclass(frozen=True)
class EvaluationFacts:
    """What the caseload needs to know about the evaluations of many placements."""

    signals: dict[int, list[Signal]]  # per placement id, the open signals
    answered: set[int]  # ids of moments where both sides submitted


def evaluation_facts(session: Session, placement_ids: Iterable[int]) -> EvaluationFacts:
    """Open signals per placement and the moments answered by both sides, in three queries.

    A moment's signals are open while no follow-up was recorded after its latest submission.
    Only answered questions can raise a signal, so the questions come with the answers.
    """
    placement_ids = list(placement_ids)
    if not placement_ids:
        return EvaluationFacts({}, set())
    responses = session.scalars(
        select(EvaluationResponse)
        .join(EvaluationResponse.moment)
        .where(
            EvaluationMoment.placement_id.in_(placement_ids),
            EvaluationResponse.status == ResponseStatus.SUBMITTED,
        )
        .options(
            contains_eager(EvaluationResponse.moment),
            selectinload(EvaluationResponse.answers).joinedload(EvaluationAnswer.question),
        )
        .order_by(EvaluationResponse.version)
    ).all()
    handled = dict(
        session.execute(
            select(EvaluationFollowUp.moment_id, func.max(EvaluationFollowUp.recorded_at))
            .join(EvaluationFollowUp.moment)
            .where(EvaluationMoment.placement_id.in_(placement_ids))
            .group_by(EvaluationFollowUp.moment_id)
        ).all()
    )
    latest: dict[tuple[int, Side], EvaluationResponse] = {}
    for response in responses:  # ordered by version: the newest wins
        latest[(response.moment_id, response.side)] = response
    moments = {response.moment for response in latest.values()}
    side_pairs = {
        moment.id: [latest.get((moment.id, side)) for side in (Side.WORKER, Side.SUPERVISOR)]
        for moment in moments
    }
    result: dict[int, list[Signal]] = {}
    for moment in sorted(moments, key=lambda m: m.due):
        pair = side_pairs[moment.id]
        newest = max(_aware(r.submitted_at) for r in pair if r is not None)
        followed = handled.get(moment.id)
        if followed is not None and _aware(followed) >= newest:
            continue
        found = signals(_answered_questions(pair), _values(pair[0]), _values(pair[1]))
        if found:
            result.setdefault(moment.placement_id, []).extend(found)
    return EvaluationFacts(
        {pid: _summarise(found) for pid, found in result.items()},
        {moment.id for moment in moments if all(side_pairs[moment.id])},
    )


def _answered_questions(pair: Sequence[EvaluationResponse | None]) -> list[Question]:
    """The questions answered on either side, one per key."""
    by_key: dict[str, Question] = {}
    for response in pair:
        if response is not None:
            for answer in response.answers:
                by_key.setdefault(answer.question.key, answer.question)
    return list(by_key.values())


def _values(response: EvaluationResponse | None) -> dict[str, AnswerValue]:
    return values_by_key(response)


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive timestamps; compare everything as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _summarise(found: list[Signal]) -> list[Signal]:
    """One signal per code over all open moments of a placement, most serious first."""
    merged: dict[str, Signal] = {}
    for signal in found:
        old = merged.get(signal.code)
        if old is None:
            merged[signal.code] = signal
        else:
            merged[signal.code] = Signal(
                signal.code,
                tuple(dict.fromkeys(old.sides + signal.sides)),
                tuple(dict.fromkeys(old.keys + signal.keys)),
            )
    return [merged[code] for code in SIGNAL_ORDER if code in merged]


# Immutability -----------------------------------------------------------------------------


def _was_submitted(response: EvaluationResponse) -> bool:
    """The status as it is in the database (before this flush)."""
    state = inspect(response)
    if state.pending or state.transient:
        return False
    history = state.attrs.status.load_history()
    before = [*(history.unchanged or ()), *(history.deleted or ())]
    return ResponseStatus.SUBMITTED in before


def _locked(obj: object) -> bool:
    """A response that was submitted before this flush, or an answer that belongs to one."""
    if isinstance(obj, EvaluationResponse):
        return _was_submitted(obj)
    if isinstance(obj, EvaluationAnswer):
        return obj.response is not None and _was_submitted(obj.response)
    return False


def _guard_submitted(session: Session, _context, _instances) -> None:
    for obj in session.deleted:
        if _locked(obj):
            raise ImmutableResponseError(f"{obj!r} belongs to a submitted evaluation")
    for obj in session.dirty:
        if _locked(obj) and session.is_modified(obj, include_collections=False):
            raise ImmutableResponseError(f"{obj!r} belongs to a submitted evaluation")
    for obj in session.new:
        if isinstance(obj, EvaluationAnswer) and _locked(obj):
            raise ImmutableResponseError("new answer for a submitted evaluation")


def install_guards() -> None:
    """Refuse any flush that changes a submitted response (idempotent)."""
    if not event.contains(Session, "before_flush", _guard_submitted):
        event.listen(Session, "before_flush", _guard_submitted)


install_guards()


# Trend over the moments of a placement ----------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    moment: EvaluationMoment
    worker_average: float | None
    supervisor_average: float | None
    scores: dict[str, tuple[int | None, int | None]]  # question key -> (worker, supervisor)


def _average(scores: Iterable[int | None]) -> float | None:
    known = [score for score in scores if score is not None]
    return round(sum(known) / len(known), 1) if known else None


def trend(session: Session, placement_id: int) -> list[TrendPoint]:
    """Per moment with at least one submitted side, the average 1-5 score of each side and the
    scores per question, oldest moment first (the latest version of each side counts)."""
    responses = session.scalars(
        select(EvaluationResponse)
        .join(EvaluationResponse.moment)
        .where(
            EvaluationMoment.placement_id == placement_id,
            EvaluationResponse.status == ResponseStatus.SUBMITTED,
        )
        .options(selectinload(EvaluationResponse.answers).joinedload(EvaluationAnswer.question))
        .order_by(EvaluationResponse.version)
    ).all()
    latest: dict[tuple[int, Side], EvaluationResponse] = {}
    for response in responses:
        latest[(response.moment_id, response.side)] = response
    points = []
    for moment in sorted({r.moment for r in latest.values()}, key=lambda m: m.due):
        sides = [
            {
                answer.question.key: answer.score
                for answer in (
                    latest.get((moment.id, side)).answers if (moment.id, side) in latest else []
                )
                if answer.question.kind == QuestionKind.SCALE
            }
            for side in (Side.WORKER, Side.SUPERVISOR)
        ]
        keys = list(dict.fromkeys([*sides[0], *sides[1]]))
        points.append(
            TrendPoint(
                moment,
                _average(sides[0].values()) if (moment.id, Side.WORKER) in latest else None,
                _average(sides[1].values()) if (moment.id, Side.SUPERVISOR) in latest else None,
                {key: (sides[0].get(key), sides[1].get(key)) for key in keys},
            )
        )
    return points
