"""Vulnerable skills: the list a coordinator takes to the steering committee, on a page and as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, render_template

from pool.services.vulnerable import vulnerable_skills
from web import db
from web.auth import roles

bp = Blueprint("vulnerable", __name__)

CSV_COLUMNS = ("skill", "skill_name", "min_level", "kind", "demand_hours", "requests", "holders")


@bp.route("/skills/vulnerable")
@roles("coordinator")
def index() -> Any:
    """List the skills one person or only the partner holds at the level asked, with their demand."""
    return render_template("vulnerable/index.html", skills=vulnerable_skills(db.session()))


@bp.route("/skills/vulnerable.csv")
@roles("coordinator")
def download() -> Any:
    """Download the vulnerable skills."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for v in vulnerable_skills(db.session()):
        writer.writerow([v.skill_code, v.skill_name, v.level, v.kind, v.demand_hours, v.requests, "; ".join(v.holders)])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="vulnerable-skills.csv"'})
