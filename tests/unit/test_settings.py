"""Administrator settings: defaults, validated writes, and bad stored values falling back."""

import pytest

from portal.extensions import db
from portal.models import PortalSetting
from portal.services.schedule import DEFAULTS, ScheduleDefaults
from portal.services.settings import (
    MONTHS_AFTER_START,
    MONTHS_BEFORE_TEMPORARY_END,
    REMINDER_LEAD_MONTHS,
    YEARLY_AFTER_PERMANENT,
    SettingError,
    reminder_lead_months,
    schedule_defaults,
    set_setting,
)


def test_defaults_without_stored_settings(app_ctx):
    assert schedule_defaults(db.session) == DEFAULTS
    assert reminder_lead_months(db.session) == (3, 1)


def test_stored_settings_are_read(app_ctx):
    set_setting(db.session, MONTHS_AFTER_START, [6, 2, 2])
    set_setting(db.session, MONTHS_BEFORE_TEMPORARY_END, 3)
    set_setting(db.session, YEARLY_AFTER_PERMANENT, False)
    set_setting(db.session, REMINDER_LEAD_MONTHS, [1, 2])
    db.session.commit()
    db.session.expire_all()
    assert schedule_defaults(db.session) == ScheduleDefaults(
        at_trial_end=True,
        months_after_start=(2, 6),
        months_before_temporary_end=3,
        yearly_after_permanent=False,
    )
    assert reminder_lead_months(db.session) == (2, 1)
    # Stored as plain JSON lists, normalised.
    assert db.session.get(PortalSetting, REMINDER_LEAD_MONTHS).value == [2, 1]


def test_set_setting_overwrites(app_ctx):
    set_setting(db.session, REMINDER_LEAD_MONTHS, [4])
    set_setting(db.session, REMINDER_LEAD_MONTHS, [6, 3])
    db.session.commit()
    assert reminder_lead_months(db.session) == (6, 3)
    assert db.session.query(PortalSetting).count() == 1


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("schedule.unknown", 1, "unknown_setting"),
        (REMINDER_LEAD_MONTHS, [], "invalid_value"),
        (REMINDER_LEAD_MONTHS, [0], "invalid_value"),
        (REMINDER_LEAD_MONTHS, ["3"], "invalid_value"),
        (REMINDER_LEAD_MONTHS, [True], "invalid_value"),
        (REMINDER_LEAD_MONTHS, 3, "invalid_value"),
        (MONTHS_BEFORE_TEMPORARY_END, 13, "invalid_value"),
        (YEARLY_AFTER_PERMANENT, 1, "invalid_value"),
    ],
)
def test_invalid_values_are_refused(app_ctx, key, value, code):
    with pytest.raises(SettingError) as error:
        set_setting(db.session, key, value)
    assert error.value.code == code
    assert db.session.query(PortalSetting).count() == 0


def test_an_invalid_stored_value_falls_back_to_the_default(app_ctx, caplog):
    db.session.add(PortalSetting(key=REMINDER_LEAD_MONTHS, value="soon"))
    db.session.add(PortalSetting(key=MONTHS_AFTER_START, value=[1, 12]))
    db.session.commit()
    assert reminder_lead_months(db.session) == (3, 1)
    assert schedule_defaults(db.session).months_after_start == (1, 12)
    assert "invalid stored value" in caplog.text
