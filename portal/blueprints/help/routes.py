"""Help requests: the form (also the fallback when the assistant is down), the confirmation, the
detail page for the requester and the contact person, the contact person's work on it, the list."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.audit_hooks import record_read
from portal.blueprints.chat.conversation import conversation_id, stored_transcript
from portal.blueprints.help import bp
from portal.blueprints.help.forms import (
    LIST_FILTERS,
    AnonymousHelpRequestForm,
    CloseForm,
    HelpRequestForm,
    ListFilterForm,
    NoteForm,
    ReopenForm,
    StartForm,
    TakeHelpRequestForm,
)
from portal.blueprints.help.notifications import notify_new_help_request, notify_status_change
from portal.blueprints.help.wording import (
    contact_time_label,
    contact_way_label,
    error_text,
    preference,
)
from portal.extensions import config_limit, db, limiter
from portal.models import (
    ContactTime,
    ContactWay,
    HelpRequest,
    HelpRequestChannel,
    HelpRequestNote,
    HelpRequestStatus,
    Role,
)
from portal.policy import (
    can_read_help_request_notes,
    can_request_help,
    can_take_help_request,
    can_view_help_request,
    can_work_on_help_request,
)
from portal.security import login_required, public, roles_required
from portal.services import help_requests as service
from portal.services import submissions
from portal.services.contacts import contact_person_for
from portal.services.help_requests import (
    ContactWayNotPossible,
    HelpRequestDraft,
    HelpRequestError,
    ListFilter,
    NoteMissing,
    OutcomeMissing,
    TextTooLong,
    create_help_request,
)

# Errors about the typed text belong under the form's text field; the others above the form.
TEXT_ERRORS = (OutcomeMissing, NoteMissing, TextTooLong)

WORDING = {
    "contact_way_label": contact_way_label,
    "contact_time_label": contact_time_label,
    "preference": preference,
}


@bp.app_template_global("help_preference")
def _help_preference(help_request: HelpRequest) -> str:
    """For the dashboards' tables, which the home blueprint renders."""
    return preference(help_request)


def _get_or_404(reference: str) -> HelpRequest:
    return db.one_or_404(select(HelpRequest).where(HelpRequest.reference == reference))


# Asking for help ---------------------------------------------------------------------------


def _help_request_form():
    """The form with the way of contact preselected by the account for a logged-in user (a
    visitor's is taken from what they fill in, unless they choose)."""
    if current_user.is_authenticated:
        form = HelpRequestForm(
            preferred_contact_way=service.default_contact_way(current_user).value
        )
        form.preferred_contact_way.description = (
            _(
                "Phone number: %(phone)s. E-mail address: %(email)s.",
                phone=current_user.phone,
                email=current_user.email,
            )
            if current_user.phone
            else _("E-mail address: %(email)s. No phone number is known.", email=current_user.email)
        )
        return form
    return AnonymousHelpRequestForm()


@bp.route("/hulpvraag/nieuw", methods=["GET", "POST"])
@limiter.limit(config_limit("HELP_REQUEST_LIMIT"), methods=["POST"])
@public
def new():
    if current_user.is_authenticated and not can_request_help(current_user):
        abort(403)
    form = _help_request_form()
    if request.method == "GET":
        # Prefilled from the chat page's fallback link when the assistant is down.
        form.subject.data = request.args.get("onderwerp", "")[:200]
        form.text.data = request.args.get("vraag", "")[:5000]
        form.attach_chat.data = "1" if request.args.get("gesprek") else ""
    if form.validate_on_submit():
        earlier = submissions.stored(db.session, form.submission.data)
        if earlier is not None:  # sent before and stored, although the answer got lost
            session["last_help_request"] = earlier.reference
            return redirect(earlier.location)
        help_request = _store(form)
        if help_request is not None:
            session["last_help_request"] = help_request.reference
            return redirect(url_for("help.sent"))
    contact = (
        contact_person_for(db.session, current_user) if current_user.is_authenticated else None
    )
    return render_template("help/new.html", form=form, contact=contact)


def _store(form: HelpRequestForm) -> HelpRequest | None:
    """The request and the contact person's message in one transaction; None (with the form's
    errors set or a flash) when it was refused or not stored."""
    transcript = stored_transcript(conversation_id()) if form.attach_chat.data else []
    draft = HelpRequestDraft(
        subject=form.subject.data,
        text=form.text.data,
        channel=HelpRequestChannel.FORM,
        transcript=transcript,
        preferred_contact_way=ContactWay(form.preferred_contact_way.data),
        preferred_time=ContactTime(form.preferred_time.data),
    )
    if isinstance(form, AnonymousHelpRequestForm):
        draft.requester_name = form.requester_name.data
        draft.requester_phone = form.requester_phone.data
        draft.requester_email = form.requester_email.data
    else:
        draft.requester = current_user
    try:
        help_request = create_help_request(db.session, draft)
        notify_new_help_request(db.session, help_request)
        submissions.remember(
            db.session, form.submission.data, url_for("help.sent"), help_request.reference
        )
        db.session.commit()
    except ContactWayNotPossible as error:
        db.session.rollback()
        form.preferred_contact_way.errors = [error_text(error)]
        return None
    except SQLAlchemyError:
        db.session.rollback()
        flash(_("Your help request could not be saved. Please try again."), "error")
        return None
    return help_request


@bp.route("/hulpvraag/verstuurd")
@public
def sent():
    reference = session.get("last_help_request")
    if not reference:
        return redirect(url_for("help.new"))
    return render_template("help/sent.html", help_request=_get_or_404(reference), **WORDING)


# The list for contact persons ----------------------------------------------------------------


