"""Messages exchanged in the portal's chat page, so the page can show the conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._types import TIMESTAMP, utcnow


class ChatMessage(db.Model):
    __tablename__ = "chat_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(80), index=True)
    author: Mapped[str] = mapped_column(String(8))  # "user" or "bot"
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
