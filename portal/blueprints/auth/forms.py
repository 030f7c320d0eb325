from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.form_fields import PortalForm


class LoginForm(PortalForm):
    email = StringField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Fill in your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "inputmode": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Fill in your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class LanguageForm(PortalForm):
    lang = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class LogoutForm(PortalForm):
    submit = SubmitField(_l("Log out"))


MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


class ChangePasswordForm(PortalForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Fill in your current password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        description=_l(
            "At least 12 characters. A few words in a row that you remember easily work well."
        ),
        validators=[
            DataRequired(message=_l("Fill in a new password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l("Use at least 12 and at most 128 characters."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    repeat_password = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(message=_l("Fill in the new password again.")),
            EqualTo("new_password", message=_l("The two new passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


class ForgottenPasswordForm(PortalForm):
    email = StringField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Fill in your e-mail address.")),
            Email(message=_l("Fill in an e-mail address, for example naam@voorbeeld.nl.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "username", "inputmode": "email", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Send me a link"))


class SetPasswordForm(PortalForm):
    new_password = ChangePasswordForm.new_password
    repeat_password = ChangePasswordForm.repeat_password
    submit = SubmitField(_l("Save my password"))


def _code_field(label, description=None):
    return StringField(
        label,
        description=description,
        validators=[DataRequired(message=_l("Fill in the code.")), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "autocapitalize": "none",
        },
    )


class SecondStepForm(PortalForm):
    """The second step of a log-in: a code from the app, or a recovery code."""

    code = _code_field(
        _l("Code"),
        _l(
            "The 6 digits the authenticator app shows now. Phone lost or not at hand? Then fill "
            "in one of the recovery codes."
        ),
    )
    submit = SubmitField(_l("Log in"))


class EnrolForm(PortalForm):
    code = _code_field(_l("Code from the app"), _l("The 6 digits the app shows now."))
    submit = SubmitField(_l("Switch on two-step verification"))


class NewRecoveryCodesForm(PortalForm):
    code = _code_field(_l("Code from the app"), _l("The 6 digits the app shows now."))
    submit = SubmitField(_l("Make new recovery codes"))


class SwitchOffForm(PortalForm):
    code = _code_field(_l("Code from the app"), _l("The 6 digits the app shows now."))
    submit = SubmitField(_l("Switch off two-step verification"))
