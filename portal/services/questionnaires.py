"""The evaluation questionnaire as versioned reference data.

Exactly one version is active: new responses use it. The administrator changes the questionnaire
by making a draft (a copy of the active version), editing it and publishing it; the old version is
retired, and responses that used it keep pointing at it, so nothing already answered changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from portal.models import (
    EvaluationAnswer,
    EvaluationResponse,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireSection,
    QuestionnaireStatus,
    QuestionSignal,
    User,
)
from portal.models._types import utcnow

SECTION_TEXTS = (
    "worker_title_nl",
    "worker_title_en",
    "employer_title_nl",
    "employer_title_en",
    "worker_intro_nl",
    "worker_intro_en",
    "employer_intro_nl",
    "employer_intro_en",
)
QUESTION_TEXTS = ("worker_nl", "worker_en", "employer_nl", "employer_en")
REQUIRED_SECTION_TEXTS = SECTION_TEXTS[:4]
OPTION_TEXTS = QUESTION_TEXTS
# Lengths of the columns (options are JSON; they get the length of a question text).
SECTION_TITLE_MAX = 200
QUESTION_TEXT_MAX = 300
OPTION_TEXT_MAX = 300
NOTE_MAX = 500
KEY_MAX = 40
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# Employer wordings may name the worker with {name}; worker wordings speak to the worker ("je").
NAME_PLACEHOLDER = "{name}"
_BRACES = re.compile(r"\{[^{}]*\}|[{}]")
# The signal decides how an answer is read, so it only fits one kind of question.
SIGNAL_KINDS = {QuestionSignal.ENERGY: QuestionKind.SCALE, QuestionSignal.TALK: QuestionKind.YES_NO}


class QuestionnaireError(ValueError):
    """A change that is not allowed; `code` names the rule, the message is the screen's job."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params
        # All problems found in one go (this one first), so a form can show them together.
        self.errors: list[QuestionnaireError] = [self]


def _fail(found: list[QuestionnaireError]) -> None:
    """Raise the first problem, carrying all of them."""
    if found:
        found[0].errors = list(found)
        raise found[0]


def active_questionnaire(session: Session) -> Questionnaire | None:
    return session.scalar(
        select(Questionnaire).where(Questionnaire.status == QuestionnaireStatus.ACTIVE)
    )


def draft_questionnaire(session: Session) -> Questionnaire | None:
    return session.scalar(
        select(Questionnaire).where(Questionnaire.status == QuestionnaireStatus.DRAFT)
    )


def seed_questionnaire(session: Session, sections: Iterable | None = None) -> Questionnaire:
    """Version 1 from `portal.questionnaire_seed`, unless a questionnaire exists already."""
    existing = session.scalar(select(Questionnaire).order_by(Questionnaire.version.desc()))
    if existing is not None:
        return existing
    if sections is None:
        from portal.questionnaire_seed import QUESTIONNAIRE as sections
    questionnaire = Questionnaire(
        version=1,
        status=QuestionnaireStatus.ACTIVE,
        note="Eerste versie (IOP-formulier)",
        published_at=utcnow(),
    )
    for position, seed in enumerate(sections):
        section = QuestionnaireSection(
            key=seed.key,
            position=position,
            **{name: getattr(seed, name) or None for name in SECTION_TEXTS},
        )
        for order, question in enumerate(seed.questions):
            section.questions.append(
                Question(
                    key=question.key,
                    position=order,
                    kind=QuestionKind(question.kind),
                    signal=QuestionSignal(question.signal),
                    required=question.required,
                    options=[option._asdict() for option in question.options],
                    **{name: getattr(question, name) for name in QUESTION_TEXTS},
                )
            )
        questionnaire.sections.append(section)
    session.add(questionnaire)
    session.flush()
    return questionnaire


def new_draft(session: Session, by: User) -> Questionnaire:
    """The draft to edit: the existing one, or a fresh copy of the active version."""
    draft = draft_questionnaire(session)
    if draft is not None:
        return draft
    source = active_questionnaire(session)
    if source is None:
        raise QuestionnaireError("no_active_version")
    version = (session.scalar(select(func.max(Questionnaire.version))) or 0) + 1
    draft = Questionnaire(version=version, status=QuestionnaireStatus.DRAFT, created_by=by)
    for old in source.sections:
        section = QuestionnaireSection(
            key=old.key,
            position=old.position,
            **{name: getattr(old, name) for name in SECTION_TEXTS},
        )
        for question in old.questions:
            section.questions.append(
                Question(
                    key=question.key,
                    position=question.position,
                    kind=question.kind,
                    signal=question.signal,
                    required=question.required,
                    options=[dict(option) for option in question.options or []],
                    **{name: getattr(question, name) for name in QUESTION_TEXTS},
                )
            )
        draft.sections.append(section)
    session.add(draft)
    session.flush()
    return draft


