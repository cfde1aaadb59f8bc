"""What-if scenarios: make one, change it, plan it with the run job, compare it with the published plan."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _

from pool.errors import NotFound, PoolError
from pool.services import scenarios as service
from pool.services.ledger import CSV_COLUMNS
from pool.services.scenario_compare import compare_with_published
from web import db
from web.auth import current_user, roles
from web.forms.insight import ChangeForm, ScenarioForm
from web.htmx import go
from web.refusals import on_form, put_on

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")

LEDGER_FIGURES = CSV_COLUMNS[2:]


@bp.route("", methods=["GET", "POST"])
@roles("coordinator")
def index() -> Any:
    """List the scenarios; make a new one as a copy of the current situation."""
    s = db.session()
    form = ScenarioForm()
    if form.validate_on_submit():
        with on_form(form) as refused:
            scenario = service.create_scenario(s, current_user(), form.name.data or "")
        if not refused:
            flash(_("The scenario is made from a copy of the current situation."), "success")
            return go(url_for("scenarios.show", scenario_id=scenario.id))
    return render_template("scenarios/index.html", form=form, scenarios=service.list_scenarios(s)), \
        422 if form.is_submitted() else 200


def _page(scenario_id: int, change_form: ChangeForm | None = None, name_form: ScenarioForm | None = None,
          status: int = 200) -> Any:
    s = db.session()
    scenario = service.get_scenario(s, scenario_id)
    return render_template(
        "scenarios/show.html", scenario=scenario, change_form=change_form or ChangeForm(),
        name_form=name_form or ScenarioForm(name=scenario.name), comparison=compare_with_published(s, scenario),
        ledger_figures=LEDGER_FIGURES,
    ), status


@bp.route("/<int:scenario_id>")
@roles("coordinator")
def show(scenario_id: int) -> Any:
    """Show a scenario: its changes, the form for another, its run, and its comparison with the published plan."""
    return _page(scenario_id)


@bp.route("/<int:scenario_id>/changes", methods=["POST"])
@roles("coordinator")
def add_change(scenario_id: int) -> Any:
    """Add a change; a change the scenario cannot take is refused on the form, in words."""
    form = ChangeForm()
    if form.validate_on_submit():
        change = service.Change(
            kind=form.kind.data or "", municipality=(form.municipality.data or "").strip(),
            specialist=(form.specialist.data or "").strip(), skill=(form.skill.data or "").strip(),
            min_level=form.min_level.data or 1, hours=form.hours.data or 0, priority=form.priority.data or 2,
            week=form.week.data or 0, end_week=form.end_week.data)
        try:
            service.add_change(db.session(), current_user(), scenario_id, change)
        except NotFound:
            raise
        except PoolError as e:
            db.session().rollback()
            put_on(form, e)
        else:
            flash(_("The change is added; plan the scenario again to see its effect."), "success")
            return go(url_for("scenarios.show", scenario_id=scenario_id))
    return _page(scenario_id, change_form=form, status=422)


@bp.route("/<int:scenario_id>/changes/<int:index>/delete", methods=["POST"])
@roles("coordinator")
def remove_change(scenario_id: int, index: int) -> Any:
    """Take a change back out."""
    service.remove_change(db.session(), current_user(), scenario_id, index - 1)
    return go(url_for("scenarios.show", scenario_id=scenario_id))


@bp.route("/<int:scenario_id>/rename", methods=["POST"])
@roles("coordinator")
def rename(scenario_id: int) -> Any:
    form = ScenarioForm()
    if form.validate_on_submit():
        with on_form(form) as refused:
            service.rename_scenario(db.session(), current_user(), scenario_id, form.name.data or "")
        if not refused:
            flash(_("The scenario is renamed."), "success")
            return go(url_for("scenarios.show", scenario_id=scenario_id))
    return _page(scenario_id, name_form=form, status=422)


@bp.route("/<int:scenario_id>/delete", methods=["POST"])
@roles("coordinator")
def delete(scenario_id: int) -> Any:
    """Delete a scenario and its plan; nothing real changes."""
    service.delete_scenario(db.session(), current_user(), scenario_id)
    flash(_("The scenario is deleted."), "success")
    return go(url_for("scenarios.index"))
