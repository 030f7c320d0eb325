"""Forgotten password and the single-use links (invitation, reset) that set a password.

"Forgotten password" answers the same whether the address has an account or not, and looking the
address up, storing the link and sending the e-mail all happen after the answer, so neither the
page nor its timing tells which addresses exist.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from portal.blueprints.auth import bp
from portal.blueprints.auth.forms import ForgottenPasswordForm, SetPasswordForm
from portal.extensions import config_limit, db, limiter
from portal.models import Role, TokenPurpose, User
from portal.notify import (
    MailSettings,
    OutgoingMail,
    locale_of,
    notify,
    queue_after_commit,
    send_email,
)
from portal.security import hash_password, public
from portal.services.account_tokens import (
    INVITATION_DAYS,
    RESET_HOURS,
    check_token,
    issue_token,
    use_token,
)
from portal.services.passwords import password_problem
from portal.services.sessions import end_other_sessions

logger = logging.getLogger(__name__)

POLICY_MESSAGES = {
    "too_short": lambda: _("Use at least 12 characters."),
    "too_long": lambda: _("Use at most 128 characters."),
    "common": lambda: _(
        "Many people use this password, so it is easy to guess. Choose another one: a few "
        "words in a row that you remember easily work well."
    ),
    "personal": lambda: _("Do not use your name or e-mail address in your password."),
}


def policy_error(password: str, user: User) -> str | None:
    """The sentence that says why this password is refused, or None."""
    code = password_problem(password, personal=(user.first_name, user.last_name, user.email))
    return POLICY_MESSAGES[code]() if code else None


def _base_url() -> str:
    # The configured address, not the request's Host header: a forged Host must not end up in
    # the e-mail as the place to type a password.
    return current_app.config.get("PORTAL_BASE_URL") or request.host_url


def _link(token: str) -> str:
    return _base_url().rstrip("/") + url_for("auth.set_password", token=token)


# Work done after the answer: "forgotten password" looks the address up, stores the link and sends
# the e-mail here, so the request takes the same steps whether the address has an account or not.
# One thread: the requests are rate-limited, and the links of one address are made in order.
_after_answer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="password-reset")
_pending: set[Future] = set()


def wait_for_background_work(timeout: float = 30) -> None:
    """Let the work queued after earlier answers finish (tests; a worker that stops)."""
    futures_wait(list(_pending), timeout=timeout)


def _after_the_answer(email: str) -> None:
    app = current_app._get_current_object()
    base_url, path, remote_addr = _base_url(), request.path, request.remote_addr

    def work() -> None:
        # A request context of its own: the link is built on the configured address, and the
        # audit log records the anonymous visitor and their IP address as for the request.
        with app.test_request_context(
            path,
            base_url=base_url,
            environ_base={"REMOTE_ADDR": remote_addr},
        ):
            try:
                _send_reset_link(email)
            except Exception:  # noqa: BLE001 - logged; the page already answered
                db.session.rollback()
                logger.exception("password reset link not sent")
            finally:
                db.session.remove()

    future = _after_answer.submit(work)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


def _send_reset_link(email: str) -> None:
    """Only an active account gets a link (the newest one; earlier ones stop working)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active or user.anonymised_on is not None:
        return
    token = issue_token(db.session, user, TokenPurpose.PASSWORD_RESET, timedelta(hours=RESET_HOURS))
    mail = _reset_mail(user, token)
    db.session.commit()
    send_email(MailSettings.from_config(current_app.config), mail)


def _reset_mail(user: User, token: str) -> OutgoingMail:
    with force_locale(locale_of(user)):
        worker = user.role == Role.WORKER
        lines = [
            _("Hello %(name)s,", name=user.first_name),
            _(
                "You asked for a new password for the Banenafspraak portal. Click the link to "
                "choose one:"
            )
            if worker
            else _(
                "You asked for a new password for the Banenafspraak portal. Use the link to "
                "choose one:"
            ),
            _link(token),
            _("The link works once, for %(hours)d hour.", hours=RESET_HOURS),
            _("Did you not ask for this? Then you do not have to do anything.")
            if worker
            else _("Did you not ask for this? Then no action is needed."),
        ]
        return OutgoingMail(user.email, _("Your new password for the portal"), "\n\n".join(lines))


