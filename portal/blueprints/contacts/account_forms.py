"""Forms with which a contact person creates a worker (for their own caseload) or a user of an
employer in their caseload. Both create a record, so they carry a one-off key (OnceOnly)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import DataRequired

from portal.blueprints.admin.user_forms import PersonForm, language_field
from portal.form_fields import OnceOnly, record_id


class NewWorkerForm(OnceOnly, PersonForm):
    """A worker: regime and municipality decide the executing organisation (routing)."""

    # Choices are filled and checked in the view, with the portal's own message.
    regime = SelectField(
        _l("Regime"),
        choices=[],
        default="",
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose the regime of the worker."))],
    )
    municipality = SelectField(
        _l("Municipality"),
        coerce=record_id,
        default=0,
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose the municipality of the worker."))],
    )
    in_doelgroepregister = BooleanField(_l("In the doelgroepregister"))
    locale = language_field()
    submit = SubmitField(_l("Create the account and send the invitation"))


class NewEmployerUserForm(OnceOnly, PersonForm):
    """A user (HR, manager, supervisor) of an employer in the contact person's caseload."""

    locale = language_field()
    submit = SubmitField(_l("Create the account and send the invitation"))
