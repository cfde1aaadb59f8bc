"""Capacity: the skill × week heatmap of supply, demand and planned hours, and who holds a skill."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from pool.services.capacity import Capacity, capacity, skill_detail
from web import db
from web.auth import roles
from web.charts import Heatmap, heatmap
from web.i18n import iso_week

bp = Blueprint("capacity", __name__)

BANDS = ((0.0, "load-none"), (0.5, "load-low"), (0.9, "load-mid"), (1.0, "load-high"))


def band(load: float | None) -> str:
    """The colour class of a cell; the numbers are always printed in it too."""
    if load is None:
        return "load-over"
    name = "load-over"
    for upper, cls in BANDS:
        if load <= upper:
            return cls
    return name


@bp.route("/capacity")
@roles("coordinator")
def index() -> Any:
    """Show the heatmap; `level` filters the supply to specialists at or above that level."""
    raw = request.args.get("level", "1")
    level = int(raw) if raw in {"1", "2", "3", "4", "5"} else 1
    cap = capacity(db.session(), level)
    return render_template("capacity/index.html", cap=cap, band=band, chart=_chart(cap))


def _chart(cap: Capacity) -> Heatmap:
    """The heatmap: "demand/supply" in each cell, coloured by their ratio; a skill's name opens its page."""
    columns = []
    for i, monday in enumerate(cap.weeks):
        iso = monday.isocalendar()
        columns.append((str(iso.week), str(iso.year) if i == 0 or iso.week == 1 else ""))
    # translated once, filled per cell: a gettext call per cell is most of the page's time on a large pool
    said = _("%(skill)s, %(week)s: demand %(demand)s, supply %(supply)s, planned %(planned)s hours")
    weeks = [iso_week(monday) for monday in cap.weeks]
    rows = []
    for row in cap.rows:
        cells = []
        for week, c in zip(weeks, row.cells, strict=True):
            demand = round(c.demand)
            title = said % {"skill": row.skill.name, "week": week, "demand": demand, "supply": c.supply,
                            "planned": c.planned}
            cells.append((f"{demand}/{c.supply}", band(c.load), title))
        rows.append((row.skill.name, url_for("capacity.skill", code=row.skill.code), cells))
    return heatmap(rows, columns)


@bp.route("/capacity/<code>")
@roles("coordinator")
def skill(code: str) -> Any:
    """Show who holds a skill and which requests want it."""
    return render_template("capacity/skill.html", detail=skill_detail(db.session(), code))