def ensure_editable(questionnaire: Questionnaire) -> None:
    """Only a draft changes; a published version is what people answered."""
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise QuestionnaireError("not_a_draft")


def problems(questionnaire: Questionnaire) -> list[QuestionnaireError]:
    """Everything that stops a draft from being published (empty means it can be)."""
    found: list[QuestionnaireError] = []
    if not questionnaire.sections:
        found.append(QuestionnaireError("no_sections"))
    keys: set[str] = set()
    for section in questionnaire.sections:
        if any(not (getattr(section, name) or "").strip() for name in REQUIRED_SECTION_TEXTS):
            found.append(QuestionnaireError("section_text_missing", section=section.key))
        if not section.questions:
            found.append(QuestionnaireError("section_empty", section=section.key))
        for question in section.questions:
            if question.key in keys:
                found.append(QuestionnaireError("duplicate_key", question=question.key))
            keys.add(question.key)
            if any(not (getattr(question, name) or "").strip() for name in QUESTION_TEXTS):
                found.append(QuestionnaireError("question_text_missing", question=question.key))
            if question.kind == QuestionKind.CHOICES and not question.options:
                found.append(QuestionnaireError("choices_without_options", question=question.key))
    if not any(question.signal == QuestionSignal.TALK for question in questionnaire.questions):
        found.append(QuestionnaireError("no_talk_question"))
    return found


def publish(session: Session, questionnaire: Questionnaire, note: str | None = None) -> None:
    """Make the draft the active version and retire the one before it.

    `note` says what changed (kept with the version); None leaves the draft's note as it is.
    """
    ensure_editable(questionnaire)
    if note is not None and len(note.strip()) > NOTE_MAX:
        raise QuestionnaireError("note_too_long", limit=NOTE_MAX)
    found = problems(questionnaire)
    if found:
        _fail(found)
    if note is not None:
        questionnaire.note = note.strip() or None
    previous = active_questionnaire(session)
    if previous is not None:
        previous.status = QuestionnaireStatus.RETIRED
        session.flush()  # one active version at a time, also inside this transaction
    questionnaire.status = QuestionnaireStatus.ACTIVE
    questionnaire.published_at = utcnow()
    session.flush()


# --- Reading --------------------------------------------------------------------------------


def all_versions(session: Session) -> list[Questionnaire]:
    """Every version, newest first."""
    return list(session.scalars(select(Questionnaire).order_by(Questionnaire.version.desc())))


def earlier_question(session: Session, key: str) -> Question | None:
    """The question with this key in the newest published (active or retired) version."""
    return session.scalar(
        select(Question)
        .join(QuestionnaireSection, Question.section_id == QuestionnaireSection.id)
        .join(Questionnaire, QuestionnaireSection.questionnaire_id == Questionnaire.id)
        .where(Question.key == key, Questionnaire.status != QuestionnaireStatus.DRAFT)
        .order_by(Questionnaire.version.desc())
        .limit(1)
    )


# --- Checks on what the administrator typed --------------------------------------------------


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _placeholder_ok(name: str, value: str) -> bool:
    """Employer wordings may use {name}; nothing else may be between braces."""
    allowed = {NAME_PLACEHOLDER} if name.startswith("employer_") else set()
    return all(found in allowed for found in _BRACES.findall(value))


def check_texts(
    texts: Mapping[str, str | None],
    *,
    required: Iterable[str],
    limits: Mapping[str, int],
    **params,
) -> list[QuestionnaireError]:
    """Problems with wordings: missing, too long, or a placeholder other than {name}."""
    found: list[QuestionnaireError] = []
    required = set(required)
    for name, raw in texts.items():
        value = _clean(raw)
        if not value:
            if name in required:
                found.append(QuestionnaireError("text_missing", field=name, **params))
            continue
        limit = limits.get(name)
        if limit is not None and len(value) > limit:
            found.append(QuestionnaireError("text_too_long", field=name, limit=limit, **params))
        if not _placeholder_ok(name, value):
            found.append(QuestionnaireError("bad_placeholder", field=name, **params))
    return found


