"""The fixed contact person of a worker or an employer, with its history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import TIMESTAMP, utcnow
from portal.models.organisations import Employer
from portal.models.users import User


class ContactAssignment(db.Model):
    """One period in which a contact person is the fixed contact of a worker or of an employer.

    The current assignment is the one without `ends_on`; partial unique indexes make the database
    refuse a second current one, so "exactly one current contact person" cannot drift.
    """

    __tablename__ = "contact_assignment"
    __table_args__ = (
        CheckConstraint("(worker_id IS NULL) <> (employer_id IS NULL)", name="worker_xor_employer"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        Index(
            "uq_contact_assignment_current_worker",
            "worker_id",
            unique=True,
            sqlite_where=text("ends_on IS NULL"),
            postgresql_where=text("ends_on IS NULL"),
        ),
        Index(
            "uq_contact_assignment_current_employer",
            "employer_id",
            unique=True,
            sqlite_where=text("ends_on IS NULL"),
            postgresql_where=text("ends_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_person_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, default=utcnow)

    contact_person: Mapped[User] = relationship(foreign_keys=[contact_person_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id])
    employer: Mapped[Employer | None] = relationship()
