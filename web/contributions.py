"""Contributions honoured: committed, available and used pool hours per municipality and month."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from pool.services.contributions import contribution_lines
from web import db
from web.auth import roles

bp = Blueprint("contributions", __name__)


@bp.route("/contributions")
@roles("coordinator")
def index() -> Any:
    """Show per municipality and month what it committed, made available and the plan used; flag a shortfall."""
    lines = contribution_lines(db.session())
    return render_template("contributions/index.html", lines=lines, short=[line for line in lines if line.short])
