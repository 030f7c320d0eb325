"""Settings the administrator changes; stored moments of existing placements stay as they are."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.blueprints.admin import bp
from portal.blueprints.admin.forms import ScheduleSettingsForm, month_list
from portal.extensions import db
from portal.models import Role
from portal.security import roles_required
from portal.services import settings as portal_settings
from portal.services.settings import SettingError, reminder_lead_months, schedule_defaults


@bp.route("/instellingen", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def schedule_settings():
    form = ScheduleSettingsForm()
    if request.method == "GET":
        defaults = schedule_defaults(db.session)
        form.at_trial_end.data = defaults.at_trial_end
        form.months_after_start.data = ", ".join(map(str, defaults.months_after_start))
        form.months_before_temporary_end.data = defaults.months_before_temporary_end
        form.yearly_after_permanent.data = defaults.yearly_after_permanent
        form.lead_months.data = ", ".join(map(str, reminder_lead_months(db.session)))
    if form.validate_on_submit():
        values = {
            portal_settings.AT_TRIAL_END: form.at_trial_end.data,
            portal_settings.MONTHS_AFTER_START: month_list(form.months_after_start.data),
            portal_settings.MONTHS_BEFORE_TEMPORARY_END: form.months_before_temporary_end.data,
            portal_settings.YEARLY_AFTER_PERMANENT: form.yearly_after_permanent.data,
            portal_settings.REMINDER_LEAD_MONTHS: month_list(form.lead_months.data),
        }
        fields = {
            portal_settings.MONTHS_AFTER_START: form.months_after_start,
            portal_settings.REMINDER_LEAD_MONTHS: form.lead_months,
            portal_settings.MONTHS_BEFORE_TEMPORARY_END: form.months_before_temporary_end,
        }
        try:
            for key, value in values.items():
                portal_settings.set_setting(db.session, key, value)
            db.session.commit()
        except SettingError as error:
            db.session.rollback()
            target = fields.get(error.key)
            message = _("This value is not possible: use whole months from 1 to 60.")
            if target is not None:
                target.errors.append(message)
            else:
                form.form_errors.append(message)
        else:
            flash(
                _("The settings have been saved. They apply to new plans from now on."), "success"
            )
            return redirect(url_for("admin.schedule_settings"))
    return render_template("admin/settings.html", form=form)
