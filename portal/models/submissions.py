"""The forms that were stored, by the one-off key each form carries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._types import TIMESTAMP, utcnow


class FormSubmission(db.Model):
    """A stored form's key and where its record is. When the database goes away at the moment of
    the commit, the commit may have happened although the user was told it had not; the form
    sent again finds its record here instead of storing it twice."""

    __tablename__ = "form_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    location: Mapped[str] = mapped_column(String(300))
    # the record's reference (HV-..., ML-...), for pages that find it by reference
    reference: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
