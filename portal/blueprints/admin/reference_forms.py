"""Forms for the reference-data screens: organisations, municipalities, the routing table,
employers, end reasons and melding categories.

The shape of a value (length, digits, a postcode) is checked here; rules that need the database
(a name already used, a duplicate rule, a gap in the routing table) in the views, through
portal.services.reference.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    URLField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from portal.blueprints.coaching.forms import REPORT_FREQUENCIES
from portal.blueprints.help.forms import PHONE_PATTERN
from portal.form_fields import OnceOnly, PortalForm, kvk_check, postcode_check, record_id
from portal.services.reference import valid_code, valid_web_address

END_REASON_CODE_MAX = 60
CATEGORY_CODE_MAX = 40
SORT_MAX = 9999


def strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _text(
    label, max_length: int, *, required=True, description=None, extra=(), **render_kw
) -> StringField:
    validators = [
        DataRequired(message=_l("Fill in this field.")) if required else Optional(),
        Length(max=max_length, message=_l("Use at most %(max)d characters.")),
        *extra,
    ]
    return StringField(
        label,
        description=description,
        filters=[strip],
        validators=validators,
        render_kw={"maxlength": max_length, **render_kw},
    )


def _phone(label):
    return StringField(
        label,
        filters=[strip],
        validators=[
            Optional(),
            Length(max=40, message=_l("Use at most %(max)d characters.")),
            Regexp(PHONE_PATTERN, message=_l("Fill in a phone number, for example 06 12345678.")),
        ],
        render_kw={"maxlength": 40, "autocomplete": "off"},  # not the administrator's own number
    )


# --- Executing organisations ------------------------------------------------------------------


class OrganisationForm(PortalForm):
    name = _text(_l("Name"), 120, autocomplete="off")
    phone = _phone(_l("Phone number"))
    # Not named "email": that name is for one's own address (autocomplete), this is the office's.
    office_email = EmailField(
        _l("E-mail address"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
            Email(message=_l("Fill in an e-mail address.")),
        ],
        render_kw={"maxlength": 200, "autocomplete": "off"},
    )
    jobcoach_report_frequency = SelectField(
        _l("Jobcoach report frequency"),
        choices=[(value.value, label) for value, label in REPORT_FREQUENCIES.items()],
        validators=[InputRequired(message=_l("Choose a frequency."))],
    )
    submit = SubmitField(_l("Save"))


class NewOrganisationForm(OnceOnly, OrganisationForm):
    submit = SubmitField(_l("Add organisation"))


# --- Municipalities ---------------------------------------------------------------------------


def _web_address(form, field) -> None:
    if field.data and not valid_web_address(field.data):
        raise ValidationError(_l("Fill in a web address that starts with https://."))


class MunicipalityForm(PortalForm):
    name = _text(_l("Name"), 120, autocomplete="off")
    buurtteam_name = _text(
        _l("Name of the buurtteam"),
        200,
        required=False,
        description=_l("Where workers with problems outside work are referred to."),
    )
    buurtteam_phone = _phone(_l("Phone number of the buurtteam"))
    buurtteam_url = URLField(
        _l("Website of the buurtteam or the municipality"),
        description=_l("For example: https://www.woerden.nl"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300, message=_l("Use at most %(max)d characters.")),
            _web_address,
        ],
        render_kw={"maxlength": 300},
    )
    submit = SubmitField(_l("Save"))


class NewMunicipalityForm(OnceOnly, MunicipalityForm):
    organisation = SelectField(
        _l("Executing organisation"),
        description=_l(
            "Workers from this municipality go to this organisation, whatever their regime, "
            "unless a more specific rule says otherwise (such as Wajong to UWV). You can refine "
            "this in the routing table."
        ),
        coerce=record_id,
        validate_choice=False,  # checked against the organisations in the view
        validators=[DataRequired(message=_l("Choose an organisation."))],
    )
    submit = SubmitField(_l("Add municipality"))


# --- Routing table ----------------------------------------------------------------------------


class RuleForm(OnceOnly, PortalForm):
    """A new rule. Empty regime or municipality (0) means "any"."""

    regime = SelectField(_l("Regime"), validate_choice=False)
    municipality = SelectField(_l("Municipality"), coerce=record_id, validate_choice=False)
    organisation = SelectField(
        _l("Executing organisation"),
        coerce=record_id,
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose an organisation."))],
    )
    submit = SubmitField(_l("Add rule"))

    def validate_regime(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a regime from the list."))

    def validate_municipality(self, field) -> None:
        if field.data is not None and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a municipality from the list."))


class RuleOrganisationForm(PortalForm):
    organisation = SelectField(
        _l("Executing organisation"),
        coerce=record_id,
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose an organisation."))],
    )
    submit = SubmitField(_l("Save"))


class DeleteRuleForm(PortalForm):
    confirm = BooleanField(
        _l("Yes, delete this rule"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    delete = SubmitField(_l("Delete rule"))  # not "submit": two forms on one page


# --- Employers --------------------------------------------------------------------------------


class EmployerSearchForm(PortalForm):
    """The search box of the list; a GET form, so a search result has a URL."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search by name, place or KvK number"),
        filters=[strip],
        validators=[Optional(), Length(max=200, message=_l("Use at most %(max)d characters."))],
        render_kw={"autocomplete": "off"},
    )


