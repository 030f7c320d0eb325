"""Words around the questionnaire: scale labels, signals, errors, in the user's language.

The questions themselves are reference data with a Dutch and an English wording per side.
"""

from __future__ import annotations

from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l

from portal.blueprints.placements.wording import MOMENT_KINDS
from portal.models import EvaluationMoment, Question, QuestionnaireSection, Side, User
from portal.services.evaluations import EvaluationError, Signal

# Plain language for the worker; the supervisor gets the usual agreement scale.
SCALE_LABELS = {
    Side.WORKER: {
        1: _l("Not true at all"),
        2: _l("Mostly not true"),
        3: _l("Partly true"),
        4: _l("Mostly true"),
        5: _l("Completely true"),
    },
    Side.SUPERVISOR: {
        1: _l("Strongly disagree"),
        2: _l("Disagree"),
        3: _l("Neither agree nor disagree"),
        4: _l("Agree"),
        5: _l("Strongly agree"),
    },
}

SIDE_NAMES = {Side.WORKER: _l("Worker"), Side.SUPERVISOR: _l("Supervisor")}
SIDE_SLUGS = {Side.WORKER: "werknemer", Side.SUPERVISOR: "werkgever"}

ADJUSTMENTS = [
    ("support", _l("Support or guidance")),
    ("tasks", _l("Tasks")),
    ("hours", _l("Hours")),
    ("jobcoaching", _l("Jobcoaching")),
    ("workplace", _l("Workplace or aids")),
    ("none", _l("Nothing needs to change")),
]

ERRORS = {
    "not_open": _l("This evaluation cannot be filled in yet."),
    "already_submitted": _l("These answers have already been sent. You can send a correction."),
    "score_out_of_range": _l("Choose one of the answers 1 to 5."),
    "unknown_choice": _l("Choose from the options shown."),
    "text_too_long": _l("This text is too long. Use at most 2000 characters."),
    "unknown_question": _l("This question is not part of the form."),
    "reason_required": _l("Write down why you correct your answers."),
    "draft_exists": _l("A correction has already been started. Continue with it."),
    "nothing_to_correct": _l("There is nothing to correct yet."),
    "summary_required": _l("Write down what was agreed."),
    "date_in_future": _l("The date cannot be in the future."),
    "incomplete": _l("Some questions have no answer yet."),
}


def error_message(error: EvaluationError) -> str:
    return str(ERRORS.get(error.code, _l("This is not possible.")))


def _language() -> str:
    return "en" if str(get_locale()) == "en" else "nl"


def _personal(text: str | None, worker: User) -> str:
    # A plain replace, not str.format: administrators may write braces in a question.
    return (text or "").replace("{name}", worker.first_name)


def question_text(question: Question, side: Side, worker: User) -> str:
    prefix = "worker" if side == Side.WORKER else "employer"
    return _personal(getattr(question, f"{prefix}_{_language()}"), worker)


def section_title(section: QuestionnaireSection, side: Side, worker: User) -> str:
    prefix = "worker" if side == Side.WORKER else "employer"
    return _personal(getattr(section, f"{prefix}_title_{_language()}"), worker)


def section_intro(section: QuestionnaireSection, side: Side, worker: User) -> str:
    prefix = "worker" if side == Side.WORKER else "employer"
    return _personal(getattr(section, f"{prefix}_intro_{_language()}"), worker)


def option_label(option: dict, side: Side) -> str:
    prefix = "worker" if side == Side.WORKER else "employer"
    return option.get(f"{prefix}_{_language()}") or option["code"]


def moment_label(moment: EvaluationMoment) -> str:
    return str(MOMENT_KINDS.get(moment.kind, moment.kind))


def signal_text(signal: Signal) -> str:
    if signal.code == "wants_to_talk":
        if signal.sides == (Side.SUPERVISOR,):
            return str(_l("The employer wants to talk to the contact person"))
        if signal.sides == (Side.WORKER,):
            return str(_l("The worker wants to talk to the contact person"))
        return str(_l("The worker and the employer want to talk to the contact person"))
    if signal.code == "low_energy":
        return str(_l("Low score on energy or rest"))
    return ngettext(
        "The views differ by 2 points or more on %(num)d question",
        "The views differ by 2 points or more on %(num)d questions",
        signal.count,
    )
