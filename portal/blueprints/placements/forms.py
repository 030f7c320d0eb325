from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from portal.form_fields import OnceOnly, PortalForm, kvk_check, postcode_check, record_id

DATE_MESSAGE = _l("Fill in a date, for example 1 March 2026.")


def _date(label, required=False, description=None):
    validators = [DataRequired(message=DATE_MESSAGE)] if required else [Optional()]
    return DateField(label, validators=validators, description=description)


class PlacementDetailsForm(PortalForm):
    """What the contact person keeps up to date on a placement."""

    workplace = StringField(_l("Workplace or department"), validators=[Optional(), Length(max=200)])
    supervisor_id = SelectField(_l("Supervisor"), coerce=record_id, validators=[Optional()])
    jobcoach_id = SelectField(_l("Jobcoach"), coerce=record_id, validators=[Optional()])
    hours_per_week = DecimalField(
        _l("Hours per week"),
        places=1,
        validators=[Optional(), NumberRange(min=1, max=40, message=_l("Fill in 1 to 40 hours."))],
    )
    loonwaarde_percent = IntegerField(
        _l("Loonwaarde (%)"),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Fill in 0 to 100."))],
    )
    loonwaarde_measured_on = _date(_l("Loonwaarde measured on"))
    loonkostensubsidie = BooleanField(_l("Loonkostensubsidie or loondispensatie is paid"))
    route = SelectField(_l("Route"), validators=[InputRequired()])
    praktijkroute_outcome = SelectField(
        _l("Outcome of the loonwaarde measurement"), validators=[Optional()]
    )
    permanent_intention = SelectField(
        _l("Does the employer intend to offer a permanent contract?"), validators=[Optional()]
    )
    buddy_name = StringField(
        _l("Buddy or werkbegeleider at the workplace"), validators=[Optional(), Length(max=200)]
    )
    buddy_harrie_trained = BooleanField(_l("The buddy had HARRIE training"))
    self_found = BooleanField(_l("The worker found this job themselves"))
    self_found_how = StringField(
        _l("How was the job found?"), validators=[Optional(), Length(max=500)]
    )
    submit = SubmitField(_l("Save"))


class NewPlacementForm(PlacementDetailsForm):
    worker_id = SelectField(
        _l("Worker"),
        coerce=record_id,
        validators=[InputRequired(message=_l("Choose a worker."))],
    )
    employer_id = SelectField(
        _l("Employer"),
        coerce=record_id,
        validators=[InputRequired(message=_l("Choose an employer."))],
    )
    phase = SelectField(_l("It starts with"), validators=[InputRequired()])
    start_date = _date(_l("Start date"), required=True)
    trial_end = _date(
        _l("Last day of the trial placement"),
        description=_l("Leave empty for the usual two months."),
    )
    contract_end = _date(
        _l("End date of the temporary contract"),
        description=_l("Required for a temporary contract."),
    )
    submit = SubmitField(_l("Start placement"))


class EmployerUpdateForm(PortalForm):
    """What an employer user may change on its own company's placement."""

    workplace = StringField(_l("Workplace or department"), validators=[Optional(), Length(max=200)])
    supervisor_id = SelectField(_l("Supervisor"), coerce=record_id, validators=[Optional()])
    hours_per_week = DecimalField(
        _l("Hours per week"),
        places=1,
        validators=[Optional(), NumberRange(min=1, max=40, message=_l("Fill in 1 to 40 hours."))],
    )
    buddy_name = StringField(
        _l("Buddy or werkbegeleider at the workplace"), validators=[Optional(), Length(max=200)]
    )
    buddy_harrie_trained = BooleanField(_l("The buddy had HARRIE training"))
    submit = SubmitField(_l("Save"))


class PhaseChangeForm(PortalForm):
    new_phase = SelectField(_l("Next step"), validators=[InputRequired()])
    effective_on = _date(_l("Starts on"), required=True)
    contract_end = _date(
        _l("End date of the temporary contract"),
        description=_l("Required for a temporary contract."),
    )
    confirm_chain = BooleanField(_l("I have seen the warning about the contract chain"))
    submit = SubmitField(_l("Save the next step"))


class EndPlacementForm(PortalForm):
    end_date = _date(_l("Last working day"), required=True)
    main_reason = SelectField(
        _l("Main reason"), validators=[InputRequired(message=_l("Choose the main reason."))]
    )
    other_reasons = SelectMultipleField(_l("Other reasons"), validators=[Optional()])
    explanation = TextAreaField(
        _l("Explanation"),
        validators=[Optional(), Length(max=2000)],
        description=_l(
            "Required for the reason 'Other'. Do not write "
            "anything about an illness or a diagnosis."
        ),
    )
    initiator = SelectField(_l("Who ended it?"), validators=[InputRequired()])
    cause = SelectField(_l("Where did the cause lie?"), validators=[InputRequired()])
    lessons = TextAreaField(
        _l("Lessons for the next match"), validators=[Optional(), Length(max=2000)]
    )
    follow_up_owner_id = SelectField(
        _l("Who follows the worker up now?"), coerce=record_id, validators=[InputRequired()]
    )
    submit = SubmitField(_l("End placement"))