def invitation_mail(user: User, token: str, by: User) -> OutgoingMail:
    """The invitation e-mail in the new user's language (B1 and "je" for workers)."""
    with force_locale(locale_of(user)):
        if user.role == Role.WORKER:
            lines = [
                _("Hello %(name)s,", name=user.first_name),
                _(
                    "%(by)s made an account for you in the Banenafspraak portal. There you see "
                    "who your contact person is, you fill in evaluations and you can ask for help.",
                    by=by.full_name,
                ),
                _("Click the link and choose a password:"),
            ]
        else:
            lines = [
                _("Dear %(name)s,", name=user.full_name),
                _(
                    "%(by)s made an account for you in the Banenafspraak portal of the employer "
                    "service point. Use the link to choose your password:",
                    by=by.full_name,
                ),
            ]
        lines += [
            _link(token),
            _("The link works once and for %(days)d days.", days=INVITATION_DAYS),
        ]
        return OutgoingMail(
            user.email, _("Your account for the Banenafspraak portal"), "\n\n".join(lines)
        )


def send_invitation(user: User, by: User) -> None:
    """A new invitation link (the earlier ones stop working), e-mailed after the commit; the
    outcome is flashed."""
    try:
        token = issue_token(
            db.session, user, TokenPurpose.INVITATION, timedelta(days=INVITATION_DAYS), by=by
        )
        queue_after_commit(db.session, invitation_mail(user, token, by))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        flash(_("The invitation has not been sent. Please try again."), "error")
    else:
        flash(_("An invitation has been sent to %(email)s.", email=user.email), "success")


def _reset_account_key() -> str:
    return "reset-account:" + (request.form.get("email") or "").strip().lower()


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(
    config_limit("RESET_LIMIT_PER_ACCOUNT"), key_func=_reset_account_key, methods=["POST"]
)
@limiter.limit(config_limit("RESET_LIMIT_PER_IP"), methods=["POST"])
@public
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        _after_the_answer(form.email.data.strip().lower())
        return render_template("auth/forgotten_password_sent.html")
    return render_template("auth/forgotten_password.html", form=form)


INVALID_LINK = {
    "unknown": lambda: _("This link is not right. Copy the whole link from the e-mail."),
    "used": lambda: _("This link has already been used. A link works only once."),
    "replaced": lambda: _("A newer link has been sent. Use the link in the newest e-mail."),
    "expired": lambda: _("This link has expired."),
    "inactive": lambda: _("This account is not active. Contact the employer service point."),
}


@bp.route("/wachtwoord-instellen/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    """Choose a password with an invitation or reset link; it logs out every session."""
    found = check_token(db.session, token)
    if not found.ok:
        invitation = found.token is not None and found.token.purpose == TokenPurpose.INVITATION
        return render_template(
            "auth/link_invalid.html", message=INVALID_LINK[found.state](), invitation=invitation
        ), 410 if found.state in ("used", "replaced", "expired") else 404
    user = found.token.user
    form = SetPasswordForm()
    if form.validate_on_submit():
        problem = policy_error(form.new_password.data, user)
        if problem:
            form.new_password.errors.append(problem)
        elif not use_token(db.session, found.token):
            db.session.rollback()
            return render_template(
                "auth/link_invalid.html", message=INVALID_LINK["used"](), invitation=False
            ), 410
        else:
            user.password_hash = hash_password(form.new_password.data)
            user.must_change_password = False
            end_other_sessions(db.session, user, None, "password_set")
            if found.token.purpose == TokenPurpose.PASSWORD_RESET:
                with force_locale(locale_of(user)):
                    notify(
                        db.session,
                        user,
                        _("Your password has been changed"),
                        _(
                            "Your password for the portal was changed with a reset link, and "
                            "you were logged out everywhere. Was this not you? Contact the "
                            "employer service point straight away."
                        ),
                    )
            db.session.commit()
            flash(_("Your password is saved. You can log in now."), "success")
            return redirect(url_for("auth.login"))
    form.new_password.data = form.repeat_password.data = ""
    return render_template("auth/set_password.html", form=form, token=token, user=user)
