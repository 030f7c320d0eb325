"""The evaluation questionnaire as versioned reference data.

Exactly one version is active: new responses use it. The administrator changes the questionnaire
by making a draft (a copy of the active version), editing it and publishing it; the old version is
retired, and responses that used it keep pointing at it, so nothing already answered changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import (
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


class QuestionnaireError(ValueError):
    """A change that is not allowed; `code` names the rule for the message in the user's language."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


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


def publish(session: Session, questionnaire: Questionnaire) -> None:
    """Make the draft the active version and retire the one before it."""
    ensure_editable(questionnaire)
    found = problems(questionnaire)
    if found:
        raise found[0]
    previous = active_questionnaire(session)
    if previous is not None:
        previous.status = QuestionnaireStatus.RETIRED
        session.flush()  # one active version at a time, also inside this transaction
    questionnaire.status = QuestionnaireStatus.ACTIVE
    questionnaire.published_at = utcnow()
    session.flush()
