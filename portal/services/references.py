"""Human-readable references such as `HV-2026-000042`, unique under concurrency."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.models import ReferenceCounter

_INSERTS = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def next_reference(session: Session, prefix: str, year: int) -> str:
    """Hand out the next number for `prefix` in `year`, inside the caller's transaction.

    The counter row is incremented with a single UPDATE ... RETURNING, which takes a row lock on
    PostgreSQL (and the write lock on SQLite), so concurrent transactions get distinct numbers and a
    rolled-back transaction does not burn one for good.
    """
    insert = _INSERTS[session.get_bind().dialect.name]
    session.execute(
        insert(ReferenceCounter)
        .values(prefix=prefix, year=year, last_value=0)
        .on_conflict_do_nothing()
    )
    number = session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix, ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + 1)
        .returning(ReferenceCounter.last_value)
    ).scalar_one()
    return format_reference(prefix, year, number)
