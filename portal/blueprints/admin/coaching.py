"""Administrator screen for the jobcoach report frequency per executing organisation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from portal.blueprints.admin import bp
from portal.blueprints.coaching.forms import REPORT_FREQUENCIES
from portal.extensions import db
from portal.form_fields import PortalForm
from portal.models import ExecutingOrganisation, ReportFrequency, Role
from portal.security import roles_required
from portal.services.coaching import REPORT_GRACE_DAYS


class _FrequencyForm(PortalForm):
    submit = SubmitField(_l("Save"))


def _field_name(organisation: ExecutingOrganisation) -> str:
    return f"organisation_{organisation.id}"


def _frequency_form(organisations: list[ExecutingOrganisation]) -> PortalForm:
    """One select per organisation, labelled with its name, all saved at once."""

    class FrequencyForm(_FrequencyForm):
        pass

    for organisation in organisations:
        setattr(
            FrequencyForm,
            _field_name(organisation),
            SelectField(
                organisation.name,
                choices=[(value.value, label) for value, label in REPORT_FREQUENCIES.items()],
                validators=[InputRequired(message=_l("Choose a frequency."))],
            ),
        )
    return FrequencyForm()


@bp.route("/jobcoaching", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def report_frequency():
    organisations = list(
        db.session.scalars(select(ExecutingOrganisation).order_by(ExecutingOrganisation.name))
    )
    form = _frequency_form(organisations)
    fields = [(organisation, form[_field_name(organisation)]) for organisation in organisations]
    if request.method == "GET":
        for organisation, field in fields:
            field.data = organisation.jobcoach_report_frequency.value
    elif form.validate_on_submit():
        for organisation, field in fields:
            organisation.jobcoach_report_frequency = ReportFrequency(field.data)
        db.session.commit()
        flash(_("The report frequencies have been saved."), "success")
        return redirect(url_for("admin.report_frequency"))
    return render_template(
        "admin/report_frequency.html", form=form, fields=fields, grace_days=REPORT_GRACE_DAYS
    )
