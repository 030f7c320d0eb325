"""The audit log for the administrator: filter, page through and export (CSV). Read-only: there is
no route that changes or deletes an audit row."""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Response,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import DateField, EmailField, SelectField
from wtforms.validators import Email, Optional

from portal.audit_hooks import request_context
from portal.blueprints.admin import bp
from portal.extensions import db
from portal.form_fields import PortalForm
from portal.labels import LABELS
from portal.models import AuditAction, Role, User
from portal.paging import page_links, requested_page
from portal.security import roles_required
from portal.services import audit

PER_PAGE = 50

ACTOR_ROLE_LABELS = {
    **{role.value: LABELS[role] for role in Role},
    audit.SYSTEM: _l("System"),
    audit.ANONYMOUS: _l("Not logged in"),
    audit.SERVICE: _l("Assistant (service)"),
}

ACTION_LABELS = {
    AuditAction.READ: _l("Viewed"),
    AuditAction.CREATE: _l("Created"),
    AuditAction.UPDATE: _l("Changed"),
    AuditAction.DELETE: _l("Deleted"),
}


class AuditFilterForm(PortalForm):
    """The filter; a GET form, so the filtered page and its export have a URL."""

    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    actor = EmailField(
        _l("Who (e-mail address)"),
        validators=[Optional(), Email(message=_l("Fill in an e-mail address."))],
        render_kw={"autocomplete": "off"},  # someone else's address: no autofill with one's own
    )
    actor_role = SelectField(_l("Role"), choices=[], default="")
    action = SelectField(_l("Action"), choices=[], default="")
    entity = SelectField(_l("Record type"), choices=[], default="")
    worker = EmailField(
        _l("About worker (e-mail address)"),
        validators=[Optional(), Email(message=_l("Fill in an e-mail address."))],
        render_kw={"autocomplete": "off"},
    )


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    everything = ("", _l("All"))
    form.actor_role.choices = [everything, *ACTOR_ROLE_LABELS.items()]
    form.action.choices = [everything, *((a.value, text) for a, text in ACTION_LABELS.items())]
    form.entity.choices = [everything, *((name, name) for name in audit.audited_entities())]
    return form


def _user_id(field, *, worker: bool = False) -> int | None:
    """The user with the e-mail address in `field`; an error on the field when there is none."""
    if not field.data:
        return None
    query = select(User.id).where(func.lower(User.email) == field.data.strip().lower())
    if worker:
        query = query.where(User.role == Role.WORKER)
    found = db.session.scalar(query)
    if found is None:
        field.errors = [
            *field.errors,
            _l("There is no worker with this e-mail address.")
            if worker
            else _l("There is no user with this e-mail address."),
        ]
    return found


def _criteria(form: AuditFilterForm) -> audit.AuditFilter | None:
    """The filter from the form, or None when it is not valid (then nothing is shown)."""
    valid = form.validate()
    actor_id = _user_id(form.actor) if not form.actor.errors else None
    worker_id = _user_id(form.worker, worker=True) if not form.worker.errors else None
    if form.date_from.data and form.date_to.data and form.date_from.data > form.date_to.data:
        form.date_to.errors = [*form.date_to.errors, _l("The end date is before the start date.")]
    if not valid or any(field.errors for field in form):
        return None
    return audit.AuditFilter(
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        actor_id=actor_id,
        actor_role=form.actor_role.data or None,
        action=AuditAction(form.action.data) if form.action.data else None,
        entity=form.entity.data or None,
        worker_id=worker_id,
    )


def _filter_args() -> dict[str, str]:
    keys = ("date_from", "date_to", "actor", "actor_role", "action", "entity", "worker")
    return {key: request.args[key] for key in keys if request.args.get(key)}


@bp.route("/audit")
@roles_required(Role.ADMINISTRATOR)
def audit_log():
    form = _filter_form()
    criteria = _criteria(form)
    page = requested_page()
    events, total = [], 0
    if criteria is not None:
        events, total = audit.page_of(
            db.session,
            criteria,
            page,
            PER_PAGE,
            timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
        )
    args = _filter_args()
    return render_template(
        "admin/audit.html",
        form=form,
        events=events,
        total=total,
        **page_links("admin.audit_log", page, total, PER_PAGE, **args),
        csv_url=url_for("admin.audit_csv", **args) if criteria is not None else None,
        role_labels=ACTOR_ROLE_LABELS,
        action_labels=ACTION_LABELS,
    )


@bp.route("/audit.csv")
@roles_required(Role.ADMINISTRATOR)
def audit_csv():
    form = _filter_form()
    criteria = _criteria(form)
    if criteria is None:  # the page shows what is wrong with the filter
        return redirect(url_for("admin.audit_log", **_filter_args()))
    export = audit.record_export(db.session, request_context(), criteria)
    db.session.commit()
    lines = audit.csv_lines(
        db.session,
        replace(criteria, before_id=export.id),
        timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
    )
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="audit-log.csv"',
            "Cache-Control": "no-store",
        },
    )