@bp.route("/hulpvragen")
@roles_required(Role.CONTACT_PERSON)
def index():
    form = ListFilterForm(request.args)
    which = ListFilter(form.toon.data) if form.toon.data in set(ListFilter) else ListFilter.OPEN
    form.toon.data = which.value
    requests = service.contact_person_requests(db.session, current_user, which)
    total = service.count_contact_person_requests(db.session, current_user, which)
    return render_template(
        "help/index.html",
        form=form,
        which=which,
        which_label=LIST_FILTERS[which],
        requests=requests,
        total=total,
        **WORDING,
    )


# The detail page and the contact person's work ----------------------------------------------


@bp.route("/hulpvraag/<reference>")
@login_required
def detail(reference: str):
    help_request = _get_or_404(reference)
    if not can_view_help_request(current_user, help_request):
        abort(403)
    requester = help_request.requester
    record_read(
        "help_request",
        help_request.id,
        requester.id if requester is not None and requester.role == Role.WORKER else None,
    )
    return _render_detail(help_request)


def _render_detail(help_request: HelpRequest, submitted: FlaskForm | None = None):
    """The page for whoever may see it; `submitted` is a work form that came back with errors."""
    can_work = can_work_on_help_request(current_user, help_request)
    forms: dict[str, FlaskForm | None] = {
        "take_form": TakeHelpRequestForm()
        if can_take_help_request(current_user, help_request)
        else None,
        "start_form": StartForm(prefix="start")
        if can_work and help_request.status == HelpRequestStatus.NEW
        else None,
        "close_form": CloseForm(prefix="close") if can_work and help_request.is_open else None,
        "reopen_form": ReopenForm(prefix="reopen")
        if can_work and not help_request.is_open
        else None,
        "note_form": NoteForm(prefix="note") if can_work else None,
    }
    if submitted is not None:
        for key, form in forms.items():
            if form is not None and type(form) is type(submitted):
                forms[key] = submitted
    return render_template(
        "help/detail.html",
        help_request=help_request,
        show_notes=can_read_help_request_notes(current_user, help_request),
        is_requester=help_request.requester_id == current_user.id,
        history=service.status_history(help_request),
        # Its errors are summed up at the top, also when the page no longer shows that form
        # (a stale page: "in progress" pressed on a request someone closed meanwhile).
        submitted=submitted,
        **forms,
        **WORDING,
    )


@bp.route("/hulpvraag/<reference>/oppakken", methods=["POST"])
@roles_required(Role.CONTACT_PERSON)
def take(reference: str):
    help_request = _get_or_404(reference)
    if not can_take_help_request(current_user, help_request):
        abort(403)
    if TakeHelpRequestForm().validate_on_submit():
        try:
            service.take(db.session, help_request, current_user)
            db.session.commit()
        except HelpRequestError as error:
            db.session.rollback()
            flash(error_text(error), "error")
        except SQLAlchemyError:
            db.session.rollback()
            flash(_("This has not been saved. Please try again."), "error")
        else:
            flash(_("You have taken help request %(reference)s.", reference=reference), "success")
    return redirect(url_for("help.detail", reference=reference))


def _work(
    reference: str,
    form: FlaskForm,
    step: Callable[[HelpRequest, FlaskForm], HelpRequestNote],
    error_field: str | None,
    done: str,
):
    """One step of the contact person's work, stored with its message to the requester in one
    transaction. Refused or not stored: the page again with the error and what was typed."""
    help_request = _get_or_404(reference)
    if not can_work_on_help_request(current_user, help_request):
        abort(403)
    if not form.validate_on_submit():
        return _render_detail(help_request, form)
    try:
        change = step(help_request, form)
        notify_status_change(db.session, help_request, change)
        db.session.commit()
    except HelpRequestError as error:
        db.session.rollback()
        if error_field is not None and isinstance(error, TEXT_ERRORS):
            getattr(form, error_field).errors = [error_text(error)]
        else:
            form.form_errors.append(error_text(error))
        return _render_detail(help_request, form)
    except SQLAlchemyError:
        db.session.rollback()
        form.form_errors.append(_("This has not been saved. Please try again."))
        return _render_detail(help_request, form)
    flash(done, "success")
    return redirect(url_for("help.detail", reference=reference))


@bp.route("/hulpvraag/<reference>/in-behandeling", methods=["POST"])
@roles_required(Role.CONTACT_PERSON)
def start(reference: str):
    return _work(
        reference,
        StartForm(prefix="start"),
        lambda help_request, _form: service.change_status(
            db.session, help_request, current_user, HelpRequestStatus.IN_PROGRESS
        ),
        None,
        _("The help request is in progress."),
    )


@bp.route("/hulpvraag/<reference>/afsluiten", methods=["POST"])
@roles_required(Role.CONTACT_PERSON)
def close(reference: str):
    return _work(
        reference,
        CloseForm(prefix="close"),
        lambda help_request, form: service.close(
            db.session, help_request, current_user, form.outcome.data
        ),
        "outcome",
        _("The help request is closed. The requester can read the outcome."),
    )


@bp.route("/hulpvraag/<reference>/heropenen", methods=["POST"])
@roles_required(Role.CONTACT_PERSON)
def reopen(reference: str):
    return _work(
        reference,
        ReopenForm(prefix="reopen"),
        lambda help_request, form: service.reopen(
            db.session, help_request, current_user, form.note.data
        ),
        "note",
        _("The help request is in progress again."),
    )


@bp.route("/hulpvraag/<reference>/notitie", methods=["POST"])
@roles_required(Role.CONTACT_PERSON)
def add_note(reference: str):
    return _work(
        reference,
        NoteForm(prefix="note"),
        lambda help_request, form: service.add_note(
            db.session, help_request, current_user, form.text.data
        ),
        "text",
        _("The note has been added."),
    )
