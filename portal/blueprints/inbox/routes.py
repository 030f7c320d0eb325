"""Every user reads only their own messages; opening the inbox marks them as read."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select, update

from portal.blueprints.inbox import bp
from portal.extensions import db
from portal.models import InboxMessage
from portal.security import login_required

PAGE_SIZE = 50


@bp.app_context_processor
def inbox_helpers() -> dict:
    """`unread_count()` for the header; a function, so only pages that show it run the query."""

    def unread_count() -> int:
        if not current_user.is_authenticated:
            return 0
        return db.session.scalar(
            select(func.count())
            .select_from(InboxMessage)
            .where(InboxMessage.user_id == current_user.id, InboxMessage.read_at.is_(None))
        )

    return {"unread_count": unread_count}


@bp.route("/berichten")
@login_required
def messages():
    rows = db.session.scalars(
        select(InboxMessage)
        .where(InboxMessage.user_id == current_user.id)
        .order_by(InboxMessage.created_at.desc(), InboxMessage.id.desc())
        .limit(PAGE_SIZE)
    ).all()
    unread_ids = {message.id for message in rows if message.read_at is None}
    if unread_ids:
        db.session.execute(
            update(InboxMessage)
            .where(InboxMessage.id.in_(unread_ids), InboxMessage.user_id == current_user.id)
            .values(read_at=datetime.now(UTC))
        )
        db.session.commit()
    return render_template("inbox/messages.html", messages=rows, unread_ids=unread_ids)
