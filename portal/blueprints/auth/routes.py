"""Log-in with rate limits per account and per IP (failed attempts only); no user enumeration."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user
from sqlalchemy import func, select

from portal.blueprints.auth import bp
from portal.blueprints.auth.forms import (
    ChangePasswordForm,
    LanguageForm,
    LoginForm,
    LogoutForm,
)
from portal.blueprints.auth.passwords import policy_error
from portal.blueprints.auth.two_factor import complete_login, start_second_step
from portal.extensions import config_limit, db, limiter
from portal.models import User
from portal.security import (
    SESSION_TOKEN_KEY,
    hash_password,
    login_required,
    public,
    verify_password,
)
from portal.services.sessions import end_other_sessions, end_session
from portal.services.two_factor import needs_enrolment


def _account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()


def _login_failed(_response) -> bool:
    return bool(g.get("login_failed"))


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths, so the log-in page cannot be used as an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


# What a user can reach before choosing their own password (after a temporary one from an
# administrator) or, in a role that needs it, before setting up two-step verification.
OPEN_BEFORE_ACCOUNT_STEPS = frozenset(
    {"auth.change_password", "auth.logout", "auth.set_language", "auth.extend_session", "static"}
)
OPEN_BEFORE_TWO_FACTOR = OPEN_BEFORE_ACCOUNT_STEPS | {
    "auth.two_factor_settings",
    "auth.enrol_two_factor",
    "auth.restart_two_factor",
}


@bp.before_app_request
def require_account_steps():
    """Every other page first sends the user to choose their own password, then (staff who see
    personal data) to set up two-step verification: no personal data before that."""
    if request.endpoint is None or not current_user.is_authenticated:
        return None
    if current_user.must_change_password:
        if request.endpoint not in OPEN_BEFORE_ACCOUNT_STEPS:
            return redirect(url_for("auth.change_password"))
    elif needs_enrolment(current_user) and request.endpoint not in OPEN_BEFORE_TWO_FACTOR:
        return redirect(url_for("auth.two_factor_settings"))
    return None


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(
    config_limit("LOGIN_LIMIT_PER_ACCOUNT"),
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_login_failed,
)
@limiter.limit(
    config_limit("LOGIN_LIMIT_PER_IP"),
    methods=["POST"],
    deduct_when=_login_failed,
)
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        password_ok = verify_password(user.password_hash if user else None, form.password.data)
        if user is not None and password_ok and user.active:
            target = safe_next(form.next.data)
            if user.two_factor_enabled:
                return start_second_step(user, target)
            return complete_login(user, target)
        g.login_failed = True
        # One message for every failure, so the page does not tell which accounts exist.
        form.form_errors.append(_("The e-mail address or password is not correct."))
        form.password.data = ""
    return render_template("auth/login.html", form=form)


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        lang = session.get("lang")
        end_session(db.session, session.get(SESSION_TOKEN_KEY), "logout")
        db.session.commit()
        logout_user()
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord-wijzigen", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every other session of the user; this one stays logged in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The current password is not correct."))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(_("Choose a different password from the current one."))
        elif problem := policy_error(form.new_password.data, current_user):
            form.new_password.errors.append(problem)
        else:
            current_user.password_hash = hash_password(form.new_password.data)
            current_user.must_change_password = False
            ended = end_other_sessions(
                db.session, current_user, session.get(SESSION_TOKEN_KEY), "password_changed"
            )
            db.session.commit()
            if ended:
                flash(
                    ngettext(
                        "Your password is changed. You are logged out on %(num)d other device.",
                        "Your password is changed. You are logged out on %(num)d other devices.",
                        ended,
                    ),
                    "success",
                )
            else:
                flash(_("Your password is changed."), "success")
            return redirect(url_for("home.dashboard"))
    for name in ("current_password", "new_password", "repeat_password"):
        form[name].data = ""  # passwords are never sent back to the browser
    return render_template("auth/change_password.html", form=form)


@bp.route("/taal", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("home.index"))
