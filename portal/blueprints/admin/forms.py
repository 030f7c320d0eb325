from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Regexp

from portal.form_fields import PortalForm

MONTH_LIST = r"^\s*(\d{1,2}\s*(,\s*\d{1,2}\s*)*)?$"


class ScheduleSettingsForm(PortalForm):
    at_trial_end = BooleanField(_l("An evaluation at the end of the trial placement"))
    months_after_start = StringField(
        _l("Evaluations this many months after the start"),
        description=_l("Numbers separated by commas, for example: 1, 3, 6"),
        validators=[Regexp(MONTH_LIST, message=_l("Use numbers separated by commas."))],
    )
    months_before_temporary_end = IntegerField(
        _l("Evaluation this many months before a temporary contract ends"),
        validators=[
            InputRequired(message=_l("Fill in 0 to 12.")),
            NumberRange(min=0, max=12, message=_l("Fill in 0 to 12.")),
        ],
    )
    yearly_after_permanent = BooleanField(_l("A yearly check-in after a permanent contract"))
    lead_months = StringField(
        _l("Contract-end reminders this many months ahead"),
        description=_l("Numbers separated by commas, for example: 3, 1"),
        validators=[
            InputRequired(message=_l("Fill in at least one number.")),
            Regexp(MONTH_LIST, message=_l("Use numbers separated by commas.")),
        ],
    )
    submit = SubmitField(_l("Save settings"))


def month_list(text: str | None) -> list[int]:
    return [int(part) for part in (text or "").replace(" ", "").split(",") if part]
