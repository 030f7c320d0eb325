"""Jobcoaching forms, and the words for the coded values the coaching screens show."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.form_fields import PortalForm
from portal.models import ActivityKind, BuildDownAdvice, ReportFrequency
from portal.services.coaching import OVER_2_YEARS, OVER_52_HOURS, UNDER_12_HOURS

DATE_MESSAGE = _l("Fill in a date, for example 1 March 2026.")
NO_MEDICAL = _l(
    "Do not write medical information: no diagnosis, no illness and no medication. "
    "Write about the work and the guidance."
)

ACTIVITY_KINDS = {
    ActivityKind.ON_THE_JOB: _l("Coaching at the workplace"),
    ActivityKind.TALK_WORKER: _l("Talk with the worker"),
    ActivityKind.TALK_SUPERVISOR: _l("Talk with the supervisor"),
    ActivityKind.THREE_WAY: _l("Three-way talk (worker, supervisor and jobcoach)"),
    ActivityKind.PHONE_OR_EMAIL: _l("Phone call or e-mail"),
    ActivityKind.OTHER: _l("Other"),
}

BUILD_DOWN = {
    BuildDownAdvice.INCREASE: _l("Increase the coaching"),
    BuildDownAdvice.SAME: _l("Keep the coaching the same"),
    BuildDownAdvice.REDUCE: _l("Reduce the coaching"),
    BuildDownAdvice.STOP: _l("Stop the coaching"),
}

HOW_IT_GOES = {
    1: _l("Very badly"),
    2: _l("Badly"),
    3: _l("Reasonably"),
    4: _l("Well"),
    5: _l("Very well"),
}

REPORT_FREQUENCIES = {
    ReportFrequency.MONTHLY: _l("Monthly"),
    ReportFrequency.QUARTERLY_AFTER_TRIAL: _l(
        "Monthly during the trial placement, then at least quarterly"
    ),
}

# Full sentences for the placement page, short ones for the overview table.
WARNINGS = {
    UNDER_12_HOURS: _l(
        "The job is less than 12 hours a week. Jobcoaching is meant for a job of at least "
        "12 hours a week."
    ),
    OVER_52_HOURS: _l(
        "More than 52 hours of coaching in this coaching year. The UWV standard is at most "
        "52 hours a year."
    ),
    OVER_2_YEARS: _l(
        "The coaching has lasted more than 2 years. Coaching usually lasts at most 2 years and is "
        "built down over time."
    ),
}
SHORT_WARNINGS = {
    UNDER_12_HOURS: _l("Job under 12 hours a week"),
    OVER_52_HOURS: _l("More than 52 hours this coaching year"),
    OVER_2_YEARS: _l("Coaching longer than 2 years"),
}


class HoursField(DecimalField):
    """A number of hours; accepts a decimal comma (1,5) as well as a point, as people type it."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{float(self.data):.2f}".rstrip("0").rstrip(".")


def _date(label):
    return DateField(label, validators=[DataRequired(message=DATE_MESSAGE)])


class ActivityForm(PortalForm):
    """An hour registration: what the jobcoach did on one day."""

    activity_date = _date(_l("Date"))
    hours = HoursField(
        _l("Hours"),
        description=_l("For example 1.5 for an hour and a half."),
        validators=[
            InputRequired(message=_l("Fill in more than 0 and at most 24 hours.")),
            NumberRange(min=0.01, max=24, message=_l("Fill in more than 0 and at most 24 hours.")),
        ],
    )
    kind = SelectField(
        _l("Kind of activity"),
        choices=list(ACTIVITY_KINDS.items()),
        coerce=ActivityKind,
        validators=[InputRequired(message=_l("Choose the kind of activity."))],
    )
    note = TextAreaField(
        _l("Short note"),
        description=NO_MEDICAL,
        validators=[Optional(), Length(max=500, message=_l("Use at most 500 characters."))],
    )
    submit = SubmitField(_l("Register activity"))


class ReportForm(PortalForm):
    """The periodic jobcoach report. Not editable after it has been sent."""

    period_start = _date(_l("Period from"))
    period_end = _date(_l("Period until"))
    hours_spent = HoursField(
        _l("Hours spent in this period"),
        description=_l("Filled in from the registered activities; you can change it."),
        validators=[
            InputRequired(message=_l("Fill in the hours spent: 0 or more.")),
            NumberRange(min=0, max=999, message=_l("Fill in 0 to 999 hours.")),
        ],
    )
    worked_on = TextAreaField(
        _l("What was worked on"),
        validators=[
            DataRequired(message=_l("Write what was worked on.")),
            Length(max=5000, message=_l("Use at most 5000 characters.")),
        ],
    )
    how_it_goes = RadioField(
        _l("How is it going?"),
        choices=list(HOW_IT_GOES.items()),
        coerce=int,
        validate_choice=False,  # one clear message instead of two when nothing is chosen
        validators=[
            InputRequired(message=_l("Choose how it is going.")),
            NumberRange(min=1, max=5, message=_l("Choose how it is going.")),
        ],
    )
    next_step = TextAreaField(
        _l("Next step"),
        validators=[
            DataRequired(message=_l("Write the next step.")),
            Length(max=5000, message=_l("Use at most 5000 characters.")),
        ],
    )
    build_down = RadioField(
        _l("Build-down advice"),
        choices=list(BUILD_DOWN.items()),
        coerce=BuildDownAdvice,
        validate_choice=False,  # an unknown value already fails when it is coerced
        validators=[InputRequired(message=_l("Choose a build-down advice."))],
    )
    build_down_note = TextAreaField(
        _l("Explanation of the advice"),
        validators=[Optional(), Length(max=2000, message=_l("Use at most 2000 characters."))],
    )
    submit = SubmitField(_l("Send report"))


class RefusalForm(PortalForm):
    """The worker declines jobcoaching; the reason is recorded (DESIGN §7)."""

    refused_on = _date(_l("Date the worker declined"))
    reason = TextAreaField(
        _l("Reason"),
        description=NO_MEDICAL,
        validators=[
            DataRequired(message=_l("Write the reason.")),
            Length(max=2000, message=_l("Use at most 2000 characters.")),
        ],
    )
    submit = SubmitField(_l("Record"))
