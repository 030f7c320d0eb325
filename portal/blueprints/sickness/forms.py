"""The ziekmelding and recovery forms.

Deliberately no field for a diagnosis or the nature of the illness (AVG): the employer may not ask
for it, and the free-text remark says not to write it. A test pins the exact field names.
"""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.form_fields import PortalForm, record_id
from portal.models import ExpectedDuration
from portal.services.sickness import REMARK_MAX

DATE_MESSAGE = _l("Fill in a date, for example 1 March 2026.")
NO_ILLNESS = _l("Do not write anything about the illness, a diagnosis or medicines (privacy law).")
PERCENT_MESSAGE = _l("Fill in a whole number from 1 to 99.")

EXPECTED_DURATIONS = {
    ExpectedDuration.UNKNOWN: _l("Not known yet"),
    ExpectedDuration.DAYS: _l("Less than a week"),
    ExpectedDuration.WEEKS: _l("One to six weeks"),
    ExpectedDuration.LONGER: _l("Longer than six weeks"),
}


class PercentField(IntegerField):
    """A whole percentage; "50 %" is read as 50. A wrong value gets our own translated message."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            self.data = int(valuelist[0].strip().rstrip("%").strip())
        except ValueError as error:
            raise ValueError(str(PERCENT_MESSAGE)) from error


def _remark(label):
    return TextAreaField(
        label,
        description=NO_ILLNESS,
        validators=[
            Optional(),
            Length(max=REMARK_MAX, message=_l("Use at most 2000 characters.")),
        ],
    )


class SickReportForm(PortalForm):
    """The worker field is only for employer users and contact persons; a worker reports
    themselves."""

    worker = SelectField(
        _l("Which worker is sick?"),
        coerce=record_id,
        validate_choice=False,  # the view checks the choice against who may be reported
        validators=[DataRequired(message=_l("Choose the worker."))],
    )
    first_sick_day = DateField(
        _l("First sick day"), validators=[DataRequired(message=DATE_MESSAGE)]
    )
    expected_duration = RadioField(
        _l("How long will it probably last?"),
        choices=[(code.value, label) for code, label in EXPECTED_DURATIONS.items()],
        default=ExpectedDuration.UNKNOWN.value,
        validators=[InputRequired(message=_l("Choose how long it will probably last."))],
    )
    partially_working = RadioField(
        _l("Is the worker still working part of the time?"),
        choices=[("no", _l("No")), ("yes", _l("Yes, partially"))],
        default="no",
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )
    working_percent = PercentField(
        _l("Percentage of the usual work"),
        description=_l("Only when partially working: a whole number from 1 to 99."),
        validators=[Optional()],
    )
    remark = _remark(_l("Remark"))
    submit = SubmitField(_l("Send sick report"))


class RecoveryForm(PortalForm):
    recovered_on = DateField(
        _l("Better again from"),
        description=_l("The first day the worker can do all the usual work again."),
        validators=[DataRequired(message=DATE_MESSAGE)],
    )
    remark = _remark(_l("Remark"))
    submit = SubmitField(_l("Report recovery"))


def speak_to_worker(form: SickReportForm | RecoveryForm) -> None:
    """Plain-language labels (B1, "je") when the worker fills in the form about themselves."""
    if isinstance(form, SickReportForm):
        form.partially_working.label.text = _l("Do you still work part of your hours?")
        form.working_percent.label.text = _l("How much of your usual work do you do?")
        form.working_percent.description = _l(
            "Only if you still work: a percentage from 1 to 99. For example 50."
        )
        form.first_sick_day.label.text = _l("Your first sick day")
    else:
        form.recovered_on.description = _l("The first day you can do all your usual work again.")
