"""The audit log: who read or changed what, when and from where (DESIGN section 6, AVG).

Append-only: `portal.services.audit` refuses any flush or ORM statement that would update or
delete a row, and on PostgreSQL a trigger (migration 0006) refuses it in the database as well.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import TIMESTAMP, enum_column, utcnow
from portal.models.users import User


class AuditAction(enum.StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class AuditEvent(db.Model):
    """One read by staff of a worker's data, or one created, changed or deleted record."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_actor_time", "actor_id", "occurred_at"),
        Index("ix_audit_event_subject_time", "subject_worker_id", "action", "occurred_at"),
        Index("ix_audit_event_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, index=True)
    # None for the system (CLI, scheduled jobs), an anonymous visitor or the assistant's service
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # a Role value, or "system", "anonymous", "service"; kept as it was at the time
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, "audit_action"))
    entity: Mapped[str] = mapped_column(String(60))  # the table name
    entity_id: Mapped[str | None] = mapped_column(String(100))
    # the worker whose data it is, so the worker can see who looked at it
    subject_worker_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    path: Mapped[str | None] = mapped_column(String(300))
    endpoint: Mapped[str | None] = mapped_column(String(100))
    # updates: {field: [old, new]}, secrets masked; creates, deletes and reads: None
    changes: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject_worker: Mapped[User | None] = relationship(foreign_keys=[subject_worker_id])
