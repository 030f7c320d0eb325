"""Forms for help requests: asking (logged in or not), and the contact person's work on them."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from portal.form_fields import OnceOnly, PortalForm
from portal.models import ContactTime, ContactWay
from portal.services.help_requests import TEXT_MAX, ListFilter

PHONE_PATTERN = r"^\+?[0-9][0-9 \-()]{8,18}$"

CONTACT_WAYS = {
    ContactWay.PHONE: _l("Phone"),
    ContactWay.EMAIL: _l("E-mail"),
    ContactWay.PORTAL: _l("A message in the portal"),
    ContactWay.VISIT: _l("A conversation in person"),
}

CONTACT_TIMES = {
    ContactTime.ANY: _l("Any time"),
    ContactTime.MORNING: _l("Mornings"),
    ContactTime.AFTERNOON: _l("Afternoons"),
}

LIST_FILTERS = {
    ListFilter.OPEN: _l("Open help requests"),
    ListFilter.CLOSED: _l("Closed help requests"),
    ListFilter.ALL: _l("All help requests"),
}


class HelpRequestForm(OnceOnly, PortalForm):
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
    preferred_contact_way = RadioField(
        _l("Preferred way of contact"),
        choices=[(way.value, text) for way, text in CONTACT_WAYS.items()],
        # Checked in `validate` with a translated message (WTForms' own one is not).
        validate_choice=False,
        # Preselected (see the view), so a post without the field (an old page, a script) gets
        # the default too; an explicitly empty one is refused.
        validators=[DataRequired(message=_l("Choose a way of contact."))],
    )
    preferred_time = RadioField(
        _l("Preferred time"),
        choices=[(time.value, text) for time, text in CONTACT_TIMES.items()],
        default=ContactTime.ANY.value,
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose a time."))],
    )
    attach_chat = HiddenField()
    submit = SubmitField(_l("Send help request"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        offered = {value for value, _label in self.preferred_contact_way.choices}
        way = self.preferred_contact_way
        if way.data and way.data not in offered and not way.errors:
            way.errors = [*way.errors, _l("Choose one of the ways of contact.")]
            valid = False
        when = self.preferred_time
        if when.data and when.data not in {t.value for t in ContactTime} and not when.errors:
            when.errors = [*when.errors, _l("Choose one of the times.")]
            valid = False
        return valid


class AnonymousHelpRequestForm(HelpRequestForm):
    """Visitors who are not logged in: a name and a way to reach them are needed. Without an
    account there is no inbox, so a portal message cannot be chosen."""

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferred_contact_way.choices = [
            (way.value, text) for way, text in CONTACT_WAYS.items() if way != ContactWay.PORTAL
        ]
        self.preferred_contact_way.description = _l(
            "If nothing is chosen, we call when a phone number is filled in, otherwise we send "
            "an e-mail."
        )

    def validate(self, extra_validators=None) -> bool:
        phone = (self.requester_phone.data or "").strip()
        email = (self.requester_email.data or "").strip()
        way = self.preferred_contact_way
        if not way.raw_data:
            # Nothing chosen (a visitor has no account to preselect by): the way they gave.
            way.data = ContactWay.PHONE.value if phone else ContactWay.EMAIL.value
        valid = super().validate(extra_validators)
        # The per-field Optional() stops that field's chain, so "one of the two" is checked here.
        if not phone and not email:
            self.requester_email.errors = [
                *self.requester_email.errors,
                _l("Fill in a phone number or an e-mail address."),
            ]
            return False
        if way.data == ContactWay.PHONE.value and not phone and not way.errors:
            way.errors = [*way.errors, _l("Fill in a phone number, or choose another way.")]
            return False
        if way.data == ContactWay.EMAIL.value and not email and not way.errors:
            way.errors = [*way.errors, _l("Fill in an e-mail address, or choose another way.")]
            return False
        return valid


class TakeHelpRequestForm(PortalForm):
    submit = SubmitField(_l("Take this request"))


# The contact person's work. Each form has a prefix, so the fields on the one page get their
# own ids and the error summary links to the right one.


class StartForm(PortalForm):
    submit = SubmitField(_l("Mark as in progress"))


class CloseForm(PortalForm):
    outcome = TextAreaField(
        _l("Outcome"),
        description=_l(
            "The requester reads this. Write what was done or agreed. Do not write anything "
            "about an illness or a diagnosis."
        ),
        validators=[
            DataRequired(message=_l("Write the outcome before you close the help request.")),
            Length(max=TEXT_MAX, message=_l("Use at most 5000 characters.")),
        ],
    )
    submit = SubmitField(_l("Close help request"))


class ReopenForm(PortalForm):
    note = TextAreaField(
        _l("Why is it reopened?"),
        description=_l("Only contact persons read this."),
        validators=[
            DataRequired(message=_l("Write why the help request is reopened.")),
            Length(max=TEXT_MAX, message=_l("Use at most 5000 characters.")),
        ],
    )
    submit = SubmitField(_l("Reopen"))


class NoteForm(PortalForm):
    text = TextAreaField(
        _l("Working note"),
        description=_l("Only contact persons read this, the requester does not."),
        validators=[
            DataRequired(message=_l("Write the note.")),
            Length(max=TEXT_MAX, message=_l("Use at most 5000 characters.")),
        ],
    )
    submit = SubmitField(_l("Add note"))


class ListFilterForm(PortalForm):
    """The list's filter is a GET form: a bookmarkable address, and nothing changes."""

    class Meta:
        csrf = False

    toon = SelectField(
        _l("Show"),
        choices=[(value.value, text) for value, text in LIST_FILTERS.items()],
        default=ListFilter.OPEN.value,
    )
