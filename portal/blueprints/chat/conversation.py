"""Which conversation the current visitor is in, and what was said in it."""

from __future__ import annotations

import secrets

from flask import session
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.models import ChatMessage

TRANSCRIPT_LENGTH = 50


def conversation_id() -> str:
    """The Rasa sender id: the user's opaque chat id, or a random one per anonymous session."""
    if current_user.is_authenticated:
        return current_user.chat_id
    if "chat_sender" not in session:
        session["chat_sender"] = "anon-" + secrets.token_urlsafe(18)
    return session["chat_sender"]


def recent_messages(conversation: str, limit: int = TRANSCRIPT_LENGTH) -> list[ChatMessage]:
    rows = db.session.scalars(
        select(ChatMessage)
        .where(ChatMessage.conversation_id == conversation)
        .order_by(ChatMessage.id.desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def stored_transcript(conversation: str) -> list[dict]:
    """The conversation as attached to a help request (same shape as the action server sends)."""
    return [
        {"author": m.author, "text": m.text, "timestamp": m.created_at.timestamp()}
        for m in recent_messages(conversation)
    ]
