"""Settings an administrator can change, read from `portal_setting` with built-in defaults.

Every known key has a default and a validator. Values are checked when they are written; a stored
value that no longer passes (edited by hand, or written by an older version) is logged and the
default is used, so a bad setting can never stop the reminder job or the planning of evaluations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import PortalSetting
from portal.services.schedule import DEFAULTS, ScheduleDefaults

logger = logging.getLogger(__name__)

AT_TRIAL_END = "schedule.at_trial_end"
MONTHS_AFTER_START = "schedule.months_after_start"
MONTHS_BEFORE_TEMPORARY_END = "schedule.months_before_temporary_end"
YEARLY_AFTER_PERMANENT = "schedule.yearly_after_permanent"
REMINDER_LEAD_MONTHS = "reminders.contract_end_lead_months"

DEFAULT_LEAD_MONTHS = (3, 1)


class SettingError(ValueError):
    """An unknown key, or a value that does not fit the key."""

    def __init__(self, code: str, key: str):
        super().__init__(f"{code}: {key}")
        self.code = code
        self.key = key


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value


def _months(low: int, high: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        # bool is an int in Python; `true` must not pass as one month.
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise TypeError
        return value

    return check


def _month_list(low: int, high: int, *, allow_empty: bool, descending: bool):
    one = _months(low, high)

    def check(value: object) -> tuple[int, ...]:
        if not isinstance(value, list | tuple) or (not value and not allow_empty):
            raise TypeError
        return tuple(sorted({one(item) for item in value}, reverse=descending))

    return check


@dataclass(frozen=True)
class _Spec:
    default: object
    parse: Callable[[object], object]


SPECS: dict[str, _Spec] = {
    AT_TRIAL_END: _Spec(DEFAULTS.at_trial_end, _boolean),
    MONTHS_AFTER_START: _Spec(
        DEFAULTS.months_after_start,
        _month_list(1, 60, allow_empty=True, descending=False),
    ),
    MONTHS_BEFORE_TEMPORARY_END: _Spec(DEFAULTS.months_before_temporary_end, _months(0, 12)),
    YEARLY_AFTER_PERMANENT: _Spec(DEFAULTS.yearly_after_permanent, _boolean),
    # At least one lead time: an empty list would switch contract-end monitoring off unnoticed.
    REMINDER_LEAD_MONTHS: _Spec(
        DEFAULT_LEAD_MONTHS, _month_list(1, 24, allow_empty=False, descending=True)
    ),
}


def parse_setting(key: str, value: object) -> object:
    """The normalised value for `key`; raises SettingError when the key or value is wrong."""
    spec = SPECS.get(key)
    if spec is None:
        raise SettingError("unknown_setting", key)
    try:
        return spec.parse(value)
    except TypeError:
        raise SettingError("invalid_value", key) from None


def get_settings(session: Session, keys: list[str]) -> dict[str, object]:
    """The values of `keys` in one query: stored when valid, else the default."""
    unknown = [key for key in keys if key not in SPECS]
    if unknown:
        raise SettingError("unknown_setting", unknown[0])
    stored = dict(
        session.execute(
            select(PortalSetting.key, PortalSetting.value).where(PortalSetting.key.in_(keys))
        ).all()
    )
    values = {}
    for key in keys:
        values[key] = SPECS[key].default
        if key in stored:
            try:
                values[key] = parse_setting(key, stored[key])
            except SettingError:
                logger.warning("setting %s has an invalid stored value; using the default", key)
    return values


def schedule_defaults(session: Session) -> ScheduleDefaults:
    """The evaluation schedule defaults as the administrator set them."""
    values = get_settings(
        session,
        [AT_TRIAL_END, MONTHS_AFTER_START, MONTHS_BEFORE_TEMPORARY_END, YEARLY_AFTER_PERMANENT],
    )
    return ScheduleDefaults(
        at_trial_end=values[AT_TRIAL_END],
        months_after_start=values[MONTHS_AFTER_START],
        months_before_temporary_end=values[MONTHS_BEFORE_TEMPORARY_END],
        yearly_after_permanent=values[YEARLY_AFTER_PERMANENT],
    )


def reminder_lead_months(session: Session) -> tuple[int, ...]:
    """How many months before a contract ends reminders go out, longest first; default (3, 1)."""
    return get_settings(session, [REMINDER_LEAD_MONTHS])[REMINDER_LEAD_MONTHS]


def set_setting(session: Session, key: str, value: object) -> object:
    """Validate and store one setting (flushed, not committed); returns the normalised value."""
    normalised = parse_setting(key, value)
    stored = list(normalised) if isinstance(normalised, tuple) else normalised  # JSON has no tuple
    row = session.get(PortalSetting, key)
    if row is None:
        session.add(PortalSetting(key=key, value=stored))
    else:
        row.value = stored
    session.flush()
    return normalised