class EmployerForm(PortalForm):
    name = _text(_l("Name"), 200, autocomplete="off")
    kvk_number = _text(
        _l("KvK number"),
        20,
        required=False,  # a company registered with a self-found job may not have it yet
        description=_l(
            "8 digits, from the Chamber of Commerce (KvK). Leave it empty while it is not known."
        ),
        extra=[kvk_check],
        inputmode="numeric",
        autocomplete="off",
    )
    street = _text(_l("Street and house number"), 200, autocomplete="off")
    postcode = _text(_l("Postcode"), 20, extra=[postcode_check], autocomplete="off")
    city = _text(_l("Place"), 120, autocomplete="off")
    submit = SubmitField(_l("Save"))


class NewEmployerForm(OnceOnly, EmployerForm):
    submit = SubmitField(_l("Add employer"))


# --- End reasons and melding categories -------------------------------------------------------


def _code_field(max_length: int):
    def check(form, field) -> None:
        if field.data and not valid_code(field.data, max_length):
            raise ValidationError(
                _l("Use only lowercase letters, digits and underscores, for example: moved_away.")
            )

    return StringField(
        _l("Code"),
        description=_l(
            "A short code that never changes, used in the statistics: lowercase letters, "
            "digits and underscores. It cannot be changed later."
        ),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Fill in this field.")),
            Length(max=max_length, message=_l("Use at most %(max)d characters.")),
            check,
        ],
        render_kw={"maxlength": max_length, "autocomplete": "off", "spellcheck": "false"},
    )


def _sort_order():
    return IntegerField(
        _l("Order in lists"),
        description=_l("Lower numbers come first."),
        validators=[
            InputRequired(message=_l("Fill in a number from 0 to 9999.")),
            NumberRange(min=0, max=SORT_MAX, message=_l("Fill in a number from 0 to 9999.")),
        ],
        render_kw={"inputmode": "numeric"},
    )


def _label(label):
    return _text(label, 200, autocomplete="off")


def _needs_explanation():
    return BooleanField(_l("An explanation is required with this reason"))


def _outside_work():
    return BooleanField(_l("A problem outside work (the reporter is referred to the buurtteam)"))


# The code comes first in the new-record forms (fields keep their order of definition, and the
# error summary follows it), so those forms list their fields themselves.
class EndReasonForm(PortalForm):
    label_nl = _label(_l("Text in Dutch"))
    label_en = _label(_l("Text in English"))
    needs_explanation = _needs_explanation()
    sort_order = _sort_order()
    submit = SubmitField(_l("Save"))


class NewEndReasonForm(OnceOnly, PortalForm):
    code = _code_field(END_REASON_CODE_MAX)
    label_nl = _label(_l("Text in Dutch"))
    label_en = _label(_l("Text in English"))
    needs_explanation = _needs_explanation()
    sort_order = _sort_order()
    submit = SubmitField(_l("Add end reason"))


class CategoryForm(PortalForm):
    label_nl = _label(_l("Text in Dutch"))
    label_en = _label(_l("Text in English"))
    outside_work = _outside_work()
    sort_order = _sort_order()
    submit = SubmitField(_l("Save"))


class NewCategoryForm(OnceOnly, PortalForm):
    code = _code_field(CATEGORY_CODE_MAX)
    label_nl = _label(_l("Text in Dutch"))
    label_en = _label(_l("Text in English"))
    outside_work = _outside_work()
    sort_order = _sort_order()
    submit = SubmitField(_l("Add category"))


class ActiveForm(PortalForm):
    """Take an end reason or category out of the forms ("0"), or offer it again ("1")."""

    active = HiddenField(validators=[AnyOf(("0", "1"))])
