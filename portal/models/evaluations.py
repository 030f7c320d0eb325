"""Evaluations seen from two sides: the versioned questionnaire, and the responses to it.

Every evaluation moment of a placement gets one response from the worker and one from the
supervisor. A response is a draft until it is submitted; after that it never changes. A correction
is a new version of the same side, so the history stays.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import TIMESTAMP, enum_column, utcnow
from portal.models.placements import EvaluationMoment
from portal.models.users import User


class QuestionnaireStatus(enum.StrEnum):
    DRAFT = "draft"  # being edited by the administrator; nobody fills it in
    ACTIVE = "active"  # new responses use this version (exactly one)
    RETIRED = "retired"  # replaced; responses that used it keep it


class QuestionKind(enum.StrEnum):
    SCALE = "scale"  # 1-5 with an optional comment
    TEXT = "text"
    CHOICES = "choices"  # tick any of the options
    YES_NO = "yes_no"


class QuestionSignal(enum.StrEnum):
    """What an answer to this question tells the contact person."""

    NONE = "none"
    ENERGY = "energy"  # a low score is a risk signal
    TALK = "talk"  # "yes" means: call me


class Questionnaire(db.Model):
    __tablename__ = "questionnaire"
    __table_args__ = (
        Index(
            "uq_questionnaire_one_active",
            "status",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[QuestionnaireStatus] = mapped_column(
        enum_column(QuestionnaireStatus, "questionnaire_status"),
        default=QuestionnaireStatus.DRAFT,
    )
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    created_by: Mapped[User | None] = relationship()
    sections: Mapped[list[QuestionnaireSection]] = relationship(
        back_populates="questionnaire",
        order_by="QuestionnaireSection.position",
        cascade="all, delete-orphan",
    )

    @property
    def questions(self) -> list[Question]:
        return [question for section in self.sections for question in section.questions]


class QuestionnaireSection(db.Model):
    """A theme; the worker's form shows one section per screen."""

    __tablename__ = "questionnaire_section"
    __table_args__ = (UniqueConstraint("questionnaire_id", "key", name="one_section_per_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    worker_title_nl: Mapped[str] = mapped_column(String(200))
    worker_title_en: Mapped[str] = mapped_column(String(200))
    employer_title_nl: Mapped[str] = mapped_column(String(200))
    employer_title_en: Mapped[str] = mapped_column(String(200))
    worker_intro_nl: Mapped[str | None] = mapped_column(Text)
    worker_intro_en: Mapped[str | None] = mapped_column(Text)
    employer_intro_nl: Mapped[str | None] = mapped_column(Text)
    employer_intro_en: Mapped[str | None] = mapped_column(Text)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    """One question in four wordings. `key` is stable across versions, so answers given on
    different versions can still be compared and followed over time."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("section_id", "key", name="one_question_per_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_section.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    signal: Mapped[QuestionSignal] = mapped_column(
        enum_column(QuestionSignal, "question_signal"), default=QuestionSignal.NONE
    )
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    worker_nl: Mapped[str] = mapped_column(String(300))
    worker_en: Mapped[str] = mapped_column(String(300))
    employer_nl: Mapped[str] = mapped_column(String(300))
    employer_en: Mapped[str] = mapped_column(String(300))
    # For CHOICES: [{"code": ..., "worker_nl": ..., "worker_en": ..., "employer_nl": ...,
    # "employer_en": ...}, ...]
    options: Mapped[list[dict]] = mapped_column(JSON, default=list)

    section: Mapped[QuestionnaireSection] = relationship(back_populates="questions")


class Side(enum.StrEnum):
    WORKER = "worker"
    SUPERVISOR = "supervisor"


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class EvaluationResponse(db.Model):
    """One side's answers for one evaluation moment, in one version."""

    __tablename__ = "evaluation_response"
    __table_args__ = (
        UniqueConstraint("moment_id", "side", "version", name="one_response_per_version"),
        Index(
            "uq_evaluation_response_one_draft",
            "moment_id",
            "side",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    moment_id: Mapped[int] = mapped_column(ForeignKey("evaluation_moment.id"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "evaluation_side"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[ResponseStatus] = mapped_column(
        enum_column(ResponseStatus, "response_status"), default=ResponseStatus.DRAFT
    )
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"))
    respondent_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    share_with_employer: Mapped[bool] = mapped_column(Boolean, default=False)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    current_step: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    moment: Mapped[EvaluationMoment] = relationship()
    questionnaire: Mapped[Questionnaire] = relationship()
    respondent: Mapped[User] = relationship()
    answers: Mapped[list[EvaluationAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )

    @property
    def submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class EvaluationAnswer(db.Model):
    __tablename__ = "evaluation_answer"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", name="one_answer_per_question"),
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("evaluation_response.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    score: Mapped[int | None] = mapped_column(Integer)
    yes_no: Mapped[bool | None] = mapped_column(Boolean)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[EvaluationResponse] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class EvaluationFollowUp(db.Model):
    """The contact person's record of the conversation about the two views, and what changes.

    Recording it marks the moment as done; signals of responses submitted before it are handled.
    """

    __tablename__ = "evaluation_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    moment_id: Mapped[int] = mapped_column(ForeignKey("evaluation_moment.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    adjustments: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    moment: Mapped[EvaluationMoment] = relationship()
    recorded_by: Mapped[User] = relationship()
