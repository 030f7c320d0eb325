"""The in-portal inbox, and the ledger that makes every reminder go out exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import TIMESTAMP, utcnow
from portal.models.users import User


class InboxMessage(db.Model):
    __tablename__ = "inbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    user: Mapped[User] = relationship()


class SentReminder(db.Model):
    """One row per reminder that went out. The unique key, not memory, makes the job idempotent:
    a second run (or a concurrent one) fails to insert the same key and sends nothing."""

    __tablename__ = "sent_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    sent_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
