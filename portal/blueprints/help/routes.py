"""Help requests from the form (also the fallback when the assistant is down)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.blueprints.chat.conversation import conversation_id, stored_transcript
from portal.blueprints.help import bp
from portal.blueprints.help.forms import (
    AnonymousHelpRequestForm,
    HelpRequestForm,
    TakeHelpRequestForm,
)
from portal.extensions import config_limit, db, limiter
from portal.models import HelpRequest, HelpRequestChannel, Role
from portal.policy import can_request_help, can_take_help_request, can_view_help_request
from portal.security import login_required, public, roles_required
from portal.services.contacts import contact_person_for
from portal.services.help_requests import HelpRequestDraft, create_help_request


def _get_or_404(reference: str) -> HelpRequest:
    help_request = db.session.scalar(select(HelpRequest).where(HelpRequest.reference == reference))
    if help_request is None:
        abort(404)
    return help_request


def _help_request_form():
    if current_user.is_authenticated:
        return HelpRequestForm()
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
        transcript = stored_transcript(conversation_id()) if form.attach_chat.data else []
        draft = HelpRequestDraft(
            subject=form.subject.data,
            text=form.text.data,
            channel=HelpRequestChannel.FORM,
            transcript=transcript,
        )
        if isinstance(form, AnonymousHelpRequestForm):
            draft.requester_name = form.requester_name.data
            draft.requester_phone = form.requester_phone.data
            draft.requester_email = form.requester_email.data
        else:
            draft.requester = current_user
        try:
            help_request = create_help_request(db.session, draft)
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            flash(_("Your help request could not be saved. Please try again."), "error")
        else:
            session["last_help_request"] = help_request.reference
            return redirect(url_for("help.sent"))
    contact = (
        contact_person_for(db.session, current_user) if current_user.is_authenticated else None
    )
    return render_template("help/new.html", form=form, contact=contact)


@bp.route("/hulpvraag/verstuurd")
@public
def sent():
    reference = session.get("last_help_request")
    if not reference:
        return redirect(url_for("help.new"))
    return render_template("help/sent.html", help_request=_get_or_404(reference))


@bp.route("/hulpvraag/<reference>")
@login_required
def detail(reference: str):
    help_request = _get_or_404(reference)
    if not can_view_help_request(current_user, help_request):
        abort(403)
    return render_template(
        "help/detail.html",
        help_request=help_request,
        take_form=TakeHelpRequestForm()
        if can_take_help_request(current_user, help_request)
        else None,
    )


@bp.route("/hulpvraag/<reference>/oppakken", methods=["POST"])
@roles_required(Role.CONTACT_PERSON)
def take(reference: str):
    help_request = _get_or_404(reference)
    if not can_take_help_request(current_user, help_request):
        abort(403)
    if TakeHelpRequestForm().validate_on_submit():
        help_request.assigned_to = current_user
        db.session.commit()
        flash(_("You have taken help request %(reference)s.", reference=reference), "success")
    return redirect(url_for("help.detail", reference=reference))
