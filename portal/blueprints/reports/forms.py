"""Forms for meldingen, and the words for their coded values."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.form_fields import OnceOnly, PortalForm, record_id
from portal.models import ProblemStatus, Urgency

TEXT_MAX = 5000

URGENCIES = {
    Urgency.CAN_WAIT: _l("It can wait"),
    Urgency.THIS_WEEK: _l("This week"),
    Urgency.TODAY: _l("Today"),
}

STATUSES = {
    ProblemStatus.NEW: _l("New"),
    ProblemStatus.IN_PROGRESS: _l("Being handled"),
    ProblemStatus.CLOSED: _l("Handled"),
}


class ProblemReportForm(OnceOnly, PortalForm):
    """The worker field is only shown to employer users (a worker reports about their own work)."""

    worker = SelectField(
        _l("About which worker?"),
        coerce=record_id,
        validate_choice=False,  # checked against the employer's workers by the service
        validators=[DataRequired(message=_l("Choose the worker."))],
    )
    category = RadioField(
        _l("What is it about?"),
        description=_l(
            "Problems outside work, such as debts, housing, a relationship or mental health not "
            "related to work? After sending we show where in the municipality you can get help."
        ),
        coerce=record_id,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose what it is about."))],
    )
    urgency = RadioField(
        _l("How urgent is it?"),
        choices=list(URGENCIES.items()),
        validators=[InputRequired(message=_l("Choose how urgent it is."))],
    )
    text = TextAreaField(
        _l("What is going on?"),
        description=_l(
            "Describe what happens at work. Do not write anything about an illness, a diagnosis "
            "or medicines."
        ),
        validators=[
            DataRequired(message=_l("Write what is going on.")),
            Length(max=TEXT_MAX, message=_l("Use at most 5000 characters.")),
        ],
    )
    submit = SubmitField(_l("Send report"))


class ActionForm(PortalForm):
    """The contact person's step: what was done, and the new status. The reporter reads it."""

    status = RadioField(
        _l("Status"),
        choices=[
            (ProblemStatus.IN_PROGRESS.value, STATUSES[ProblemStatus.IN_PROGRESS]),
            (ProblemStatus.CLOSED.value, STATUSES[ProblemStatus.CLOSED]),
        ],
        validators=[Optional()],
    )
    note = TextAreaField(
        _l("What was done or agreed"),
        description=_l("The reporter reads this. Do not write anything about an illness."),
        validators=[Length(max=TEXT_MAX, message=_l("Use at most 5000 characters."))],
    )
    submit = SubmitField(_l("Save"))
