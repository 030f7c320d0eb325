"""Forms around the questionnaire. The questions themselves are read from the request by
`routes._read_step`, because they come from the versioned questionnaire, not from code."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.blueprints.placements.forms import DATE_MESSAGE
from portal.form_fields import PortalForm

NO_MEDICAL = _l("Do not write anything about an illness, a diagnosis or medication.")


class StepForm(PortalForm):
    """Only the CSRF token: the step's questions are read from the request."""


class CorrectionForm(PortalForm):
    reason = TextAreaField(
        _l("Why do you want to change your answers?"),
        validators=[
            DataRequired(message=_l("Write down why you correct your answers.")),
            Length(max=2000, message=_l("Use at most 2000 characters.")),
        ],
    )
    submit = SubmitField(_l("Start a correction"))


class FollowUpForm(PortalForm):
    held_on = DateField(
        _l("Date of the conversation"), validators=[DataRequired(message=DATE_MESSAGE)]
    )
    summary = TextAreaField(
        _l("What was discussed and agreed"),
        description=NO_MEDICAL,
        validators=[
            DataRequired(message=_l("Write down what was agreed.")),
            Length(max=2000, message=_l("Use at most 2000 characters.")),
        ],
    )
    adjustments = SelectMultipleField(_l("What changes"), validators=[Optional()])
    submit = SubmitField(_l("Record the follow-up"))
