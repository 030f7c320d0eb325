from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

PHONE_PATTERN = r"^\+?[0-9][0-9 \-()]{8,18}$"


class HelpRequestForm(FlaskForm):
    """Logged-in users: the account says who they are and how to reach them."""

    subject = StringField(
        _l("What is your question about?"),
        validators=[
            DataRequired(message=_l("Write in a few words what your question is about.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
    )
    text = TextAreaField(
        _l("Your question"),
        description=_l("Do not write anything about an illness or a diagnosis."),
        validators=[
            DataRequired(message=_l("Write your question.")),
            Length(max=5000, message=_l("Use at most 5000 characters.")),
        ],
    )
    attach_chat = HiddenField()
    submit = SubmitField(_l("Send help request"))


class AnonymousHelpRequestForm(HelpRequestForm):
    """Visitors who are not logged in: a name and a way to reach them are needed."""

    requester_name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=_l("Fill in your name.")), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    requester_phone = StringField(
        _l("Phone number"),
        validators=[
            Optional(),
            Regexp(PHONE_PATTERN, message=_l("Fill in a phone number, for example 06 12345678.")),
        ],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    requester_email = EmailField(
        _l("E-mail address"),
        validators=[
            Optional(),
            Email(
                message=_l("Fill in an e-mail address, for example naam@voorbeeld.nl."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # The per-field Optional() stops that field's chain, so "one of the two" is checked here.
        if (
            not (self.requester_phone.data or "").strip()
            and not (self.requester_email.data or "").strip()
        ):
            self.requester_email.errors = [
                *self.requester_email.errors,
                _l("Fill in a phone number or an e-mail address."),
            ]
            return False
        return valid


class TakeHelpRequestForm(FlaskForm):
    submit = SubmitField(_l("Take this request"))
