"""The placement (plaatsing): a worker at an employer, the spine everything else hangs off."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import TIMESTAMP, enum_column, utcnow
from portal.models.organisations import Employer
from portal.models.users import User


class Phase(enum.StrEnum):
    PROEFPLAATSING = "proefplaatsing"
    TIJDELIJK = "tijdelijk"
    VAST = "vast"
    BEEINDIGD = "beeindigd"


class Route(enum.StrEnum):
    REGULAR = "regular"
    PRAKTIJKROUTE = "praktijkroute"


class PraktijkrouteOutcome(enum.StrEnum):
    REDUCED = "reduced"  # reduced earning capacity: into the doelgroepregister, LKS continues
    NOT_REDUCED = "not_reduced"  # the worker stays without LKS


class Intention(enum.StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


class ContractKind(enum.StrEnum):
    TIJDELIJK = "tijdelijk"
    VAST = "vast"


placement_other_reasons = Table(
    "placement_other_reason",
    db.metadata,
    Column("placement_id", ForeignKey("placement.id"), primary_key=True),
    Column("end_reason_id", ForeignKey("end_reason.id"), primary_key=True),
)


class EndReason(db.Model):
    """Why a placement ended: reference data in Dutch and English, editable by the administrator."""

    __tablename__ = "end_reason"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    needs_explanation: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Placement(db.Model):
    __tablename__ = "placement"
    __table_args__ = (
        CheckConstraint("trial_end IS NULL OR trial_end >= start_date", name="trial_after_start"),
        CheckConstraint(
            "contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start",
            name="contract_end_after_start",
        ),
        CheckConstraint(
            "loonwaarde_percent IS NULL OR (loonwaarde_percent >= 0 AND loonwaarde_percent <= 100)",
            name="loonwaarde_percentage",
        ),
        CheckConstraint("hours_per_week IS NULL OR hours_per_week > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    jobcoach_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    phase: Mapped[Phase] = mapped_column(enum_column(Phase, "phase"))
    start_date: Mapped[date] = mapped_column(Date)
    workplace: Mapped[str | None] = mapped_column(String(200))

    trial_end: Mapped[date | None] = mapped_column(Date)
    contract_start: Mapped[date | None] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date)
    chain_number: Mapped[int] = mapped_column(Integer, default=0)
    hours_per_week: Mapped[float | None] = mapped_column(Numeric(4, 1, asdecimal=False))

    loonwaarde_percent: Mapped[int | None] = mapped_column(Integer)
    loonwaarde_measured_on: Mapped[date | None] = mapped_column(Date)
    loonkostensubsidie: Mapped[bool] = mapped_column(Boolean, default=False)
    route: Mapped[Route] = mapped_column(enum_column(Route, "route"), default=Route.REGULAR)
    praktijkroute_outcome: Mapped[PraktijkrouteOutcome | None] = mapped_column(
        enum_column(PraktijkrouteOutcome, "praktijkroute_outcome")
    )
    permanent_intention: Mapped[Intention | None] = mapped_column(
        enum_column(Intention, "intention")
    )
    buddy_name: Mapped[str | None] = mapped_column(String(200))
    buddy_harrie_trained: Mapped[bool] = mapped_column(Boolean, default=False)
    self_found: Mapped[bool] = mapped_column(Boolean, default=False)
    self_found_how: Mapped[str | None] = mapped_column(String(500))

    # Filled when the placement ends (phase beeindigd).
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason_id: Mapped[int | None] = mapped_column(ForeignKey("end_reason.id"))
    end_explanation: Mapped[str | None] = mapped_column(Text)
    ended_by: Mapped[str | None] = mapped_column(String(32))
    end_cause: Mapped[str | None] = mapped_column(String(32))
    end_risk_moment: Mapped[str | None] = mapped_column(String(40))
    end_lessons: Mapped[str | None] = mapped_column(Text)
    follow_up_owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    employer: Mapped[Employer] = relationship()
    jobcoach: Mapped[User | None] = relationship(foreign_keys=[jobcoach_id])
    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])
    follow_up_owner: Mapped[User | None] = relationship(foreign_keys=[follow_up_owner_id])
    end_reason: Mapped[EndReason | None] = relationship()
    other_end_reasons: Mapped[list[EndReason]] = relationship(secondary=placement_other_reasons)
    contracts: Mapped[list[PlacementContract]] = relationship(
        back_populates="placement", order_by="PlacementContract.start", cascade="all"
    )
    hours_steps: Mapped[list[HoursStep]] = relationship(
        back_populates="placement", order_by="HoursStep.from_date", cascade="all"
    )
    phase_changes: Mapped[list[PhaseChange]] = relationship(
        back_populates="placement", order_by="PhaseChange.id", cascade="all"
    )
    evaluation_moments: Mapped[list[EvaluationMoment]] = relationship(
        back_populates="placement", order_by="EvaluationMoment.due", cascade="all"
    )


class PlacementContract(db.Model):
    """Every contract of the placement, so the chain (ketenbepaling) can be counted."""

    __tablename__ = "placement_contract"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    kind: Mapped[ContractKind] = mapped_column(enum_column(ContractKind, "contract_kind"))
    number: Mapped[int] = mapped_column(Integer, default=1)
    start: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    placement: Mapped[Placement] = relationship(back_populates="contracts")


class HoursStep(db.Model):
    """The planned build-up of hours: from this date, this many hours a week."""

    __tablename__ = "hours_step"
    __table_args__ = (UniqueConstraint("placement_id", "from_date", name="one_step_per_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Numeric(4, 1, asdecimal=False))

    placement: Mapped[Placement] = relationship(back_populates="hours_steps")


class PhaseChange(db.Model):
    """History of the phases: who changed what, when."""

    __tablename__ = "phase_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    from_phase: Mapped[Phase | None] = mapped_column(enum_column(Phase, "phase"))
    to_phase: Mapped[Phase] = mapped_column(enum_column(Phase, "phase"))
    effective_on: Mapped[date] = mapped_column(Date)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    placement: Mapped[Placement] = relationship(back_populates="phase_changes")
    changed_by: Mapped[User | None] = relationship()


class Decision(enum.StrEnum):
    RENEW = "renew"
    PERMANENT = "permanent"
    END = "end"


class ContractDecision(db.Model):
    """The employer's decision on a temporary contract that is ending."""

    __tablename__ = "contract_decision"
    __table_args__ = (UniqueConstraint("contract_id", name="one_decision_per_contract"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("placement_contract.id"))
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, "decision"))
    new_end: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    placement: Mapped[Placement] = relationship()
    contract: Mapped[PlacementContract] = relationship()
    decided_by: Mapped[User | None] = relationship()


class MomentStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class EvaluationMoment(db.Model):
    """A stored evaluation moment; later changes of the defaults do not rewrite it."""

    __tablename__ = "evaluation_moment"
    __table_args__ = (UniqueConstraint("placement_id", "key", name="one_moment_per_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))
    due: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[MomentStatus] = mapped_column(
        enum_column(MomentStatus, "moment_status"), default=MomentStatus.PLANNED
    )
    done_on: Mapped[date | None] = mapped_column(Date)

    placement: Mapped[Placement] = relationship(back_populates="evaluation_moments")
