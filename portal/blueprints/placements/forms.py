from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.form_fields import PortalForm, record_id

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