class ContractDecisionForm(PortalForm):
    decision = SelectField(_l("Your decision"), validators=[InputRequired()])
    new_end = _date(
        _l("End date of the new contract"), description=_l("Only when the contract is renewed.")
    )
    main_reason = SelectField(
        _l("Main reason"), validators=[Optional()], description=_l("Only when the contract ends.")
    )
    cause = SelectField(_l("Where did the cause lie?"), validators=[Optional()])
    note = TextAreaField(
        _l("Note"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Do not write anything about an illness or a diagnosis."),
    )
    submit = SubmitField(_l("Record decision"))


class HoursStepForm(PortalForm):
    """A step in the gentle build-up of hours: from this date, this many hours a week."""

    from_date = _date(_l("From"), required=True)
    hours = DecimalField(
        _l("Hours per week"),
        places=1,
        validators=[
            InputRequired(message=_l("Fill in 1 to 40 hours.")),
            NumberRange(min=1, max=40, message=_l("Fill in 1 to 40 hours.")),
        ],
    )
    submit = SubmitField(_l("Add step"))


class SelfFoundJobFields(PortalForm, OnceOnly):
    """The job itself, the same for a worker and an employer."""

    start_date = _date(_l("First working day"), required=True)
    phase = RadioField(
        _l("What kind of contract?"),
        choices=[],
        validators=[InputRequired(message=_l("Choose the kind of contract."))],
    )
    trial_end = _date(
        _l("Last day of the trial placement"),
        description=_l("Leave empty for the usual two months."),
    )
    contract_end = _date(
        _l("End date of the temporary contract"),
        description=_l("Required for a temporary contract."),
    )
    hours_per_week = DecimalField(
        _l("Hours per week"),
        places=1,
        validators=[Optional(), NumberRange(min=1, max=40, message=_l("Fill in 1 to 40 hours."))],
    )
    workplace = StringField(_l("Job or department"), validators=[Optional(), Length(max=200)])
    how_found = TextAreaField(
        _l("How was the job found? (optional)"),
        validators=[Optional(), Length(max=500, message=_l("Use at most 500 characters."))],
    )


class WorkerSelfFoundForm(SelfFoundJobFields):
    """A worker registers the job they found: where they work."""

    employer_name = StringField(
        _l("Name of the company"),
        validators=[DataRequired(message=_l("Fill in the name of the company.")), Length(max=200)],
    )
    street = StringField(
        _l("Street and house number of your work"),
        validators=[DataRequired(message=_l("Fill in the street and number.")), Length(max=200)],
    )
    postcode = StringField(
        _l("Postcode"),
        validators=[DataRequired(message=_l("Fill in a postcode like 1234 AB.")), postcode_check],
    )
    city = StringField(
        _l("Town or city"),
        validators=[DataRequired(message=_l("Fill in the town or city.")), Length(max=120)],
    )
    kvk_number = StringField(
        _l("KvK number (if you know it)"),
        description=_l("It is on your contract or your pay slip. Leave empty if you do not know."),
        validators=[Optional(), kvk_check],
    )
    submit = SubmitField(_l("Register my job"))


class EmployerSelfFoundForm(SelfFoundJobFields):
    """An employer registers someone from the target group they hired without the WSP."""

    worker_first_name = StringField(
        _l("First name of the worker"),
        validators=[DataRequired(message=_l("Fill in the first name.")), Length(max=100)],
    )
    worker_last_name = StringField(
        _l("Last name of the worker"),
        validators=[DataRequired(message=_l("Fill in the last name.")), Length(max=150)],
    )
    worker_email = EmailField(
        _l("E-mail address of the worker"),
        validators=[
            DataRequired(message=_l("Fill in an e-mail address.")),
            Email(message=_l("Fill in an e-mail address.")),
            Length(max=254),
        ],
        # someone else's address: the browser must not offer the employer's own
        render_kw={"autocomplete": "off"},
    )
    regime = RadioField(
        _l("Where does the worker come from?"),
        choices=[],
        validators=[InputRequired(message=_l("Choose where the worker comes from."))],
    )
    municipality = SelectField(
        _l("Municipality where the worker lives"),
        coerce=record_id,
        validators=[DataRequired(message=_l("Choose a municipality."))],
    )
    submit = SubmitField(_l("Register the job"))
