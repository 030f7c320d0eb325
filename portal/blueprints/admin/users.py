"""Users for the administrator: list, create, change details and role, deactivate and reactivate,
reset the password; and the hand-over of a contact person's whole caseload.

Every change is in the audit log through the session hooks (the password hash is masked there).
Nothing is deleted: a deactivated account stays, with its history. A new user gets an invitation
e-mail with a single-use link to choose a password (the default), or a temporary password. A
temporary password is shown once, on the page that answers the POST (not after a redirect: it
must not travel in the session cookie or be stored anywhere), and the page is not cached.
"""

from __future__ import annotations

from datetime import date

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from portal.audit_hooks import record_read
from portal.blueprints.admin import bp
from portal.blueprints.admin.user_forms import (
    INVITATION,
    TEMPORARY_PASSWORD,
    CaseloadHandoverForm,
    NewUserForm,
    RoleForm,
    UserDetailsForm,
    UserFilterForm,
)
from portal.blueprints.auth.passwords import send_invitation
from portal.blueprints.contacts.notifications import notify_caseload_handover
from portal.extensions import db
from portal.form_fields import ActionForm
from portal.labels import label
from portal.models import (
    ContactAssignment,
    Employer,
    ExecutingOrganisation,
    FormSubmission,
    Municipality,
    Regime,
    Role,
    User,
)
from portal.notify import locale_of, notify
from portal.paging import page_links, requested_page
from portal.security import hash_password, roles_required
from portal.services import accounts
from portal.services.contacts import (
    HandoverError,
    active_contact_persons,
    assign_contact,
    caseload_counts,
    current_assignment,
    hand_over_caseload,
    routed_contact_person,
)
from portal.services.routing import NoRoute, executing_organisation, load_rules
from portal.services.sessions import end_other_sessions
from portal.services.submissions import remember, stored, stored_after_failure

PER_PAGE = 50
ACTIVE, INACTIVE = "actief", "inactief"

ACCOUNT_ERRORS = {
    "anonymised": _l("This account has been anonymised. It can no longer be changed."),
    "record_role": _l(
        "A worker or an employer user keeps this role: their records depend on it. Create a new "
        "account for another role."
    ),
    "own_role": _l("You cannot change your own role. Ask another administrator."),
    "caseload": _l(
        "This contact person still has workers or employers. Hand the caseload over first."
    ),
    "not_staff_role": _l("Choose one of the roles in the list."),
    "same_role": _l("This is already the role. Choose another one."),
    "already_inactive": _l("This account is already inactive."),
    "already_active": _l("This account is already active."),
    "own_account": _l(
        "You cannot do this for your own account. Change your own password on the "
        "change-password page."
    ),
    "inactive": _l("This account is inactive. Reactivate it first."),
    "employer_required": _l("Choose the employer of this employer user."),
    "regime_required": _l("Choose the regime of the worker."),
    "municipality_required": _l("Choose the municipality of the worker."),
}
# Deactivating oneself has its own sentence; the password one above does not fit.
DEACTIVATE_ERRORS = {
    **ACCOUNT_ERRORS,
    "own_account": _l("You cannot deactivate your own account. Ask another administrator."),
}

HANDOVER_ERRORS = {
    "not_a_contact_person": _l("Choose an active contact person."),
    "same_person": _l("Choose someone other than the contact person who hands over."),
    "future": _l("The date cannot be in the future: record the hand-over on the day."),
    "before_current": _l(
        "The date cannot be before a current assignment of this contact person started."
    ),
    "note_too_long": _l("Use at most 500 characters."),
    "empty_caseload": _l("This contact person has no workers or employers to hand over."),
}
HANDOVER_FIELDS = {
    "not_a_contact_person": "new_contact",
    "same_person": "new_contact",
    "future": "on",
    "before_current": "on",
    "note_too_long": "note",
    "empty_caseload": "leaving",
}


def _today() -> date:
    return date.today()


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _choices(members) -> list[tuple[str, str]]:
    return [(member.value, label(member)) for member in members]


def _member(value: str | None, allowed):
    """The enum member (role, regime) with this value if it is one of `allowed`, else None."""
    return next((member for member in allowed if member.value == value), None)


