"""Two-step verification: the second step of a log-in, setting it up, recovery codes.

After a right password, a user with two-step verification is not logged in yet: the session only
remembers who passed the first step, for a few minutes. The code page is rate-limited per account
(failed tries only), so six digits cannot be guessed. Users of a role that must have it (see
`portal.services.two_factor.REQUIRED_ROLES`) reach nothing else until it is set up.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import segno
from flask import flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_user
from markupsafe import Markup, escape

from portal.blueprints.auth import bp
from portal.blueprints.auth.forms import (
    EnrolForm,
    LoginForm,
    NewRecoveryCodesForm,
    SecondStepForm,
    SwitchOffForm,
)
from portal.extensions import config_limit, db, limiter
from portal.form_fields import ActionForm
from portal.models import User
from portal.notify import locale_of, notify
from portal.security import SESSION_TOKEN_KEY, login_required, public
from portal.services import two_factor
from portal.services.sessions import start_session

logger = logging.getLogger(__name__)

PENDING_KEY = "two_factor_login"
PENDING_SECONDS = 5 * 60  # between the password and the code
ISSUER = "Banenafspraak portaal"
LOW_ON_RECOVERY_CODES = 3


def complete_login(user: User, target: str | None):
    """Log the user in: a fresh server-side session (no session fixation), their language."""
    chosen_language = session.get("lang")
    session.clear()
    session[SESSION_TOKEN_KEY] = start_session(db.session, user, request.headers.get("User-Agent"))
    db.session.commit()
    login_user(user)
    # A language picked on the log-in page wins over the stored preference.
    session["lang"] = chosen_language or user.locale or "nl"
    return redirect(target or url_for("home.dashboard"))


def start_second_step(user: User, target: str | None):
    """The password was right; the code comes next. Nobody is logged in yet."""
    session[PENDING_KEY] = {"user": user.id, "since": time.time(), "next": target}
    return redirect(url_for("auth.second_step"))


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    return user if user is not None and user.active and user.two_factor_enabled else None


def _code_account_key() -> str:
    """Failed codes count per account, whether in the log-in or on the settings page."""
    if current_user.is_authenticated:
        return f"two-factor:{current_user.id}"
    pending = session.get(PENDING_KEY)
    return f"two-factor:{pending.get('user') if isinstance(pending, dict) else None}"


def _code_failed(_response) -> bool:
    return bool(g.get("code_failed"))


def _limited(view):
    view = limiter.limit(
        config_limit("TWO_FACTOR_LIMIT_PER_ACCOUNT"),
        key_func=_code_account_key,
        methods=["POST"],
        deduct_when=_code_failed,
    )(view)
    return limiter.limit(
        config_limit("LOGIN_LIMIT_PER_IP"), methods=["POST"], deduct_when=_code_failed
    )(view)


def _now() -> datetime:
    return datetime.now(UTC)


def _wrong_code(form) -> None:
    g.code_failed = True
    form.code.errors.append(
        _("This code is not right or was used already. Wait for the next code in the app.")
    )


@bp.route("/inloggen/code", methods=["GET", "POST"])
@_limited
@public
def second_step():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    user = _pending_user()
    if user is None:
        # No password step (or too long ago): the log-in form, here, with what happened.
        form = LoginForm()
        if session.pop(PENDING_KEY, None) is not None:
            form.form_errors.append(_("Logging in took too long. Please log in again."))
        return render_template("auth/login.html", form=form)
    form = SecondStepForm()
    if form.validate_on_submit():
        passed = two_factor.check_code(db.session, user, form.code.data, _now())
        if passed is None:
            db.session.rollback()
            logger.warning("two-step code refused at log-in for account %s", user.id)
            _wrong_code(form)
        else:
            target = session[PENDING_KEY].get("next")
            if passed == two_factor.Passed.RECOVERY_CODE:
                _recovery_code_used(user)
            response = complete_login(user, target)
            if passed == two_factor.Passed.RECOVERY_CODE:
                _say_recovery_codes_left(user)
            return response
    return render_template("auth/second_step.html", form=form)


def _recovery_code_used(user: User) -> None:
    """A recovery code is used when the phone is gone; the person hears of it, in case it was
    not them."""
    with force_locale(locale_of(user)):
        notify(
            db.session,
            user,
            _("A recovery code was used to log in"),
            _(
                "Somebody logged in to your account with one of your recovery codes. Was this "
                "not you? Contact the employer service point straight away."
            ),
        )


def _say_recovery_codes_left(user: User) -> None:
    left = two_factor.recovery_codes_left(db.session, user)
    flash(
        ngettext(
            "You logged in with a recovery code. You have %(num)d recovery code left.",
            "You logged in with a recovery code. You have %(num)d recovery codes left.",
            left,
        ),
        "warning" if left <= LOW_ON_RECOVERY_CODES else "info",
    )


def qr_code(uri: str) -> Markup:
    """The otpauth address as an inline SVG QR code, drawn on the server (no script, no
    third-party service that would see the secret)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    label = escape(_("QR code for the authenticator app"))
    # segno's SVG holds only drawing (the address is in the path data); the label is escaped.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S704


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type over and to read out by a screen reader."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _enrolment_page(form: EnrolForm):
    secret = two_factor.start_enrolment(current_user)
    db.session.commit()
    uri = two_factor.provisioning_uri(secret, current_user.email, ISSUER)
    response = make_response(
        render_template(
            "auth/two_factor_enrol.html",
            form=form,
            restart=ActionForm(),
            qr=qr_code(uri),
            secret=grouped(secret),
            required=two_factor.is_required(current_user.role),
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


def _status_page(new_codes_form=None, off_form=None):
    return render_template(
        "auth/two_factor.html",
        new_codes_form=new_codes_form or NewRecoveryCodesForm(prefix="new"),
        off_form=off_form or SwitchOffForm(prefix="off"),
        codes_left=two_factor.recovery_codes_left(db.session, current_user),
        required=two_factor.is_required(current_user.role),
    )


def _codes_page(codes: list[str], *, first_time: bool):
    """The one time the recovery codes are shown; the browser must not keep the page."""
    response = make_response(
        render_template("auth/recovery_codes.html", codes=codes, first_time=first_time)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/tweestapsverificatie", methods=["GET"])
@login_required
def two_factor_settings():
    if not current_user.two_factor_enabled:
        return _enrolment_page(EnrolForm())
    return _status_page()


@bp.route("/tweestapsverificatie/instellen", methods=["POST"])
@_limited
@login_required
def enrol_two_factor():
    if current_user.two_factor_enabled:
        return redirect(url_for("auth.two_factor_settings"))
    form = EnrolForm()
    if form.validate_on_submit():
        codes = two_factor.finish_enrolment(db.session, current_user, form.code.data, _now())
        if codes is not None:
            db.session.commit()
            return _codes_page(codes, first_time=True)
        db.session.rollback()
        _wrong_code(form)
    return _enrolment_page(form)


@bp.route("/tweestapsverificatie/opnieuw", methods=["POST"])
@login_required
def restart_two_factor():
    """A new secret while setting up, e.g. when the QR code went into the wrong app."""
    if not current_user.two_factor_enabled and ActionForm().validate_on_submit():
        two_factor.restart_enrolment(current_user)
        db.session.commit()
        flash(_("There is a new QR code. Remove the old entry from the app."), "info")
    return redirect(url_for("auth.two_factor_settings"))


@bp.route("/tweestapsverificatie/herstelcodes", methods=["POST"])
@_limited
@login_required
def new_recovery_codes():
    if not current_user.two_factor_enabled:
        return redirect(url_for("auth.two_factor_settings"))
    form = NewRecoveryCodesForm(prefix="new")
    if form.validate_on_submit():
        if two_factor.check_code(db.session, current_user, form.code.data, _now()) is not None:
            codes = two_factor.replace_recovery_codes(db.session, current_user, _now())
            db.session.commit()
            return _codes_page(codes, first_time=False)
        db.session.rollback()
        _wrong_code(form)
    return _status_page(new_codes_form=form)


@bp.route("/tweestapsverificatie/uitzetten", methods=["POST"])
@_limited
@login_required
def switch_off_two_factor():
    """Only for who opted in: a role that must have it cannot switch it off."""
    if not current_user.two_factor_enabled or two_factor.is_required(current_user.role):
        return redirect(url_for("auth.two_factor_settings"))
    form = SwitchOffForm(prefix="off")
    if form.validate_on_submit():
        if two_factor.check_code(db.session, current_user, form.code.data, _now()) is not None:
            two_factor.switch_off(db.session, current_user)
            db.session.commit()
            flash(_("Two-step verification is off."), "success")
            return redirect(url_for("auth.two_factor_settings"))
        db.session.rollback()
        _wrong_code(form)
    return _status_page(off_form=form)
