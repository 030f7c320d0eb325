"""The hand-over form."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from portal.form_fields import PortalForm, record_id
from portal.services.contacts import NOTE_MAX


class HandoverForm(PortalForm):
    new_contact = SelectField(
        _l("New contact person"),
        coerce=record_id,
        validate_choice=False,  # checked by the service: an active contact person, not the same
        validators=[DataRequired(message=_l("Choose the new contact person."))],
    )
    on = DateField(
        _l("From"),
        validators=[InputRequired(message=_l("Fill in a date, for example 1 March 2026."))],
    )
    note = TextAreaField(
        _l("Note for the new contact person"),
        description=_l(
            "What the new contact person should know. The worker or employer does not see this "
            "note. Do not write anything about an illness."
        ),
        validators=[Length(max=NOTE_MAX, message=_l("Use at most 500 characters."))],
    )
    submit = SubmitField(_l("Hand over"))
