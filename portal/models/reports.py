"""Meldingen (problem reports) and ziekmeldingen (sick reports).

A sick report deliberately has no column for a diagnosis or the nature of the illness (AVG): the
employer may not ask for it, and the portal has nowhere to put it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import TIMESTAMP, enum_column, utcnow
from portal.models.organisations import Employer
from portal.models.placements import Placement
from portal.models.users import User


class ProblemStatus(enum.StrEnum):
    """The status of a melding, as the reporter sees it."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Urgency(enum.StrEnum):
    CAN_WAIT = "can_wait"
    THIS_WEEK = "this_week"
    TODAY = "today"


class ProblemCategory(db.Model):
    """Reference data: what a melding is about."""

    __tablename__ = "problem_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    # problems outside work get the referral to the municipality's buurtteam
    outside_work: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ProblemReport(db.Model):
    """A melding about one worker's work, by the worker or by an employer user."""

    __tablename__ = "problem_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("problem_category.id"))
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency, "urgency"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[ProblemStatus] = mapped_column(
        enum_column(ProblemStatus, "problem_status"), default=ProblemStatus.NEW
    )
    contact_person_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    placement: Mapped[Placement | None] = relationship()
    employer: Mapped[Employer | None] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    category: Mapped[ProblemCategory] = relationship()
    contact_person: Mapped[User | None] = relationship(foreign_keys=[contact_person_id])
    events: Mapped[list[ProblemReportEvent]] = relationship(
        back_populates="report", order_by="ProblemReportEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status != ProblemStatus.CLOSED


class ProblemReportEvent(db.Model):
    """One line of a melding's log: its creation, a status change, an action, a hand-over.
    The reporter reads the log, so it is written for them."""

    __tablename__ = "problem_report_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("problem_report.id"), index=True)
    at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(20))  # created, status, action, handover
    status: Mapped[ProblemStatus | None] = mapped_column(
        enum_column(ProblemStatus, "problem_status")
    )
    note: Mapped[str | None] = mapped_column(Text)

    report: Mapped[ProblemReport] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()


class ExpectedDuration(enum.StrEnum):
    UNKNOWN = "unknown"
    DAYS = "days"  # less than a week
    WEEKS = "weeks"  # one to six weeks
    LONGER = "longer"  # more than six weeks


class SickReport(db.Model):
    """One period of sickness of a worker: from the first sick day until recovery.

    At most one open period per worker (a partial unique index). Recovery is reported on the same
    record; nothing about the illness itself is stored.
    """

    __tablename__ = "sick_report"
    __table_args__ = (
        Index(
            "uq_sick_report_open_worker",
            "worker_id",
            unique=True,
            sqlite_where=text("recovered_on IS NULL"),
            postgresql_where=text("recovered_on IS NULL"),
        ),
        CheckConstraint(
            "recovered_on IS NULL OR recovered_on >= first_sick_day", name="recovered_after_start"
        ),
        CheckConstraint(
            "working_percent IS NULL OR (working_percent BETWEEN 1 AND 99)",
            name="working_percent_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    first_sick_day: Mapped[date] = mapped_column(Date)
    expected_duration: Mapped[ExpectedDuration] = mapped_column(
        enum_column(ExpectedDuration, "expected_duration"), default=ExpectedDuration.UNKNOWN
    )
    partially_working: Mapped[bool] = mapped_column(Boolean, default=False)
    working_percent: Mapped[int | None] = mapped_column(Integer)
    remark: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    recovered_on: Mapped[date | None] = mapped_column(Date)
    recovery_reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recovery_reported_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    recovery_remark: Mapped[str | None] = mapped_column(Text)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    placement: Mapped[Placement | None] = relationship()
    employer: Mapped[Employer | None] = relationship()
    reported_by: Mapped[User] = relationship(foreign_keys=[reported_by_id])
    recovery_reported_by: Mapped[User | None] = relationship(foreign_keys=[recovery_reported_by_id])

    @property
    def is_open(self) -> bool:
        return self.recovered_on is None