def _has_caseload(user: User) -> bool:
    return user.role == Role.CONTACT_PERSON and caseload_counts(db.session, user.id).total > 0


# --- List -------------------------------------------------------------------------------------


@bp.route("/gebruikers")
@roles_required(Role.ADMINISTRATOR)
def users():
    form = UserFilterForm(request.args)
    form.role.choices = [("", _("All roles")), *_choices(Role)]
    form.status.choices = [
        ("", _("Active and inactive")),
        (ACTIVE, _("Active")),
        (INACTIVE, _("Inactive")),
    ]
    conditions = []
    role = _member(form.role.data, Role)
    if role is not None:
        conditions.append(User.role == role)
    if form.status.data in (ACTIVE, INACTIVE):
        conditions.append(User.active.is_(form.status.data == ACTIVE))
    page, people, total = requested_page(), [], 0
    if form.validate():
        if form.q.data:
            text = form.q.data.lower()
            full_name = func.lower(User.first_name + " " + User.last_name)
            conditions.append(
                or_(
                    full_name.contains(text, autoescape=True),
                    func.lower(User.email).contains(text, autoescape=True),
                )
            )
        total = db.session.scalar(select(func.count(User.id)).where(*conditions))
        # Past the last page is the last page (and a huge number never reaches the OFFSET).
        page = min(page, max((total + PER_PAGE - 1) // PER_PAGE, 1))
        people = db.session.scalars(
            select(User)
            .where(*conditions)
            .options(joinedload(User.employer), joinedload(User.executing_organisation))
            .order_by(User.last_name, User.first_name, User.id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
        ).all()
    args = {key: request.args[key] for key in ("q", "role", "status") if request.args.get(key)}
    return render_template(
        "admin/users/index.html",
        form=form,
        people=people,
        total=total,
        **page_links("admin.users", page, total, PER_PAGE, **args),
    )


# --- Create -----------------------------------------------------------------------------------


def _organisations() -> list[ExecutingOrganisation]:
    return list(
        db.session.scalars(select(ExecutingOrganisation).order_by(ExecutingOrganisation.name))
    )


def _employers() -> list[Employer]:
    return list(db.session.scalars(select(Employer).order_by(Employer.name)))


def _details_choices(form: UserDetailsForm) -> None:
    form.organisation.choices = [(0, _("None")), *((o.id, o.name) for o in _organisations())]
    form.employer.choices = [(0, _("None")), *((e.id, e.name) for e in _employers())]


def _new_user_choices(form: NewUserForm) -> None:
    _details_choices(form)
    form.role.choices = [("", _("Choose a role")), *_choices(Role)]
    form.regime.choices = [("", _("Choose a regime")), *_choices(Regime)]
    form.municipality.choices = [
        (0, _("Choose a municipality")),
        *(
            (m.id, m.name)
            for m in db.session.scalars(select(Municipality).order_by(Municipality.name))
        ),
    ]
    form.contact_person.choices = [
        (0, _("By the routing (recommended)")),
        *((person.id, _contact_label(person)) for person in active_contact_persons(db.session)),
    ]


def _contact_label(person: User) -> str:
    if person.executing_organisation is None:
        return person.full_name
    return f"{person.full_name} ({person.executing_organisation.name})"


def _chosen(model, field):
    """The record chosen in a select (None for "none"); an error at the field if it is gone."""
    if not field.data:
        return None
    record = db.session.get(model, field.data)
    if record is None:
        field.errors.append(_("Choose one of the options in the list."))
    return record


def _routed_contact(form: NewUserForm, regime: Regime, municipality: Municipality) -> User | None:
    """The contact person the administrator chose, else the one the routing gives; None with an
    error at the field when there is none (the administrator then chooses one)."""
    if form.contact_person.data:
        chosen = db.session.get(User, form.contact_person.data)
        if chosen is None or chosen.role != Role.CONTACT_PERSON or not chosen.active:
            form.contact_person.errors.append(_("Choose an active contact person."))
            return None
        return chosen
    try:
        organisation = executing_organisation(
            regime.value, municipality.name, load_rules(db.session)
        )
    except NoRoute:
        form.contact_person.errors.append(
            _(
                "The routing table has no executing organisation for this regime and "
                "municipality. Choose a contact person yourself."
            )
        )
        return None
    contact = routed_contact_person(db.session, organisation)
    if contact is None:
        form.contact_person.errors.append(
            _(
                "%(organisation)s has no active contact person. Choose a contact person yourself.",
                organisation=organisation,
            )
        )
    return contact


def _create(form: NewUserForm) -> tuple[User, User | None, str | None] | None:
    """The account (and for a worker the profile and the contact person) in one transaction, with
    its temporary password (None when the person is invited); None with the form's errors set
    when it was refused or not stored."""
    role = _member(form.role.data, Role)
    if role is None:
        form.role.errors.append(_("Choose a role."))
        return None
    if form.access.data not in (INVITATION, TEMPORARY_PASSWORD):
        form.access.errors.append(_("Choose how the person gets in."))
        return None
    organisation = (
        _chosen(ExecutingOrganisation, form.organisation) if role in accounts.STAFF_ROLES else None
    )
    employer = _chosen(Employer, form.employer) if role == Role.EMPLOYER else None
    regime = municipality = None
    if role == Role.WORKER:
        regime = _member(form.regime.data, Regime)
        municipality = _chosen(Municipality, form.municipality)
    missing = accounts.missing_for_role(
        role,
        employer_id=employer.id if employer else None,
        regime=regime.value if regime else None,
        municipality_id=municipality.id if municipality else None,
    )
    for name, code in missing.items():
        if not form[name].errors:
            form[name].errors.append(str(ACCOUNT_ERRORS[code]))
    if accounts.email_in_use(db.session, form.email_address.data):
        form.email_address.errors.append(_("There is already an account with this e-mail address."))
    if any(field.errors for field in form):
        return None
    contact = _routed_contact(form, regime, municipality) if role == Role.WORKER else None
    if role == Role.WORKER and contact is None:
        return None
    invited = form.access.data != TEMPORARY_PASSWORD
    # Invited: a secret nobody knows, so no password logs in until the link is used.
    password = accounts.unusable_password() if invited else accounts.temporary_password()
    try:
        user = accounts.create_account(
            db.session,
            form.new_account(
                role,
                employer=employer,
                organisation=organisation,
                regime=regime,
                municipality=municipality,
                in_doelgroepregister=form.in_doelgroepregister.data,
            ),
            password_hash=hash_password(password),
            must_change_password=not invited,
        )
        if contact is not None:
            assign_contact(
                db.session,
                contact_person=contact,
                starts_on=_today(),
                worker=user,
                recorded_by=current_user,
            )
        remember(
            db.session,
            form.submission.data,
            url_for("admin.user_detail", user_id=user.id),
            reference=INVITATION if invited else TEMPORARY_PASSWORD,
        )
        db.session.commit()
    except accounts.AccountError as error:  # checked above; only a concurrent change gets here
        db.session.rollback()
        if "email" in error.problems:
            form.email_address.errors.append(
                _("There is already an account with this e-mail address.")
            )
        else:
            form.form_errors.append(
                _(
                    "The user has not been saved. What you filled in is still in the form; "
                    "please try again."
                )
            )
        return None
    except SQLAlchemyError:
        db.session.rollback()
        form.form_errors.append(
            _(
                "The user has not been saved. What you filled in is still in the form; please "
                "try again."
            )
        )
        return None
    return user, contact, None if invited else password


def _already_created(earlier: FormSubmission):
    if earlier.reference == INVITATION:
        flash(
            _(
                "This user had already been created and invited. Send a new invitation if the "
                "e-mail got lost."
            ),
            "info",
        )
    else:
        flash(
            _(
                "This user had already been created. The temporary password was shown then; "
                "reset the password if it got lost."
            ),
            "info",
        )
    return redirect(earlier.location)


def _password_page(user: User, password: str, *, created: bool, contact: User | None = None):
    """The one time the temporary password is shown; the browser must not keep the page."""
    response = make_response(
        render_template(
            "admin/users/password.html",
            person=user,
            password=password,
            created=created,
            contact=contact,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def new_user():
    form = NewUserForm()
    _new_user_choices(form)
    if form.validate_on_submit():
        earlier = stored(db.session, form.submission.data)
        if earlier is not None:
            return _already_created(earlier)
        created = _create(form)
        if created is None:
            earlier = stored_after_failure(db.session, form.submission.data)
            if earlier is not None:  # the same form, sent twice at once: the other one stored it
                return _already_created(earlier)
        else:
            user, contact, password = created
            if password is not None:
                return _password_page(user, password, created=True, contact=contact)
            flash(_("%(name)s has been created.", name=user.full_name), "success")
            send_invitation(user, by=current_user)  # after the commit; it says how it went
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/users/new.html", form=form)


# --- One user ---------------------------------------------------------------------------------


def _details_form(user: User, *, from_request: bool = False) -> UserDetailsForm:
    """The details form with what was sent, or (formdata=None, also on another form's POST)
    with the stored values."""
    if from_request:
        form = UserDetailsForm()
    else:
        form = UserDetailsForm(
            formdata=None,
            data={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email_address": user.email,
                "phone": user.phone,
                "organisation": user.executing_organisation_id or 0,
                "employer": user.employer_id or 0,
            },
        )
    _details_choices(form)
    return form


def _role_form(user: User, *, from_request: bool = False) -> RoleForm:
    form = RoleForm() if from_request else RoleForm(formdata=None)
    form.role.choices = [
        ("", _("Choose a role")),
        *_choices(role for role in accounts.STAFF_ROLES if role != user.role),
    ]
    return form


def _render_detail(
    user: User,
    *,
    details_form: UserDetailsForm | None = None,
    role_form: RoleForm | None = None,
    status: int = 200,
):
    caseload = caseload_counts(db.session, user.id) if user.role == Role.CONTACT_PERSON else None
    has_caseload = caseload is not None and caseload.total > 0
    assignment = current_assignment(db.session, worker=user) if user.role == Role.WORKER else None
    return (
        render_template(
            "admin/users/detail.html",
            person=user,
            details_form=details_form if details_form is not None else _details_form(user),
            role_form=role_form if role_form is not None else _role_form(user),
            action_form=ActionForm(),
            caseload=caseload,
            assignment=assignment,
            change_blocked=_message(accounts.change_error(user)),
            role_blocked=_message(
                accounts.role_change_error(current_user, user, None, has_caseload)
            ),
            deactivate_blocked=_message(
                accounts.deactivate_error(current_user, user, has_caseload),
                DEACTIVATE_ERRORS,
            )
            if user.active
            else None,
            reactivate_blocked=_message(accounts.reactivate_error(user))
            if not user.active
            else None,
            reset_blocked=_message(accounts.reset_password_error(current_user, user)),
            staff_roles=accounts.STAFF_ROLES,
        ),
        status,
    )


def _message(code: str | None, messages=ACCOUNT_ERRORS) -> str | None:
    return str(messages[code]) if code else None


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def user_detail(user_id: int):
    """The account, and the form for its details (name, address, phone, organisation/employer)."""
    user = _user_or_404(user_id)
    form = _details_form(user, from_request=request.method == "POST")
    if request.method == "GET":
        if user.role == Role.WORKER:
            record_read("user_account", user.id, user.id)
        return _render_detail(user, details_form=form)
    blocked = accounts.change_error(user)
    if blocked:
        flash(str(ACCOUNT_ERRORS[blocked]), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    if form.validate_on_submit():
        organisation = (
            _chosen(ExecutingOrganisation, form.organisation)
            if user.role in accounts.STAFF_ROLES
            else user.executing_organisation
        )
        employer = _chosen(Employer, form.employer) if user.role == Role.EMPLOYER else user.employer
        for name, code in accounts.missing_for_role(
            user.role, employer_id=employer.id if employer else None
        ).items():
            if name in form and not form[name].errors:
                form[name].errors.append(str(ACCOUNT_ERRORS[code]))
        if accounts.email_in_use(db.session, form.email_address.data, except_user_id=user.id):
            form.email_address.errors.append(
                _("There is already an account with this e-mail address.")
            )
        if not any(field.errors for field in form):
            try:
                user.first_name = form.first_name.data
                user.last_name = form.last_name.data
                user.email = accounts.normal_email(form.email_address.data)
                user.phone = form.phone.data or None
                user.executing_organisation = organisation
                user.employer = employer
                db.session.commit()
            except SQLAlchemyError:
                db.session.rollback()
                form.form_errors.append(_("The changes have not been saved. Please try again."))
            else:
                flash(_("The details have been saved."), "success")
                return redirect(url_for("admin.user_detail", user_id=user.id))
    return _render_detail(user, details_form=form)


@bp.route("/gebruikers/<int:user_id>/rol", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = _role_form(user, from_request=True)
    if form.validate_on_submit():
        new_role = _member(form.role.data, Role)
        code = (
            accounts.role_change_error(current_user, user, new_role, _has_caseload(user))
            if new_role is not None
            else "not_staff_role"
        )
        if code is None:
            old_role = user.role
            try:
                user.role = new_role
                db.session.commit()
            except SQLAlchemyError:
                db.session.rollback()
                form.form_errors.append(_("The role has not been changed. Please try again."))
            else:
                flash(
                    _(
                        "The role of %(name)s is now %(role)s (was %(old)s).",
                        name=user.full_name,
                        role=label(new_role),
                        old=label(old_role),
                    ),
                    "success",
                )
                return redirect(url_for("admin.user_detail", user_id=user.id))
        else:
            form.role.errors.append(str(ACCOUNT_ERRORS[code]))
    return _render_detail(user, role_form=form)


def _end_sessions(user: User, reason: str) -> int:
    return end_other_sessions(db.session, user, None, reason)


@bp.route("/gebruikers/<int:user_id>/deactiveren", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def deactivate_user(user_id: int):
    """The account stays with its history; the person can no longer log in, and every session
    they have open ends now."""
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.user_detail", user_id=user.id))
    code = accounts.deactivate_error(current_user, user, _has_caseload(user))
    if code is not None:
        flash(str(DEACTIVATE_ERRORS[code]), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    try:
        user.active = False
        _end_sessions(user, "deactivated")
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        flash(_("The account has not been deactivated. Please try again."), "error")
    else:
        flash(
            _(
                "%(name)s can no longer log in. The account and its history stay.",
                name=user.full_name,
            ),
            "success",
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/gebruikers/<int:user_id>/activeren", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def reactivate_user(user_id: int):
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.user_detail", user_id=user.id))
    code = accounts.reactivate_error(user)
    if code is not None:
        flash(str(ACCOUNT_ERRORS[code]), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    try:
        user.active = True
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        flash(_("The account has not been reactivated. Please try again."), "error")
    else:
        flash(_("%(name)s can log in again.", name=user.full_name), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/gebruikers/<int:user_id>/uitnodigen", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def invite_user(user_id: int):
    """E-mail a single-use link to choose a password (a new one ends the earlier ones)."""
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.user_detail", user_id=user.id))
    if not user.active or user.anonymised_on is not None:
        flash(_("This account is inactive. Reactivate it first."), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    send_invitation(user, by=current_user)
    return redirect(url_for("admin.user_detail", user_id=user.id))


def _reset_notice(user: User) -> tuple[str, str]:
    """The message about the reset, in the user's language; never the password itself. Workers
    in plain language (B1)."""
    with force_locale(locale_of(user)):
        if user.role == Role.WORKER:
            subject = _("You have a new password for the portal")
            paragraphs = [
                _("Hello %(name)s", name=user.first_name) + ",",
                _(
                    "The administrator of the portal made a new password for you. You get this "
                    "password from us in person. We never send it by e-mail."
                ),
                _("Log in with this password. Then choose your own password."),
                _("Did you not ask for a new password? Call your contact person."),
            ]
        else:
            subject = _("Your password for the portal has been reset")
            paragraphs = [
                _(
                    "An administrator has reset your password for the portal. You receive the "
                    "temporary password in person, never by e-mail."
                ),
                _(
                    "You have been logged out everywhere. At your next log-in you choose your "
                    "own password."
                ),
                _("Did you not expect this? Contact the administrator of the portal."),
            ]
    return subject, "\n\n".join(paragraphs)


@bp.route("/gebruikers/<int:user_id>/wachtwoord", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def reset_password(user_id: int):
    """A new temporary password, shown once; the user must choose their own at the next log-in,
    every open session ends, and the user gets a message (without the password)."""
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.user_detail", user_id=user.id))
    code = accounts.reset_password_error(current_user, user)
    if code is not None:
        flash(str(ACCOUNT_ERRORS[code]), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    password = accounts.temporary_password()
    try:
        user.password_hash = hash_password(password)
        user.must_change_password = True
        _end_sessions(user, "password_reset")
        subject, body = _reset_notice(user)
        notify(db.session, user, subject, body, url_for("auth.change_password"))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        flash(_("The password has not been reset. Please try again."), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return _password_page(user, password, created=False)


# --- Hand-over of a whole caseload ------------------------------------------------------------


def _caseload_choices(form: CaseloadHandoverForm) -> dict[int, User]:
    """Who can hand over (everyone who serves someone now, with the counts) and who can take
    over (the active contact persons)."""
    people = db.session.scalars(
        select(User)
        .where(
            User.id.in_(
                select(ContactAssignment.contact_person_id).where(
                    ContactAssignment.ends_on.is_(None)
                )
            )
        )
        .order_by(User.last_name, User.first_name)
    ).all()
    leaving = {}
    choices = [(0, _("Choose a contact person"))]
    for person in people:
        counts = caseload_counts(db.session, person.id)
        leaving[person.id] = person
        choices.append(
            (
                person.id,
                _(
                    "%(name)s (%(workers)s, %(employers)s)",
                    name=person.full_name,
                    workers=ngettext("%(num)d worker", "%(num)d workers", counts.workers),
                    employers=ngettext("%(num)d employer", "%(num)d employers", counts.employers),
                ),
            )
        )
    form.leaving.choices = choices
    form.new_contact.choices = [
        (0, _("Choose a contact person")),
        *((person.id, _contact_label(person)) for person in active_contact_persons(db.session)),
    ]
    return leaving


@bp.route("/overdracht", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def caseload_handover():
    """Move every worker and employer of a contact person (who leaves, or changes job) to
    another one in one go; everyone concerned gets a message. All of it, or nothing."""
    form = CaseloadHandoverForm()
    leaving_people = _caseload_choices(form)
    if request.method == "GET":
        form.on.data = _today()
        form.leaving.data = request.args.get("van", 0, type=int)
    elif form.validate_on_submit():
        leaving = leaving_people.get(form.leaving.data)
        new_contact = db.session.get(User, form.new_contact.data) if form.new_contact.data else None
        if leaving is None:
            form.leaving.errors.append(_("Choose the contact person who hands over."))
        if new_contact is None:
            form.new_contact.errors.append(_("Choose the new contact person."))
        if leaving is not None and new_contact is not None:
            try:
                result = hand_over_caseload(
                    db.session,
                    leaving=leaving,
                    new_contact=new_contact,
                    on=form.on.data,
                    note=form.note.data,
                    by=current_user,
                    today=_today(),
                )
                notify_caseload_handover(
                    db.session,
                    result,
                    leaving=leaving,
                    new=new_contact,
                    on=form.on.data,
                    by=current_user,
                )
                db.session.commit()
            except HandoverError as error:
                db.session.rollback()
                form[HANDOVER_FIELDS[error.code]].errors.append(str(HANDOVER_ERRORS[error.code]))
            except SQLAlchemyError:
                db.session.rollback()
                form.form_errors.append(
                    _("The hand-over has not been saved. Nothing has moved. Please try again.")
                )
            else:
                flash(
                    _(
                        "%(new)s is now the contact person of %(workers)s and %(employers)s of "
                        "%(old)s. Open reports moved: %(reports)d. Open help requests moved: "
                        "%(help)d. Everyone concerned has been sent a message.",
                        new=new_contact.full_name,
                        old=leaving.full_name,
                        workers=ngettext("%(num)d worker", "%(num)d workers", result.workers),
                        employers=ngettext(
                            "%(num)d employer", "%(num)d employers", result.employers
                        ),
                        reports=result.moved_reports,
                        help=result.moved_help_requests,
                    ),
                    "success",
                )
                return redirect(url_for("admin.user_detail", user_id=leaving.id))
    return render_template("admin/users/handover.html", form=form)
