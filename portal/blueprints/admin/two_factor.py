"""An administrator resets a user's two-step verification after a lost phone.

The reset is a change of the account, so the audit log records who did it and when (the secret
itself is masked). The user is logged out everywhere and told; a role that needs two-step
verification sets it up again right after the next password log-in.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from portal.blueprints.admin import bp
from portal.extensions import db
from portal.form_fields import ActionForm
from portal.models import Role, User
from portal.notify import locale_of, notify
from portal.security import roles_required
from portal.services import two_factor
from portal.services.sessions import end_other_sessions


@bp.app_template_global()
def two_factor_required(user: User) -> bool:
    return two_factor.is_required(user.role)


def _tell(user: User) -> None:
    with force_locale(locale_of(user)):
        notify(
            db.session,
            user,
            _("Your two-step verification has been reset"),
            _(
                "An administrator has switched off two-step verification for your account, for "
                "example because a phone was lost. You have been logged out everywhere. At the "
                "next log-in you set it up again with the app on your phone. Did you not ask for "
                "this? Contact the employer service point straight away."
            ),
        )


@bp.route("/gebruikers/<int:user_id>/tweestapsverificatie-resetten", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def reset_two_factor(user_id: int):
    user = db.get_or_404(User, user_id)
    back = redirect(url_for("admin.user_detail", user_id=user.id))
    if not ActionForm().validate_on_submit():
        return back
    if user.id == current_user.id:
        flash(
            _("You cannot reset your own two-step verification. Ask another administrator."),
            "error",
        )
        return back
    if not user.two_factor_enabled:
        flash(_("Two-step verification is not on for this account."), "info")
        return back
    try:
        two_factor.switch_off(db.session, user)
        end_other_sessions(db.session, user, None, "two_factor_reset")
        _tell(user)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        flash(_("Two-step verification has not been reset. Please try again."), "error")
    else:
        flash(
            _(
                "Two-step verification of %(name)s is reset. They are logged out everywhere and "
                "set it up again at the next log-in.",
                name=user.full_name,
            ),
            "success",
        )
    return back
