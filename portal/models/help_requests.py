"""Help requests (hulpvragen) and the per-year reference counter behind `HV-2026-000042`."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import TIMESTAMP, enum_column, utcnow
from portal.models.users import User


class HelpRequestStatus(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class HelpRequestChannel(enum.StrEnum):
    ASSISTANT = "assistant"
    FORM = "form"


class ContactWay(enum.StrEnum):
    """How the requester prefers to be contacted."""

    PHONE = "phone"
    EMAIL = "email"
    PORTAL = "portal"
    VISIT = "visit"


class ContactTime(enum.StrEnum):
    ANY = "any"
    MORNING = "morning"
    AFTERNOON = "afternoon"


class ReferenceCounter(db.Model):
    """Last number handed out per prefix and year; incremented under a row lock."""

    __tablename__ = "reference_counter"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class HelpRequest(db.Model):
    """A question for a person at the WSP. Unassigned requests sit in the WSP's shared queue."""

    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_phone: Mapped[str | None] = mapped_column(String(40))
    requester_email: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    transcript: Mapped[list] = mapped_column(JSON, default=list)
    channel: Mapped[HelpRequestChannel] = mapped_column(
        enum_column(HelpRequestChannel, "help_request_channel")
    )
    status: Mapped[HelpRequestStatus] = mapped_column(
        enum_column(HelpRequestStatus, "help_request_status"), default=HelpRequestStatus.NEW
    )
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    preferred_contact_way: Mapped[ContactWay | None] = mapped_column(
        enum_column(ContactWay, "contact_way")
    )
    preferred_time: Mapped[ContactTime | None] = mapped_column(
        enum_column(ContactTime, "contact_time")
    )
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)

    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    notes: Mapped[list[HelpRequestNote]] = relationship(
        back_populates="help_request", order_by="HelpRequestNote.id", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status != HelpRequestStatus.CLOSED


class HelpRequestNote(db.Model):
    """The contact person's working notes on a help request (staff only), and status changes."""

    __tablename__ = "help_request_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    help_request_id: Mapped[int] = mapped_column(ForeignKey("help_request.id"), index=True)
    at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[HelpRequestStatus | None] = mapped_column(
        enum_column(HelpRequestStatus, "help_request_status")
    )
    text: Mapped[str | None] = mapped_column(Text)

    help_request: Mapped[HelpRequest] = relationship(back_populates="notes")
    by: Mapped[User | None] = relationship()
