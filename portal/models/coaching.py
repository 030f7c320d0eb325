"""Jobcoaching: the hours and activities a jobcoach registers, periodic reports, refusals."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import TIMESTAMP, enum_column, utcnow
from portal.models.placements import Placement
from portal.models.users import User


class ActivityKind(enum.StrEnum):
    ON_THE_JOB = "on_the_job"  # coaching at the workplace
    TALK_WORKER = "talk_worker"
    TALK_SUPERVISOR = "talk_supervisor"
    THREE_WAY = "three_way"  # worker, supervisor and jobcoach together
    PHONE_OR_EMAIL = "phone_or_email"
    OTHER = "other"


class BuildDownAdvice(enum.StrEnum):
    INCREASE = "increase"
    SAME = "same"
    REDUCE = "reduce"
    STOP = "stop"


class CoachingActivity(db.Model):
    __tablename__ = "coaching_activity"
    __table_args__ = (CheckConstraint("hours > 0 AND hours <= 24", name="hours_in_a_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    jobcoach_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    activity_date: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Numeric(4, 2, asdecimal=False))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, "activity_kind"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    placement: Mapped[Placement] = relationship()
    jobcoach: Mapped[User] = relationship()


class JobcoachReport(db.Model):
    """A short periodic report. No medical information: the form says so."""

    __tablename__ = "jobcoach_report"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_end_after_start"),
        CheckConstraint("hours_spent >= 0", name="hours_not_negative"),
        CheckConstraint("how_it_goes >= 1 AND how_it_goes <= 5", name="how_it_goes_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    jobcoach_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    hours_spent: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))
    worked_on: Mapped[str] = mapped_column(Text)
    how_it_goes: Mapped[int] = mapped_column(Integer)
    next_step: Mapped[str] = mapped_column(Text)
    build_down: Mapped[BuildDownAdvice] = mapped_column(
        enum_column(BuildDownAdvice, "build_down_advice")
    )
    build_down_note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    placement: Mapped[Placement] = relationship()
    jobcoach: Mapped[User] = relationship()


class CoachingRefusal(db.Model):
    """The worker declined jobcoaching; recorded with the reason (DESIGN §7)."""

    __tablename__ = "coaching_refusal"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    refused_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    placement: Mapped[Placement] = relationship()
    recorded_by: Mapped[User] = relationship()