def check_options(options: Iterable[Mapping[str, str | None]]) -> list[QuestionnaireError]:
    """Problems with the options of a choices question; `index` counts from 0."""
    found: list[QuestionnaireError] = []
    seen: set[str] = set()
    for index, option in enumerate(options):
        code = _clean(option.get("code"))
        if not KEY_PATTERN.match(code) or len(code) > KEY_MAX:
            found.append(QuestionnaireError("option_bad_code", index=index, option=code))
        elif code in seen:
            found.append(QuestionnaireError("option_duplicate_code", index=index, option=code))
        seen.add(code)
        texts = {name: option.get(name) for name in OPTION_TEXTS}
        found.extend(
            check_texts(
                texts,
                required=OPTION_TEXTS,
                limits=dict.fromkeys(OPTION_TEXTS, OPTION_TEXT_MAX),
                index=index,
            )
        )
    return found


def _clean_options(options: Iterable[Mapping[str, str | None]]) -> list[dict]:
    return [
        {"code": _clean(option.get("code")), **{n: _clean(option.get(n)) for n in OPTION_TEXTS}}
        for option in options
    ]


def check_new_key(session: Session, draft: Questionnaire, key: str) -> list[QuestionnaireError]:
    """A new question's key: snake_case, at most 40 characters, not used in this draft."""
    if not key:
        return [QuestionnaireError("key_missing")]
    if len(key) > KEY_MAX:
        return [QuestionnaireError("key_too_long", key=key, limit=KEY_MAX)]
    if not KEY_PATTERN.match(key):
        return [QuestionnaireError("bad_key", key=key)]
    if any(question.key == key for question in draft.questions):
        return [QuestionnaireError("key_in_use", key=key)]
    return []


def _talk_question(questionnaire: Questionnaire) -> Question | None:
    return next(
        (q for q in questionnaire.questions if q.signal == QuestionSignal.TALK),
        None,
    )


# --- Changing a draft ------------------------------------------------------------------------


def update_section(session: Session, section: QuestionnaireSection, **texts: str | None) -> None:
    """Change the wordings of a section (titles and intros); only the names given change."""
    ensure_editable(section.questionnaire)
    unknown = set(texts) - set(SECTION_TEXTS)
    if unknown:
        raise TypeError(f"not a section text: {', '.join(sorted(unknown))}")
    _fail(
        check_texts(
            texts,
            required=REQUIRED_SECTION_TEXTS,
            limits=dict.fromkeys(REQUIRED_SECTION_TEXTS, SECTION_TITLE_MAX),
        )
    )
    for name, value in texts.items():
        # Titles are never empty (checked above); an empty intro is stored as "none".
        setattr(
            section,
            name,
            _clean(value) if name in REQUIRED_SECTION_TEXTS else _clean(value) or None,
        )
    session.flush()


def update_question(
    session: Session,
    question: Question,
    *,
    required: bool | None = None,
    options: list[Mapping[str, str | None]] | None = None,
    **texts: str | None,
) -> None:
    """Change the wordings, `required` and (for choices) the options of a question in a draft.

    The key, kind and signal never change: answers on different versions are compared by them.
    """
    ensure_editable(question.section.questionnaire)
    unknown = set(texts) - set(QUESTION_TEXTS)
    if unknown:
        raise TypeError(f"not a question text: {', '.join(sorted(unknown))}")
    found = check_texts(
        texts, required=QUESTION_TEXTS, limits=dict.fromkeys(QUESTION_TEXTS, QUESTION_TEXT_MAX)
    )
    if options is not None:
        found.extend(_option_problems(question.kind, options))
    _fail(found)
    for name, value in texts.items():
        setattr(question, name, _clean(value))
    if required is not None:
        question.required = required
    if options is not None:
        question.options = _clean_options(options)  # a new list, so the JSON change is seen
    session.flush()


def _option_problems(
    kind: QuestionKind, options: list[Mapping[str, str | None]]
) -> list[QuestionnaireError]:
    if kind != QuestionKind.CHOICES:
        return [QuestionnaireError("options_not_allowed")] if options else []
    if not options:
        return [QuestionnaireError("options_missing")]
    return check_options(options)


def set_options(
    session: Session, question: Question, options: list[Mapping[str, str | None]]
) -> None:
    """Replace the options of a choices question (add, change, remove or reorder them)."""
    update_question(session, question, options=options)


