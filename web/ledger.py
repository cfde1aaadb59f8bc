"""The give-and-take ledger: the page, its CSV and the internal hourly rate it settles at."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, flash, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _

from pool.services import ledger as service
from web import db
from web.auth import current_user, roles
from web.charts import bar_chart
from web.forms.insight import RateForm
from web.htmx import go
from web.refusals import on_form

bp = Blueprint("ledger", __name__)


def _year() -> int:
    """The `year` parameter, or the first year of the published plan; a bad value is a 400 that says why."""
    raw = request.args.get("year", "")
    if raw == "":
        return service.ledger_years(db.session())[0]
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        abort(400, _("The year must be a number between 2000 and 2100, for example %(year)s.", year=2027))
    return int(raw)


def _reader_municipality() -> str | None:
    """A team lead reads only its own municipality's lines; a coordinator reads every line."""
    user = current_user()
    if user.role == "coordinator":
        return None
    assert user.municipality is not None  # the database refuses a team lead without one
    return user.municipality.code


@bp.route("/ledger", methods=["GET", "POST"])
@roles("coordinator", "team_lead")
def index() -> Any:
    """Show the ledger of a year: the lines per month, the year per municipality and the cooperation's year."""
    s = db.session()
    form = RateForm(obj=None, rate=service.cooperation(s).internal_hourly_rate)
    if request.method == "POST":
        if current_user().role != "coordinator":
            abort(403)
        if form.validate_on_submit():
            with on_form(form) as refused:
                service.set_internal_rate(s, current_user(), form.rate.data or 0, form.reason.data or "")
            if not refused:
                flash(_("The internal hourly rate is saved."), "success")
                return go(url_for("ledger.index", year=request.args.get("year") or None))
    book = service.ledger(s, _year(), _reader_municipality())
    chart = bar_chart([(book.names.get(t.municipality, t.municipality), t.net_hours, format_decimal(t.net_hours))
                       for t in book.totals])
    return render_template("ledger/index.html", book=book, chart=chart, form=form,
                           years=service.ledger_years(s)), 422 if form.errors else 200


@bp.route("/ledger.csv")
@roles("coordinator", "team_lead")
def download() -> Any:
    """Download the ledger lines of a year with the columns other tools rely on."""
    year = _year()
    book = service.ledger(db.session(), year, _reader_municipality())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(service.CSV_COLUMNS)
    for line in book.lines:
        writer.writerow(line.csv_row())
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="ledger-{year}.csv"'})
