"""The regional dashboard and its CSV and XLSX export; the numbers come from
`portal.services.regional_report`, already suppressed."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select
from wtforms import SelectField

from portal.blueprints.insight import bp
from portal.blueprints.insight.tables import NOT_KNOWN, Table, report_tables
from portal.charts import Series, bar_chart, column_chart, line_chart, swatch_svg
from portal.extensions import db
from portal.form_fields import PortalForm
from portal.models import EndReason, ExecutingOrganisation, Municipality, Placement, Role
from portal.security import roles_required
from portal.services.audit import safe_cell
from portal.services.regional_report import Report, build_report
from portal.services.statistics import Filter, quarter_bounds, quarter_of, quarters
from portal.services.statistics_source import UNKNOWN, placement_facts

DEFAULT_QUARTERS = 8  # two years: the research looks at the first two years of a job


def _today() -> date:
    return date.today()


class InsightFilterForm(PortalForm):
    """A GET form: a filtered dashboard and its export have a URL."""

    class Meta:
        csrf = False

    first = SelectField(_l("From quarter"), choices=[])
    last = SelectField(_l("Up to and including quarter"), choices=[])
    organisation = SelectField(_l("Executing organisation"), choices=[], default="")
    municipality = SelectField(_l("Municipality"), choices=[], default="")


def _filter_form(today: date) -> InsightFilterForm:
    earliest = db.session.scalar(select(func.min(Placement.start_date))) or today
    periods = quarters(min(earliest, today), today)
    form = InsightFilterForm(request.args)
    form.first.choices = form.last.choices = [(q, q) for q in reversed(periods)]
    if not request.args.get("first"):
        form.first.data = periods[max(len(periods) - DEFAULT_QUARTERS, 0)]
    if not request.args.get("last"):
        form.last.data = quarter_of(today)
    everything = ("", _l("All"))
    organisations = db.session.scalars(
        select(ExecutingOrganisation.name).order_by(ExecutingOrganisation.name)
    ).all()
    municipalities = db.session.scalars(select(Municipality.name).order_by(Municipality.name))
    form.organisation.choices = [everything, *((name, name) for name in organisations)]
    form.organisation.choices.append((UNKNOWN, _l("Unknown")))
    form.municipality.choices = [everything, *((name, name) for name in municipalities)]
    return form


def _criteria(form: InsightFilterForm) -> Filter | None:
    if not form.validate():
        return None
    if form.first.data > form.last.data:
        form.last.errors = [_("Choose a quarter that is not before the first quarter.")]
        return None
    return Filter(
        first=quarter_bounds(form.first.data)[0],
        last=quarter_bounds(form.last.data)[1],
        organisation=form.organisation.data or None,
        municipality=form.municipality.data or None,
    )


def _names(field: SelectField) -> list[str]:
    """The organisations or municipalities the filter offers (read once, for both)."""
    return [value for value, _label in field.choices if value and value != UNKNOWN]


def _report(form: InsightFilterForm, keep: Filter, today: date) -> tuple[Report, list[Table]]:
    english = str(get_locale()) == "en"
    reasons = db.session.scalars(select(EndReason).order_by(EndReason.sort_order)).all()
    labels = {r.code: r.label_en if english else r.label_nl for r in reasons}
    report = build_report(
        placement_facts(db.session, today),
        keep,
        today,
        reason_codes=[r.code for r in reasons if r.active],
        organisations=_names(form.organisation),
        municipalities=_names(form.municipality),
    )
    return report, report_tables(report, labels)


def _filter_args() -> dict[str, str]:
    keys = ("first", "last", "organisation", "municipality")
    return {key: request.args[key] for key in keys if request.args.get(key)}


def _charts(report: Report, tables: dict[str, Table]) -> dict:
    hidden = _("fewer than 5, or hidden so a small number cannot be worked out")
    per_quarter = tables["per-quarter"]
    busiest = max(report.per_quarter, key=lambda row: row[1] or 0)
    reasons = [(row[0], row[1]) for row in tables["end-reasons"].rows if row[1] != 0]
    top = reasons[0] if reasons and reasons[0][1] is not None else None
    moments = [(row[0], row[1]) for row in tables["risk-moments"].rows]
    top_moment = max(moments, key=lambda row: row[1] or 0)
    curve = [row for row in report.retention if row.share is not None]
    return {
        "per_quarter": column_chart(
            [row[0] for row in per_quarter.rows],
            [
                Series(_("New placements"), [row[1] for row in per_quarter.rows]),
                Series(_("Ended placements"), [row[2] for row in per_quarter.rows]),
            ],
            title=per_quarter.title,
            description=_(
                "Bars per quarter: new placements (solid) and ended placements (hatched). "
                "Most new placements: %(quarter)s. The table below has every number.",
                quarter=busiest[0],
            ),
            ident="chart-per-quarter",
        ),
        "swatches": (swatch_svg(0, "legend"), swatch_svg(1, "legend")),
        "end_reasons": bar_chart(
            reasons,
            title=tables["end-reasons"].title,
            description=(
                _("The most frequent reason: %(reason)s (%(count)s).", reason=top[0], count=top[1])
                if top
                else _("No placements ended in this period, or too few to show.")
            ),
            hidden_text=hidden,
            ident="chart-end-reasons",
        ),
        "risk_moments": bar_chart(
            moments,
            title=tables["risk-moments"].title,
            description=(
                _(
                    "Most endings: %(moment)s (%(count)s).",
                    moment=top_moment[0],
                    count=top_moment[1],
                )
                if top_moment[1]
                else _("No placements ended in this period, or too few to show.")
            ),
            hidden_text=hidden,
            ident="chart-risk-moments",
        ),
        "retention": line_chart(
            [str(row.months) for row in curve],
            [Series(_("Still working (%)"), [100 * row.share for row in curve])],
            title=tables["retention"].title,
            description=_(
                "The share of placements still running after 3, 6, 12, 18 and 24 months. "
                "The table below has every number."
            ),
            y_min=0,
            y_max=100,
            y_step=20,
            ident="chart-retention",
        )
        if len(curve) > 1
        else None,
        "phases": bar_chart(
            [(row[0], row[1]) for row in tables["phases"].rows],
            title=tables["phases"].title,
            description=_("The number of placements in each phase today."),
            hidden_text=hidden,
            ident="chart-phases",
        ),
    }


@bp.route("/")
@roles_required(Role.MANAGER, Role.ADMINISTRATOR)
def dashboard():
    today = _today()
    form = _filter_form(today)
    keep = _criteria(form)
    report = tables = charts = None
    if keep is not None:
        report, table_list = _report(form, keep, today)
        tables = {table.ident: table for table in table_list}
        charts = _charts(report, tables)
    args = _filter_args()
    return render_template(
        "insight/dashboard.html",
        form=form,
        report=report,
        tables=tables,
        charts=charts,
        not_known=NOT_KNOWN,
        csv_url=url_for("insight.export_csv", **args),
        xlsx_url=url_for("insight.export_xlsx", **args),
    )


def _export_tables() -> list[Table] | None:
    today = _today()
    form = _filter_form(today)
    keep = _criteria(form)
    return None if keep is None else _report(form, keep, today)[1]


def _cell(value, hidden: str):
    return hidden if value is None else value


def _attachment(body: bytes, mimetype: str, extension: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="regio-cijfers.{extension}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/cijfers.csv")
@roles_required(Role.MANAGER, Role.ADMINISTRATOR)
def export_csv():
    """One long table: the table's title, the row, the column, the value."""
    tables = _export_tables()
    if tables is None:
        return redirect(url_for("insight.dashboard", **_filter_args()))
    hidden = _("hidden")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Table"), _("Row"), _("Column"), _("Value")])
    for table in tables:
        for row in table.rows:
            for header, value in zip(table.headers[1:], row[1:], strict=True):
                writer.writerow(
                    [safe_cell(table.title), safe_cell(row[0]), safe_cell(header)]
                    + [safe_cell(_cell(value, hidden))]
                )
    # A byte-order mark so Excel opens the Dutch characters right.
    return _attachment(("\ufeff" + out.getvalue()).encode(), "text/csv", "csv")


@bp.route("/cijfers.xlsx")
@roles_required(Role.MANAGER, Role.ADMINISTRATOR)
def export_xlsx():
    """One sheet per table, numbers as numbers."""
    tables = _export_tables()
    if tables is None:
        return redirect(url_for("insight.dashboard", **_filter_args()))
    hidden = _("hidden")
    book = Workbook()
    book.remove(book.active)
    for number, table in enumerate(tables, start=1):
        # Excel allows 31 characters in a sheet name; the number keeps cut names apart.
        sheet = book.create_sheet(title=f"{number} {table.title}"[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.headers)
        for row in table.rows:
            label = safe_cell(row[0]) if isinstance(row[0], str) else row[0]
            sheet.append([label, *(_cell(value, hidden) for value in row[1:])])
        sheet.column_dimensions["A"].width = 60
    note = book.create_sheet(title=_("Note")[:31])
    note.append([_("Cells of fewer than 5 people are hidden (and sometimes one more cell).")])
    out = io.BytesIO()
    book.save(out)
    return _attachment(
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )
