"""Reference data of the region (municipalities, executing organisations, routing) and employers."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import enum_column


class Regime(enum.StrEnum):
    """The benefit regime a worker comes from; it decides the executing organisation."""

    WAJONG = "wajong"
    PARTICIPATIEWET = "participatiewet"
    PRAKTIJKROUTE = "praktijkroute"


class ReportFrequency(enum.StrEnum):
    """How often the jobcoaches of an organisation report (DESIGN §7)."""

    MONTHLY = "monthly"
    QUARTERLY_AFTER_TRIAL = "quarterly_after_trial"  # monthly during the trial, then quarterly


class ExecutingOrganisation(db.Model):
    """UWV or a municipal organisation that executes the Participatiewet."""

    __tablename__ = "executing_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    jobcoach_report_frequency: Mapped[ReportFrequency] = mapped_column(
        enum_column(ReportFrequency, "report_frequency"),
        default=ReportFrequency.MONTHLY,
        server_default=ReportFrequency.MONTHLY.value,
    )

    def __repr__(self) -> str:
        return f"<ExecutingOrganisation {self.name}>"


class Municipality(db.Model):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # where a worker with problems outside work is referred (DESIGN §8)
    buurtteam_name: Mapped[str | None] = mapped_column(String(200))
    buurtteam_phone: Mapped[str | None] = mapped_column(String(40))
    buurtteam_url: Mapped[str | None] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"<Municipality {self.name}>"


class RoutingRule(db.Model):
    """One row of the routing table; NULL in regime or municipality means "any".

    The most specific matching rule wins (see `portal.services.routing`).
    """

    __tablename__ = "routing_rule"
    __table_args__ = (UniqueConstraint("regime", "municipality_id", name="regime_municipality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    regime: Mapped[Regime | None] = mapped_column(enum_column(Regime, "regime"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    executing_organisation_id: Mapped[int] = mapped_column(ForeignKey("executing_organisation.id"))

    municipality: Mapped[Municipality | None] = relationship()
    executing_organisation: Mapped[ExecutingOrganisation] = relationship()


class Employer(db.Model):
    """A company that employs workers from the target group."""

    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Unknown for a company first registered by a worker with a self-found job, until the WSP
    # completes it.
    kvk_number: Mapped[str | None] = mapped_column(String(8), unique=True)
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(7))
    city: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<Employer {self.name}>"
