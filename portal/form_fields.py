"""Shared pieces of the WTForms forms."""

from __future__ import annotations

# PostgreSQL's INTEGER: an id outside it is no record, and must not reach a query (it overflows).
MAX_RECORD_ID = 2**31 - 1


def record_id(value: object) -> int:
    """`coerce` for a choice that holds a record id (0 is the "choose ..." option): a ValueError,
    so a form error, for anything that is not a whole number in the database's id range."""
    number = int(value)  # type: ignore[call-overload]
    if not 0 <= number <= MAX_RECORD_ID:
        raise ValueError("not a record id")
    return number
