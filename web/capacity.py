"""Capacity: the skill × week heatmap of supply, demand and planned hours, and who holds a skill."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from pool.services.capacity import capacity, skill_detail
from web import db
from web.auth import roles

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
    return render_template("capacity/index.html", cap=capacity(db.session(), level), band=band)


@bp.route("/capacity/<code>")
@roles("coordinator")
def skill(code: str) -> Any:
    """Show who holds a skill and which requests want it."""
    return render_template("capacity/skill.html", detail=skill_detail(db.session(), code))
