"""The user's own log-in sessions: the list (device, last seen), ending one or all others, and
"stay logged in" for the inactivity warning (portal/static/js/session-timeout.js)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from portal.blueprints.auth import bp
from portal.extensions import db
from portal.form_fields import MAX_RECORD_ID, PortalForm
from portal.models import UserSession
from portal.security import SESSION_TOKEN_KEY, login_required
from portal.services.sessions import (
    ENDED_BY_USER,
    active_session,
    browser_and_system,
    end_other_sessions,
    end_session_by_id,
    hash_token,
    idle_limit,
    sessions_of,
    touch_session,
)


class EndSessionForm(PortalForm):
    session_id = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_RECORD_ID)])


class EndOtherSessionsForm(PortalForm):
    submit = SubmitField()


def describe_device(user_agent: str | None) -> str:
    """A readable name for the device of a session, e.g. "Firefox op Windows"."""
    browser, system = browser_and_system(user_agent)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s", system=system)
    return _("Unknown device")


@bp.app_context_processor
def inject_idle_seconds():
    """The logged-in user's inactivity limit in seconds, for the warning in base.html."""
    if not current_user.is_authenticated:
        return {}
    limit = idle_limit(current_user.role, current_app.config)
    return {"idle_seconds": int(limit.total_seconds())}


@bp.route("/mijn-sessies", methods=["GET"])
@login_required
def my_sessions():
    limit = idle_limit(current_user.role, current_app.config)
    rows = sessions_of(db.session, current_user, limit)
    db.session.commit()  # sessions found idle are ended now
    this_one = hash_token(session.get(SESSION_TOKEN_KEY) or "")
    return render_template(
        "auth/sessions.html",
        rows=[(row, describe_device(row.user_agent), row.token_hash == this_one) for row in rows],
        idle_duration=format_timedelta(limit, threshold=1),
        form=EndOtherSessionsForm(),
    )


@bp.route("/mijn-sessies/beeindigen", methods=["POST"])
@login_required
def end_my_session():
    """End one of the user's own sessions; another user's session id is a 404."""
    form = EndSessionForm()
    if not form.validate_on_submit():
        abort(404)
    ended = end_session_by_id(db.session, current_user, form.session_id.data, ENDED_BY_USER)
    if ended is None:
        abort(404)
    db.session.commit()
    if ended.token_hash == hash_token(session.get(SESSION_TOKEN_KEY) or ""):
        lang = session.get("lang")
        logout_user()
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("You are logged out."), "info")
        return redirect(url_for("auth.login"))
    flash(_("Logged out on %(device)s.", device=describe_device(ended.user_agent)), "success")
    return redirect(url_for("auth.my_sessions"))


@bp.route("/mijn-sessies/andere-beeindigen", methods=["POST"])
@login_required
def end_my_other_sessions():
    if EndOtherSessionsForm().validate_on_submit():
        ended = end_other_sessions(
            db.session, current_user, session.get(SESSION_TOKEN_KEY), ENDED_BY_USER
        )
        db.session.commit()
        flash(
            ngettext(
                "Logged out on %(num)d other device.", "Logged out on %(num)d other devices.", ended
            ),
            "success",
        )
    return redirect(url_for("auth.my_sessions"))


@bp.route("/sessie/verlengen", methods=["POST"])
@login_required
def extend_session():
    """ "Stay logged in": the session counts as used now. CSRF-protected like every POST."""
    found: UserSession | None = active_session(
        db.session, current_user.id, session.get(SESSION_TOKEN_KEY)
    )
    if found is None:
        abort(404)
    touch_session(db.session, found)
    db.session.commit()
    return "", 204
