"""A contact person creates accounts: a worker for their own caseload, and a user of an employer
in their caseload. The person gets an invitation e-mail (in the chosen language) with a
single-use link to choose a password; until then no password logs in. Administrators create
accounts in the administration (/beheer/gebruikers/nieuw).

The account, the worker's contact assignment and the form's one-off key are committed together;
the invitation is a second step (portal.blueprints.auth.passwords.send_invitation), so a failed
e-mail never loses the account: the contact person sends the invitation again.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.blueprints.admin.user_forms import PersonForm
from portal.blueprints.auth.passwords import send_invitation
from portal.blueprints.contacts import bp
from portal.blueprints.contacts.account_forms import NewEmployerUserForm, NewWorkerForm
from portal.extensions import db
from portal.labels import label
from portal.models import Employer, FormSubmission, Municipality, Regime, Role, User
from portal.policy import can_register_employer_user
from portal.security import hash_password, roles_required
from portal.services import accounts
from portal.services.account_tokens import INVITATION_DAYS
from portal.services.contacts import assign_contact
from portal.services.submissions import remember, stored, stored_after_failure

PROBLEMS = {
    "email_in_use": _l("There is already an account with this e-mail address."),
    "email_required": _l("Fill in an e-mail address."),
    "regime_required": _l("Choose the regime of the worker."),
    "municipality_required": _l("Choose the municipality of the worker."),
    "employer_required": _l("Choose the employer of this employer user."),
}
# NewAccount's names for the fields where the forms' names differ.
FORM_FIELDS = {"email": "email_address"}


def _today() -> date:
    return date.today()


def _worker_choices(form: NewWorkerForm) -> None:
    form.regime.choices = [("", _("Choose a regime")), *((r.value, label(r)) for r in Regime)]
    form.municipality.choices = [
        (0, _("Choose a municipality")),
        *(
            (m.id, m.name)
            for m in db.session.scalars(select(Municipality).order_by(Municipality.name))
        ),
    ]


def _refused(form: PersonForm, problems: dict[str, str]) -> None:
    for name, code in problems.items():
        name = FORM_FIELDS.get(name, name)
        if name not in form:  # e.g. the employer, which is in the URL, not in the form
            form.form_errors.append(str(PROBLEMS[code]))
        elif not form[name].errors:
            form[name].errors.append(str(PROBLEMS[code]))


def _store(form: PersonForm, new: accounts.NewAccount, location) -> User | None:
    """Create the account (the worker assigned to the current contact person) and commit it with
    the form's key; None with the form's errors set when it was refused or not stored.
    `location(user)` is the page the form leads to, also when it is sent again."""
    problems = accounts.new_account_problems(db.session, new)
    if problems:
        _refused(form, problems)
        return None
    try:
        user = accounts.create_account(
            db.session,
            new,
            # Nobody knows this secret: no password logs in until the invitation link is used.
            password_hash=hash_password(accounts.unusable_password()),
            must_change_password=False,
        )
        if new.role == Role.WORKER:
            assign_contact(
                db.session,
                contact_person=current_user,
                starts_on=_today(),
                worker=user,
                recorded_by=current_user,
            )
        remember(db.session, form.submission.data, location(user))
        db.session.commit()
    except accounts.AccountError as error:  # an address taken in the meantime
        db.session.rollback()
        _refused(form, error.problems)
        return None
    except SQLAlchemyError:
        db.session.rollback()
        form.form_errors.append(
            _(
                "The account has not been saved. What you filled in is still in the form; "
                "please try again."
            )
        )
        return None
    return user


def _already_created(earlier: FormSubmission):
    flash(
        _(
            "This account had already been created and the invitation sent. Send a new "
            "invitation if the e-mail got lost."
        ),
        "info",
    )
    return redirect(earlier.location)


def _create_and_invite(form: PersonForm, new_account, location):
    """The common steps of both pages after a valid form: once only, create, invite, go on.
    None when the form is to be shown again (with its errors)."""
    earlier = stored(db.session, form.submission.data)
    if earlier is not None:
        return _already_created(earlier)
    new = new_account()
    if new is None:
        return None
    user = _store(form, new, location)
    if user is None:
        earlier = stored_after_failure(db.session, form.submission.data)
        # the same form, sent twice at once: the other one stored it
        return _already_created(earlier) if earlier is not None else None
    flash(_("The account of %(name)s has been created.", name=user.full_name), "success")
    send_invitation(user, by=current_user)  # after the commit; it says how it went
    return redirect(location(user))


@bp.route("/nieuwe-werknemer", methods=["GET", "POST"])
@roles_required(Role.CONTACT_PERSON)
def new_worker():
    """A new worker in the contact person's own caseload, invited by e-mail."""
    form = NewWorkerForm()
    _worker_choices(form)

    def new_account() -> accounts.NewAccount | None:
        regime = next((r for r in Regime if r.value == form.regime.data), None)
        municipality = db.session.get(Municipality, form.municipality.data)
        if regime is None:
            form.regime.errors.append(str(PROBLEMS["regime_required"]))
        if municipality is None:
            form.municipality.errors.append(_("Choose one of the options in the list."))
        if regime is None or municipality is None:
            return None
        return form.new_account(
            Role.WORKER,
            regime=regime,
            municipality=municipality,
            in_doelgroepregister=form.in_doelgroepregister.data,
        )

    if form.validate_on_submit():
        answer = _create_and_invite(
            form, new_account, lambda user: url_for("contacts.worker", worker_id=user.id)
        )
        if answer is not None:
            return answer
    return render_template("contacts/new_worker.html", form=form, invitation_days=INVITATION_DAYS)


@bp.route("/werkgever/<int:employer_id>/nieuwe-gebruiker", methods=["GET", "POST"])
@roles_required(Role.CONTACT_PERSON)
def new_employer_user(employer_id: int):
    """A new user of an employer in the contact person's caseload, invited by e-mail."""
    employer = db.get_or_404(Employer, employer_id)
    if not can_register_employer_user(db.session, current_user, employer):
        abort(403)
    form = NewEmployerUserForm()
    if form.validate_on_submit():
        answer = _create_and_invite(
            form,
            lambda: form.new_account(Role.EMPLOYER, employer=employer),
            lambda _user: url_for("contacts.employer", employer_id=employer.id),
        )
        if answer is not None:
            return answer
    return render_template(
        "contacts/new_employer_user.html",
        form=form,
        employer=employer,
        invitation_days=INVITATION_DAYS,
    )
