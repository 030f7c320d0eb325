"""Administrator screens for the reference data: executing organisations, municipalities, the
routing table, employers, end reasons and melding categories (issue 10).

Every change is written to the audit log by the session hooks (portal.audit_hooks). Nothing that
history refers to is deleted: end reasons and categories are deactivated instead, and only a
routing rule (which no record refers to) can go, as long as every regime in every municipality
keeps an executing organisation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from portal.blueprints.admin import bp
from portal.blueprints.admin.reference_forms import (
    ActiveForm,
    CategoryForm,
    DeleteRuleForm,
    EmployerForm,
    EmployerSearchForm,
    EndReasonForm,
    MunicipalityForm,
    NewCategoryForm,
    NewEmployerForm,
    NewEndReasonForm,
    NewMunicipalityForm,
    NewOrganisationForm,
    OrganisationForm,
    RuleForm,
    RuleOrganisationForm,
)
from portal.blueprints.coaching.forms import REPORT_FREQUENCIES
from portal.extensions import db
from portal.form_fields import PortalForm
from portal.labels import LABELS
from portal.models import (
    ContactAssignment,
    Employer,
    EndReason,
    ExecutingOrganisation,
    Municipality,
    ProblemCategory,
    Regime,
    ReportFrequency,
    Role,
    RoutingRule,
)
from portal.paging import page_links, requested_page
from portal.security import roles_required
from portal.services import reference
from portal.services.contacts import current_assignment
from portal.services.reference import ReferenceRuleError
from portal.services.submissions import remember, stored

T = TypeVar("T")
EMPLOYERS_PER_PAGE = 25
GAPS_SHOWN = 6  # a refusal names this many combinations, then "and N more"

NOT_SAVED = _l("This has not been saved. Please try again.")
NAME_TAKEN = _l("This name is already used. Choose another name.")
ALREADY_SAVED = _l("This had already been saved; here it is.")


def _lang() -> str:
    return "en" if str(get_locale()) == "en" else "nl"


def label_of(record: EndReason | ProblemCategory) -> str:
    """The record's text in the user's language."""
    return record.label_en if _lang() == "en" else record.label_nl


def _or_none(value):
    """An empty text field is "not filled in" (NULL), not an empty string; 0 stays 0."""
    return None if value == "" else value


# --- Saving -----------------------------------------------------------------------------------


def _earlier(form):
    """The answer to a create form that was stored before (sent twice), or None."""
    earlier = stored(db.session, form.submission.data)
    if earlier is None:
        return None
    flash(str(ALREADY_SAVED), "info")
    return redirect(earlier.location)


def _save(form, change: Callable[[], T], on_rule_error=None) -> T | None:
    """Run the change and commit it; on a refusal or a failed save roll back, put the reason on
    the form and return None (the typed values stay in the form)."""
    try:
        result = change()
        db.session.commit()
    except ReferenceRuleError as error:
        db.session.rollback()
        if on_rule_error is None:
            raise
        on_rule_error(error)
        return None
    except SQLAlchemyError:
        db.session.rollback()
        form.form_errors.append(str(NOT_SAVED))
        return None
    return result


def _created(record: T, form, endpoint: str, argument: str) -> T:
    """Add a new record and remember the form's one-off key with it (same transaction)."""
    db.session.add(record)
    db.session.flush()
    remember(db.session, form.submission.data, url_for(endpoint, **{argument: record.id}))
    return record


def _unique(field, column, except_id: int | None = None, message=NAME_TAKEN) -> bool:
    """False, with the message on the field, when another record has this value already."""
    if reference.value_taken(db.session, column, field.data, except_id=except_id):
        field.errors.append(str(message))
        return False
    return True


