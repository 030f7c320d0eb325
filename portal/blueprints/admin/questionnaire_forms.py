"""Forms for the questionnaire screens.

The texts are checked by services.questionnaires (required, length, placeholders), not here, so
one round trip reports every problem of the form at once and the rules live in one place.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from portal.form_fields import PortalForm
from portal.models import QuestionKind, QuestionSignal
from portal.services.questionnaires import (
    KEY_MAX,
    NOTE_MAX,
    OPTION_TEXTS,
    QUESTION_TEXT_MAX,
    SECTION_TITLE_MAX,
)

OPTION_SEPARATOR = "|"

KIND_LABELS = {
    QuestionKind.SCALE: _l("Scale from 1 to 5"),
    QuestionKind.TEXT: _l("Open answer"),
    QuestionKind.CHOICES: _l("Choices (tick any)"),
    QuestionKind.YES_NO: _l("Yes or no"),
}
SIGNAL_LABELS = {
    QuestionSignal.NONE: _l("No signal"),
    QuestionSignal.ENERGY: _l("Energy: a low score is a risk signal"),
    QuestionSignal.TALK: _l("Talk: “yes” means the contact person should call"),
}


def _title(label):
    return StringField(label, render_kw={"maxlength": SECTION_TITLE_MAX})


def _intro(label):
    return TextAreaField(label)


def _question_text(label, description=None):
    return StringField(label, description=description, render_kw={"maxlength": QUESTION_TEXT_MAX})


NAME_HINT = _l("Use {name} where the worker's first name should appear.")


class SectionForm(PortalForm):
    worker_title_nl = _title(_l("Title for the worker, in Dutch"))
    worker_title_en = _title(_l("Title for the worker, in English"))
    worker_intro_nl = _intro(_l("Introduction for the worker, in Dutch"))
    worker_intro_en = _intro(_l("Introduction for the worker, in English"))
    employer_title_nl = _title(_l("Title for the employer, in Dutch"))
    employer_title_en = _title(_l("Title for the employer, in English"))
    employer_intro_nl = _intro(_l("Introduction for the employer, in Dutch"))
    employer_intro_en = _intro(_l("Introduction for the employer, in English"))
    submit = SubmitField(_l("Save"))


def _options():
    return TextAreaField(
        _l("Options"),
        description=_l(
            "One option per line: code | worker in Dutch | worker in English | "
            "employer in Dutch | employer in English. The code is lowercase letters, digits "
            "and underscores, for example: more_hours."
        ),
    )


class QuestionForm(PortalForm):
    """The parts of a question that may change in a draft."""

    worker_nl = _question_text(_l("Question for the worker, in Dutch"))
    worker_en = _question_text(_l("Question for the worker, in English"))
    employer_nl = _question_text(_l("Question for the employer, in Dutch"), NAME_HINT)
    employer_en = _question_text(_l("Question for the employer, in English"), NAME_HINT)
    required = BooleanField(_l("An answer is required"))
    options = _options()
    submit = SubmitField(_l("Save"))


class NewQuestionForm(PortalForm):
    """A new question; its fields in screen order, so the error summary follows the page."""

    key = StringField(
        _l("Key"),
        description=_l(
            "A short code that never changes, in lowercase letters, digits and underscores, "
            "for example: work_pace. Use a new key for a new question."
        ),
        render_kw={"maxlength": KEY_MAX, "autocomplete": "off", "spellcheck": "false"},
    )
    kind = SelectField(
        _l("Kind of answer"),
        choices=[(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired(message=_l("Choose a kind of answer."))],
    )
    signal = SelectField(
        _l("Signal for the contact person"),
        choices=[(signal.value, label) for signal, label in SIGNAL_LABELS.items()],
        default=QuestionSignal.NONE.value,
    )
    worker_nl = _question_text(_l("Question for the worker, in Dutch"))
    worker_en = _question_text(_l("Question for the worker, in English"))
    employer_nl = _question_text(_l("Question for the employer, in Dutch"), NAME_HINT)
    employer_en = _question_text(_l("Question for the employer, in English"), NAME_HINT)
    required = BooleanField(_l("An answer is required"), default=True)
    options = _options()
    submit = SubmitField(_l("Add question"))


class PublishForm(PortalForm):
    note = TextAreaField(
        _l("What changed in this version?"),
        description=_l("For example: question about travel time added."),
        render_kw={"maxlength": NOTE_MAX},
    )
    publish = SubmitField(_l("Publish this version"))  # not "submit": two forms on one page


class DiscardForm(PortalForm):
    confirm = BooleanField(
        _l("Yes, throw away all changes in this draft"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    discard = SubmitField(_l("Discard draft"))


def format_options(options: list[dict] | None) -> str:
    """The options as lines for the text area."""
    return "\n".join(
        f" {OPTION_SEPARATOR} ".join(
            [option.get("code", ""), *(option.get(n, "") for n in OPTION_TEXTS)]
        )
        for option in options or []
    )


def parse_options(text: str | None) -> tuple[list[dict], list[int], list[int]]:
    """Options from the text area: (options, the line number of each, lines with too few or too
    many parts). Empty lines are skipped."""
    options: list[dict] = []
    numbers: list[int] = []
    malformed: list[int] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(OPTION_SEPARATOR)]
        if len(parts) != 1 + len(OPTION_TEXTS):
            malformed.append(number)
            continue
        options.append(dict(zip(("code", *OPTION_TEXTS), parts, strict=True)))
        numbers.append(number)
    return options, numbers, malformed