def add_option(session: Session, question: Question, option: Mapping[str, str | None]) -> None:
    update_question(session, question, options=[*question.options, option])


def remove_option(session: Session, question: Question, code: str) -> None:
    if not any(option["code"] == code for option in question.options):
        raise QuestionnaireError("option_unknown", option=code)
    kept = [option for option in question.options if option["code"] != code]
    update_question(session, question, options=kept)


def add_question(
    session: Session,
    section: QuestionnaireSection,
    *,
    key: str,
    kind: QuestionKind | str,
    signal: QuestionSignal | str = QuestionSignal.NONE,
    required: bool = True,
    options: list[Mapping[str, str | None]] | None = None,
    **texts: str | None,
) -> Question:
    """A new question at the end of a section of the draft.

    A key that an earlier version used keeps its meaning: it must come back with the same kind
    and signal, so its answers can still be compared with the ones given before.
    """
    draft = section.questionnaire
    ensure_editable(draft)
    unknown = set(texts) - set(QUESTION_TEXTS)
    if unknown:
        raise TypeError(f"not a question text: {', '.join(sorted(unknown))}")
    key = _clean(key)
    found = check_new_key(session, draft, key)
    try:
        kind = QuestionKind(kind)
    except ValueError:
        found.append(QuestionnaireError("unknown_kind"))
        kind = None
    try:
        signal = QuestionSignal(signal or QuestionSignal.NONE)
    except ValueError:
        found.append(QuestionnaireError("unknown_signal"))
        signal = None
    if kind is not None and signal is not None:
        needed = SIGNAL_KINDS.get(signal)
        if needed is not None and kind != needed:
            found.append(QuestionnaireError("signal_kind_mismatch", signal=signal, kind=needed))
        if signal == QuestionSignal.TALK and _talk_question(draft) is not None:
            found.append(QuestionnaireError("talk_question_exists"))
        if not found:
            before = earlier_question(session, key)
            if before is not None and before.kind != kind:
                found.append(QuestionnaireError("key_kind_conflict", key=key, kind=before.kind))
            elif before is not None and before.signal != signal:
                found.append(
                    QuestionnaireError("key_signal_conflict", key=key, signal=before.signal)
                )
    all_texts = {name: texts.get(name) for name in QUESTION_TEXTS}
    found.extend(
        check_texts(
            all_texts,
            required=QUESTION_TEXTS,
            limits=dict.fromkeys(QUESTION_TEXTS, QUESTION_TEXT_MAX),
        )
    )
    if kind is not None:
        found.extend(_option_problems(kind, options or []))
    _fail(found)
    position = max((question.position for question in section.questions), default=-1) + 1
    question = Question(
        key=key,
        position=position,
        kind=kind,
        signal=signal,
        required=required,
        options=_clean_options(options or []),
        **{name: _clean(value) for name, value in all_texts.items()},
    )
    section.questions.append(question)
    session.flush()
    return question


def remove_question(session: Session, question: Question) -> None:
    """Take a question out of the draft; earlier versions keep theirs."""
    section = question.section
    ensure_editable(section.questionnaire)
    if question.signal == QuestionSignal.TALK:
        raise QuestionnaireError("talk_question_required")
    if question.id is not None and session.scalar(
        select(exists().where(EvaluationAnswer.question_id == question.id))
    ):
        raise QuestionnaireError("question_has_answers")  # a draft has none; a safeguard
    section.questions.remove(question)  # delete-orphan removes the row
    for position, remaining in enumerate(section.questions):
        remaining.position = position
    session.flush()


def move_question(session: Session, question: Question, offset: int) -> None:
    """Move a question one place up (-1) or down (+1) within its section."""
    if offset not in (-1, 1):
        raise ValueError("offset must be -1 or 1")
    section = question.section
    ensure_editable(section.questionnaire)
    ordered = list(section.questions)
    index = ordered.index(question)
    target = index + offset
    if not 0 <= target < len(ordered):
        raise QuestionnaireError("cannot_move")
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    session.flush()
    session.expire(section, ["questions"])  # loaded again in the new order when next read


def discard_draft(session: Session, questionnaire: Questionnaire) -> None:
    """Throw the draft away; the active version stays as it is."""
    ensure_editable(questionnaire)
    if session.scalar(
        select(exists().where(EvaluationResponse.questionnaire_id == questionnaire.id))
    ):
        raise QuestionnaireError("draft_in_use")  # nobody fills in a draft; a safeguard
    session.delete(questionnaire)
    session.flush()
