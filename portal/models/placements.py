"""The placement: a worker at an employer. A first stub of the spine (phases come later)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import enum_column
from portal.models.organisations import Employer
from portal.models.users import User


class Phase(enum.StrEnum):
    PROEFPLAATSING = "proefplaatsing"
    TIJDELIJK = "tijdelijk"
    VAST = "vast"
    BEEINDIGD = "beeindigd"


class Placement(db.Model):
    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    jobcoach_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    phase: Mapped[Phase] = mapped_column(enum_column(Phase, "phase"))
    start_date: Mapped[date] = mapped_column(Date)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    employer: Mapped[Employer] = relationship()
    jobcoach: Mapped[User | None] = relationship(foreign_keys=[jobcoach_id])