def _copy(form, record, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(record, name, _or_none(getattr(form, name).data))


# --- Executing organisations ------------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "phone")


def _copy_organisation(form, organisation: ExecutingOrganisation) -> None:
    _copy(form, organisation, ORGANISATION_FIELDS)
    organisation.email = form.office_email.data or None
    organisation.jobcoach_report_frequency = ReportFrequency(form.jobcoach_report_frequency.data)


@bp.route("/organisaties")
@roles_required(Role.ADMINISTRATOR)
def organisations():
    rows = db.session.scalars(select(ExecutingOrganisation).order_by(ExecutingOrganisation.name))
    return render_template(
        "admin/reference/organisations.html", organisations=rows, frequencies=REPORT_FREQUENCIES
    )


@bp.route("/organisaties/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def organisation_new():
    form = NewOrganisationForm()
    if form.validate_on_submit():
        if (earlier := _earlier(form)) is not None:
            return earlier
        if _unique(form.name, ExecutingOrganisation.name):
            organisation = ExecutingOrganisation()
            _copy_organisation(form, organisation)
            if _save(
                form,
                lambda: _created(organisation, form, "admin.organisation_edit", "organisation_id"),
            ):
                flash(_("%(name)s has been added.", name=organisation.name), "success")
                return redirect(url_for("admin.organisations"))
    return render_template("admin/reference/organisation_form.html", form=form, organisation=None)


@bp.route("/organisaties/<int:organisation_id>", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def organisation_edit(organisation_id: int):
    organisation = db.get_or_404(ExecutingOrganisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.office_email.data = organisation.email
        form.jobcoach_report_frequency.data = organisation.jobcoach_report_frequency.value
    elif form.validate_on_submit() and _unique(
        form.name, ExecutingOrganisation.name, organisation.id
    ):

        def change():
            _copy_organisation(form, organisation)
            return True

        if _save(form, change):
            flash(_("The changes to %(name)s have been saved.", name=organisation.name), "success")
            return redirect(url_for("admin.organisations"))
    return render_template(
        "admin/reference/organisation_form.html", form=form, organisation=organisation
    )


# --- Municipalities ---------------------------------------------------------------------------

MUNICIPALITY_FIELDS = ("name", "buurtteam_name", "buurtteam_phone", "buurtteam_url")


def _organisation_choices() -> list[tuple[int, str]]:
    return [(0, _("Choose an organisation"))] + [
        (organisation.id, organisation.name)
        for organisation in db.session.scalars(
            select(ExecutingOrganisation).order_by(ExecutingOrganisation.name)
        )
    ]


def _chosen_organisation(field) -> ExecutingOrganisation | None:
    """The organisation chosen in a select, or None with a message on the field."""
    organisation = db.session.get(ExecutingOrganisation, field.data) if field.data else None
    if organisation is None:
        field.errors.append(_("Choose an organisation."))
    return organisation


@bp.route("/gemeenten")
@roles_required(Role.ADMINISTRATOR)
def municipalities():
    rows = db.session.scalars(select(Municipality).order_by(Municipality.name))
    return render_template("admin/reference/municipalities.html", municipalities=rows)


@bp.route("/gemeenten/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def municipality_new():
    form = NewMunicipalityForm()
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        if (earlier := _earlier(form)) is not None:
            return earlier
        organisation = _chosen_organisation(form.organisation)
        if _unique(form.name, Municipality.name) and organisation is not None:
            municipality = Municipality()
            _copy(form, municipality, MUNICIPALITY_FIELDS)

            def change():
                reference.add_municipality(db.session, municipality, organisation)
                remember(
                    db.session,
                    form.submission.data,
                    url_for("admin.municipality_edit", municipality_id=municipality.id),
                )
                return municipality

            if _save(form, change):
                flash(_("%(name)s has been added.", name=municipality.name), "success")
                return redirect(url_for("admin.municipalities"))
    return render_template("admin/reference/municipality_form.html", form=form, municipality=None)


@bp.route("/gemeenten/<int:municipality_id>", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def municipality_edit(municipality_id: int):
    municipality = db.get_or_404(Municipality, municipality_id)
    form = MunicipalityForm(obj=municipality)
    if form.validate_on_submit() and _unique(form.name, Municipality.name, municipality.id):

        def change():
            _copy(form, municipality, MUNICIPALITY_FIELDS)
            return True

        if _save(form, change):
            flash(_("The changes to %(name)s have been saved.", name=municipality.name), "success")
            return redirect(url_for("admin.municipalities"))
    rules = [reference.as_rule(row) for row in db.session.scalars(select(RoutingRule))]
    routes = reference.route_table(rules, reference.all_regimes(), [municipality.name])
    return render_template(
        "admin/reference/municipality_form.html",
        form=form,
        municipality=municipality,
        routes=[
            (LABELS[Regime(regime)], organisation) for (regime, _m), organisation in routes.items()
        ],
    )


# --- Routing table ----------------------------------------------------------------------------


def _regime_label(regime: Regime | str | None) -> str:
    return str(LABELS[Regime(regime)]) if regime else _("Any regime")


def _rule_name(rule: RoutingRule) -> str:
    where = rule.municipality.name if rule.municipality else _("any municipality")
    return _(
        "%(regime)s in %(municipality)s", regime=_regime_label(rule.regime), municipality=where
    )


def _gap_names(combinations: list[tuple[str, str]]) -> str:
    names = [
        _("%(regime)s in %(municipality)s", regime=_regime_label(regime), municipality=place)
        for regime, place in combinations[:GAPS_SHOWN]
    ]
    more = len(combinations) - GAPS_SHOWN
    if more > 0:
        names.append(_("%(count)d more", count=more))
    return ", ".join(names)


@bp.route("/routering")
@roles_required(Role.ADMINISTRATOR)
def routing():
    rows = reference.routing_rows(db.session)
    places = reference.municipality_names(db.session)
    regimes = reference.all_regimes()
    table = reference.route_table([reference.as_rule(row) for row in rows], regimes, places)
    return render_template(
        "admin/reference/routing.html",
        rows=rows,
        regimes=[(regime, LABELS[Regime(regime)]) for regime in regimes],
        places=places,
        table=table,
        gaps=_gap_names([key for key, organisation in table.items() if organisation is None]),
        regime_label=_regime_label,
    )


@bp.route("/routering/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def routing_rule_new():
    form = RuleForm()
    form.regime.choices = [("", _("Any regime"))] + [(r.value, LABELS[r]) for r in Regime]
    form.municipality.choices = [(0, _("Any municipality"))] + [
        (m.id, m.name) for m in db.session.scalars(select(Municipality).order_by(Municipality.name))
    ]
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        if (earlier := _earlier(form)) is not None:
            return earlier
        regime = form.regime.data or None  # the form checked it is one of the choices
        municipality = (
            db.session.get(Municipality, form.municipality.data) if form.municipality.data else None
        )
        organisation = _chosen_organisation(form.organisation)
        if organisation is not None:

            def change():
                rule = reference.add_rule(
                    db.session,
                    regime=Regime(regime) if regime else None,
                    municipality=municipality,
                    organisation=organisation,
                )
                remember(
                    db.session, form.submission.data, url_for("admin.routing_rule", rule_id=rule.id)
                )
                return rule

            def refused(_error):
                form.form_errors.append(
                    _(
                        "There already is a rule for this regime and municipality. "
                        "Change the organisation of that rule instead."
                    )
                )

            rule = _save(form, change, refused)
            if rule is not None:
                flash(_("The rule “%(rule)s” has been added.", rule=_rule_name(rule)), "success")
                return redirect(url_for("admin.routing"))
    return render_template("admin/reference/routing_rule_new.html", form=form)


def _render_rule(rule: RoutingRule, form=None, delete_form=None):
    if form is None:
        form = RuleOrganisationForm(formdata=None)
        form.organisation.choices = _organisation_choices()
        form.organisation.data = rule.executing_organisation_id
    return render_template(
        "admin/reference/routing_rule.html",
        rule=rule,
        name=_rule_name(rule),
        form=form,
        delete_form=delete_form or DeleteRuleForm(formdata=None),
    )


@bp.route("/routering/<int:rule_id>", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def routing_rule(rule_id: int):
    rule = db.get_or_404(RoutingRule, rule_id)
    form = RuleOrganisationForm()
    form.organisation.choices = _organisation_choices()
    if request.method == "GET":
        form.organisation.data = rule.executing_organisation_id
    elif form.validate_on_submit():
        organisation = _chosen_organisation(form.organisation)

        def change():
            rule.executing_organisation = organisation
            return True

        if organisation is not None and _save(form, change):
            flash(
                _(
                    "%(rule)s now goes to %(organisation)s.",
                    rule=_rule_name(rule),
                    organisation=organisation.name,
                ),
                "success",
            )
            return redirect(url_for("admin.routing"))
    return _render_rule(rule, form)


@bp.route("/routering/<int:rule_id>/verwijderen", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def routing_rule_delete(rule_id: int):
    rule = db.get_or_404(RoutingRule, rule_id)
    form = DeleteRuleForm()
    if not form.validate_on_submit():
        return _render_rule(rule, delete_form=form)
    name = _rule_name(rule)

    def refused(error):
        form.form_errors.append(
            _(
                "This rule cannot be deleted: then %(combinations)s would have no executing "
                "organisation. Change the organisation of this rule, or first add a rule that "
                "covers them.",
                combinations=_gap_names(error.params["combinations"]),
            )
        )

    if _save(form, lambda: reference.delete_rule(db.session, rule) or True, refused) is None:
        return _render_rule(rule, delete_form=form)
    flash(_("The rule “%(rule)s” has been deleted.", rule=name), "success")
    return redirect(url_for("admin.routing"))


# --- Employers --------------------------------------------------------------------------------

EMPLOYER_FIELDS = ("name", "street", "city")
KVK_SEPARATORS = re.compile(r"[\s.]")  # "3012 3456" finds 30123456


def _escape_like(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


def _employer_query(search: str | None):
    query = select(Employer)
    if search:
        pattern = f"%{_escape_like(search)}%"
        conditions = [
            Employer.name.ilike(pattern, escape="\\"),
            Employer.city.ilike(pattern, escape="\\"),
        ]
        digits = re.sub(KVK_SEPARATORS, "", search)
        if digits:
            conditions.append(Employer.kvk_number.like(f"%{_escape_like(digits)}%", escape="\\"))
        query = query.where(or_(*conditions))
    return query


@bp.route("/werkgevers")
@roles_required(Role.ADMINISTRATOR)
def employers():
    form = EmployerSearchForm(request.args)
    search = form.q.data if form.validate() else None
    page = requested_page()
    query = _employer_query(search)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = list(
        db.session.scalars(
            query.order_by(Employer.name, Employer.id)
            .limit(EMPLOYERS_PER_PAGE)
            .offset((page - 1) * EMPLOYERS_PER_PAGE)
        )
    )
    contacts = {
        assignment.employer_id: assignment.contact_person
        for assignment in db.session.scalars(
            select(ContactAssignment).where(
                ContactAssignment.employer_id.in_([row.id for row in rows]),
                ContactAssignment.ends_on.is_(None),
            )
        )
    }
    args = {"q": search} if search else {}
    return render_template(
        "admin/reference/employers.html",
        form=form,
        employers=rows,
        contacts=contacts,
        total=total,
        search=search,
        **page_links("admin.employers", page, total, EMPLOYERS_PER_PAGE, **args),
    )


def _employer_values_valid(form, except_id: int | None = None) -> bool:
    return not form.kvk_number.data or _unique(
        form.kvk_number,
        Employer.kvk_number,
        except_id,
        _l("Another employer has this KvK number already."),
    )


def _copy_employer(form, employer: Employer) -> None:
    _copy(form, employer, EMPLOYER_FIELDS)
    employer.kvk_number = form.kvk_number.data or None  # normalised by the view, or empty
    employer.postcode = reference.normal_postcode(form.postcode.data)


@bp.route("/werkgevers/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def employer_new():
    form = NewEmployerForm()
    if form.validate_on_submit():
        if (earlier := _earlier(form)) is not None:
            return earlier
        form.kvk_number.data = reference.normal_kvk(form.kvk_number.data)
        if _employer_values_valid(form):
            employer = Employer()
            _copy_employer(form, employer)
            if _save(form, lambda: _created(employer, form, "admin.employer_edit", "company_id")):
                flash(_("%(name)s has been added.", name=employer.name), "success")
                return redirect(url_for("admin.employer_edit", company_id=employer.id))
    return render_template(
        "admin/reference/employer_form.html", form=form, employer=None, assignment=None
    )


@bp.route("/werkgevers/<int:company_id>", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def employer_edit(company_id: int):
    employer = db.get_or_404(Employer, company_id)
    form = EmployerForm(obj=employer)
    if form.validate_on_submit():
        form.kvk_number.data = reference.normal_kvk(form.kvk_number.data)
        if _employer_values_valid(form, employer.id):

            def change():
                _copy_employer(form, employer)
                return True

            if _save(form, change):
                flash(_("The changes to %(name)s have been saved.", name=employer.name), "success")
                return redirect(url_for("admin.employers"))
    return render_template(
        "admin/reference/employer_form.html",
        form=form,
        employer=employer,
        assignment=current_assignment(db.session, employer=employer),
    )


# --- End reasons and melding categories -------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """What differs between the two lists of coded reference data."""

    model: type[EndReason] | type[ProblemCategory]
    list_endpoint: str  # and `endpoint`_new, _edit, _active for one record
    endpoint: str
    argument: str
    form: type[PortalForm]
    new_form: type[PortalForm]
    flag: str  # the one yes/no field of the kind
    words: dict

    def list_url(self) -> str:
        return url_for(f"admin.{self.list_endpoint}")

    def url(self, suffix: str, record=None) -> str:
        args = {self.argument: record.id} if record is not None else {}
        return url_for(f"admin.{self.endpoint}_{suffix}", **args)


END_REASONS = _Kind(
    EndReason,
    "end_reasons",
    "end_reason",
    "reason_id",
    EndReasonForm,
    NewEndReasonForm,
    "needs_explanation",
    {
        "title": _l("End reasons"),
        "intro": _l(
            "Why a placement ended. The contact person chooses a main reason and maybe other "
            "reasons from this list when a placement ends; the regional figures count them. "
            "A reason that is no longer used is deactivated, not deleted: placements that "
            "ended with it keep it."
        ),
        "caption": _l("End reasons"),
        "flag": _l("Explanation required"),
        "new": _l("Add an end reason"),
        "edit": _l("End reason “%(label)s”"),
        "back": _l("Back to the end reasons"),
        "inactive_note": _l(
            "This end reason is deactivated: it is not offered when a placement ends."
        ),
        "active_note": _l("This end reason is offered when a placement ends."),
    },
)
CATEGORIES = _Kind(
    ProblemCategory,
    "problem_categories",
    "problem_category",
    "category_id",
    CategoryForm,
    NewCategoryForm,
    "outside_work",
    {
        "title": _l("Melding categories"),
        "intro": _l(
            "What a melding is about. Workers and employers choose one when they report a "
            "problem. A category that is no longer used is deactivated, not deleted: meldingen "
            "made with it keep it."
        ),
        "caption": _l("Melding categories"),
        "flag": _l("Outside work"),
        "new": _l("Add a category"),
        "edit": _l("Melding category “%(label)s”"),
        "back": _l("Back to the melding categories"),
        "inactive_note": _l("This category is deactivated: it is not offered in the melding form."),
        "active_note": _l("This category is offered in the melding form."),
    },
)
CODED_FIELDS = ("label_nl", "label_en", "sort_order")


def _coded_list(kind: _Kind):
    rows = db.session.scalars(select(kind.model).order_by(kind.model.sort_order, kind.model.code))
    return render_template(
        "admin/reference/coded_list.html", kind=kind, rows=rows, label_of=label_of
    )


def _coded_new(kind: _Kind):
    form = kind.new_form()
    if request.method == "GET":
        highest = db.session.scalar(select(func.max(kind.model.sort_order)))
        form.sort_order.data = (highest or 0) + 10
    elif form.validate_on_submit():
        if (earlier := _earlier(form)) is not None:
            return earlier
        if _unique(
            form.code,
            kind.model.code,
            message=_l("This code is already used. Choose another code."),
        ):
            record = kind.model(code=form.code.data, active=True)
            _copy(form, record, CODED_FIELDS)
            setattr(record, kind.flag, bool(getattr(form, kind.flag).data))
            if _save(
                form, lambda: _created(record, form, f"admin.{kind.endpoint}_edit", kind.argument)
            ):
                flash(_("“%(label)s” has been added.", label=label_of(record)), "success")
                return redirect(kind.list_url())
    return render_template(
        "admin/reference/coded_form.html", kind=kind, form=form, record=None, label_of=label_of
    )


def _coded_edit(kind: _Kind, record_id: int):
    record = db.get_or_404(kind.model, record_id)
    form = kind.form(obj=record)
    if form.validate_on_submit():

        def change():
            _copy(form, record, CODED_FIELDS)
            setattr(record, kind.flag, bool(getattr(form, kind.flag).data))
            return True

        if _save(form, change):
            flash(
                _("The changes to “%(label)s” have been saved.", label=label_of(record)), "success"
            )
            return redirect(kind.list_url())
    return render_template(
        "admin/reference/coded_form.html",
        kind=kind,
        form=form,
        record=record,
        label_of=label_of,
        active_form=ActiveForm(formdata=None),
    )


def _coded_active(kind: _Kind, record_id: int):
    record = db.get_or_404(kind.model, record_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        flash(_("This has not been changed: use the button on this page."), "error")
        return redirect(kind.url("edit", record))
    active = form.active.data == "1"

    def change():
        record.active = active
        return True

    if _save(form, change) is None:
        flash(str(NOT_SAVED), "error")
        return redirect(kind.url("edit", record))
    if active:
        flash(_("“%(label)s” is offered in the forms again.", label=label_of(record)), "success")
    else:
        flash(
            _("“%(label)s” is no longer offered in the forms.", label=label_of(record)), "success"
        )
    return redirect(kind.list_url())


@bp.route("/beeindigingsredenen")
@roles_required(Role.ADMINISTRATOR)
def end_reasons():
    return _coded_list(END_REASONS)


@bp.route("/beeindigingsredenen/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def end_reason_new():
    return _coded_new(END_REASONS)


@bp.route("/beeindigingsredenen/<int:reason_id>", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def end_reason_edit(reason_id: int):
    return _coded_edit(END_REASONS, reason_id)


@bp.route("/beeindigingsredenen/<int:reason_id>/actief", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def end_reason_active(reason_id: int):
    return _coded_active(END_REASONS, reason_id)


@bp.route("/meldingscategorieen")
@roles_required(Role.ADMINISTRATOR)
def problem_categories():
    return _coded_list(CATEGORIES)


@bp.route("/meldingscategorieen/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def problem_category_new():
    return _coded_new(CATEGORIES)


@bp.route("/meldingscategorieen/<int:category_id>", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def problem_category_edit(category_id: int):
    return _coded_edit(CATEGORIES, category_id)


@bp.route("/meldingscategorieen/<int:category_id>/actief", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def problem_category_active(category_id: int):
    return _coded_active(CATEGORIES, category_id)
