"""The worker edits their work profile and chooses, part by part, what the employer may see."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.profile import bp
from portal.blueprints.profile.forms import WorkProfileForm
from portal.extensions import db
from portal.models import ProfilePart, Role, WorkerProfile
from portal.security import roles_required
from portal.services.consent import set_consent, shared_parts

TEXT_FIELDS = ("strengths", "support_needs", "work_wishes")


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.WORKER)
def edit():
    profile: WorkerProfile | None = current_user.worker_profile
    form = WorkProfileForm()
    if request.method == "GET":
        for name in TEXT_FIELDS:
            form[name].data = getattr(profile, name) if profile else None
        for part in shared_parts(db.session, current_user.id):
            form[f"share_{part.value}"].data = True
    if form.validate_on_submit():
        if profile is None:
            flash(_("Your profile is not set up yet. Ask your contact person."), "error")
            return redirect(url_for("profile.edit"))
        for name in TEXT_FIELDS:
            setattr(profile, name, (form[name].data or "").strip() or None)
        set_consent(db.session, current_user, form.shared())
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("profile.edit"))
    return render_template("profile/edit.html", form=form, parts=list(ProfilePart))
