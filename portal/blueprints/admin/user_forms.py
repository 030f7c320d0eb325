"""Forms for the administration of users and the hand-over of a whole caseload.

The shape of a value is checked here; rules that need the database or the acting administrator
(an address already used, a role that may not change) in the views, through
portal.services.accounts and portal.services.contacts.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp

from portal.blueprints.help.forms import PHONE_PATTERN
from portal.form_fields import OnceOnly, PortalForm, record_id
from portal.models import Role
from portal.services import accounts
from portal.services.account_tokens import INVITATION_DAYS
from portal.services.accounts import INVITATION_LANGUAGES
from portal.services.contacts import NOTE_MAX

EMAIL_MAX = 254
# How a new account gets in: an e-mail with a link to choose a password, or a temporary password
# the administrator passes on.
INVITATION, TEMPORARY_PASSWORD = "uitnodiging", "tijdelijk-wachtwoord"
LANGUAGE_NAMES = {"nl": _l("Dutch"), "en": _l("English")}


def strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _name(label, max_length: int) -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[
            DataRequired(message=_l("Fill in this field.")),
            Length(max=max_length, message=_l("Use at most %(max)d characters.")),
        ],
        render_kw={"maxlength": max_length, "autocomplete": "off"},
    )


def _record_choice(label, description=None) -> SelectField:
    """A choice of a record by id; 0 is "none". Checked against the database in the view."""
    return SelectField(
        label, description=description, coerce=record_id, validate_choice=False, default=0
    )


class UserFilterForm(PortalForm):
    """The filter of the users list; a GET form, so a filtered page has a URL."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Name or e-mail address"),
        filters=[strip],
        validators=[Optional(), Length(max=100, message=_l("Use at most %(max)d characters."))],
        render_kw={"autocomplete": "off"},
    )
    # An unknown value is ignored by the view, not an error: it is only a filter.
    role = SelectField(_l("Role"), choices=[], default="", validate_choice=False)
    status = SelectField(_l("Status"), choices=[], default="", validate_choice=False)


def language_field() -> RadioField:
    """The language of the invitation e-mail, and so of the account (`User.locale`)."""
    return RadioField(
        _l("Language of the invitation"),
        description=_l("The e-mail and, after logging in, the portal are in this language."),
        choices=[(code, LANGUAGE_NAMES[code]) for code in INVITATION_LANGUAGES],
        default=INVITATION_LANGUAGES[0],
        validate_choice=False,  # an unknown value becomes Dutch (accounts.invitation_language)
    )


class PersonForm(PortalForm):
    """Name, e-mail address and phone of someone else (never the user's own: no autocomplete)."""

    first_name = _name(_l("First name"), 100)
    last_name = _name(_l("Last name"), 150)
    # Not named "email": that name is the user's own address (autocomplete), this is someone
    # else's.
    email_address = EmailField(
        _l("E-mail address"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Fill in an e-mail address.")),
            Length(max=EMAIL_MAX, message=_l("Use at most %(max)d characters.")),
            Email(
                message=_l("Fill in an e-mail address, for example naam@voorbeeld.nl."),
                check_deliverability=False,
            ),
        ],
        render_kw={"maxlength": EMAIL_MAX, "autocomplete": "off"},  # not the administrator's own
    )
    phone = StringField(
        _l("Phone number"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=40, message=_l("Use at most %(max)d characters.")),
            Regexp(PHONE_PATTERN, message=_l("Fill in a phone number, for example 06 12345678.")),
        ],
        render_kw={"maxlength": 40, "autocomplete": "off"},
    )

    def new_account(self, role: Role, **details) -> accounts.NewAccount:
        """The account these fields describe (with the invitation language if the form has one)."""
        language = self.locale.data if "locale" in self else None
        return accounts.NewAccount(
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            email=self.email_address.data,
            phone=self.phone.data,
            role=role,
            locale=accounts.invitation_language(language),
            **details,
        )


class UserDetailsForm(PersonForm):
    """Name, address, phone and where the person works (the organisation or the employer)."""

    organisation = _record_choice(
        _l("Executing organisation"),
        description=_l("For staff: the organisation the person works for."),
    )
    employer = _record_choice(
        _l("Employer"), description=_l("For employer users: the company they work for.")
    )
    submit = SubmitField(_l("Save"))


class NewUserForm(OnceOnly, UserDetailsForm):
    """A new account. A worker also needs a regime and a municipality, which decide the
    executing organisation and so the contact person."""

    # Choices are checked in the view, with the portal's own message.
    role = SelectField(
        _l("Role"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a role."))],
    )
    regime = SelectField(
        _l("Regime"),
        choices=[],
        default="",
        validate_choice=False,
        description=_l("For workers."),
    )
    municipality = _record_choice(_l("Municipality"), description=_l("For workers."))
    in_doelgroepregister = BooleanField(_l("In the doelgroepregister (for workers)"))
    contact_person = _record_choice(
        _l("Contact person"),
        description=_l(
            "For workers. Usually leave this to the routing: the contact person of the "
            "executing organisation with the fewest workers."
        ),
    )
    access = RadioField(
        _l("How does the person get in?"),
        choices=[
            (INVITATION, _l("Send an invitation by e-mail")),
            (TEMPORARY_PASSWORD, _l("Show a temporary password")),
        ],
        default=INVITATION,
        validate_choice=False,  # checked in the view, with the portal's own message
        description=_l(
            "The invitation has a link to choose a password; it works once, for %(days)d days. "
            "A temporary password is shown once, on the next page; you pass it on in person.",
            days=INVITATION_DAYS,
        ),
    )
    locale = language_field()
    submit = SubmitField(_l("Create user"))


class RoleForm(PortalForm):
    role = SelectField(
        _l("New role"),
        choices=[],
        validate_choice=False,  # checked in the view, with the portal's own message
        validators=[InputRequired(message=_l("Choose a role."))],
    )
    submit = SubmitField(_l("Change role"))


class CaseloadHandoverForm(PortalForm):
    leaving = _record_choice(_l("Contact person who hands over"))
    new_contact = _record_choice(_l("New contact person"))
    on = DateField(
        _l("From"),
        validators=[InputRequired(message=_l("Fill in a date, for example 1 March 2026."))],
    )
    note = TextAreaField(
        _l("Note for the new contact person"),
        description=_l(
            "The same note goes with every worker and employer. The workers and employers do not "
            "see it. Do not write anything about an illness."
        ),
        validators=[Length(max=NOTE_MAX, message=_l("Use at most 500 characters."))],
    )
    submit = SubmitField(_l("Hand over the whole caseload"))
