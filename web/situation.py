"""The planning situation in and out: download it as pool-instance/1, upload one with the checks of `pool import`."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, flash, render_template, url_for
from flask_babel import gettext as _

from pool.errors import FormatError
from pool.services.exchange import export_instance, import_instance
from web import db
from web.auth import current_user, roles
from web.forms.situation import SituationForm
from web.htmx import go

bp = Blueprint("situation", __name__)


@bp.route("/situation.json")
@roles("coordinator")
def download() -> Any:
    """Download the current situation, the same document as `pool export`."""
    doc = export_instance(db.session())
    return Response(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="situation.json"'})


@bp.route("/situation/upload", methods=["GET", "POST"])
@roles("coordinator")
def upload() -> Any:
    """Upload a situation: checked in full first; every problem is listed with its JSON path, nothing is written."""
    form = SituationForm()
    problems: list[tuple[str, str]] = []
    english = False  # the format checks speak English; the checks here speak the reader's language
    if form.validate_on_submit():
        raw = form.document.data.read()
        try:
            doc = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            problems = [("$", _("The file is not UTF-8 text."))]
        except json.JSONDecodeError as e:
            problems = [("$", _("The file is not JSON: %(msg)s at line %(line)s, column %(col)s.", msg=e.msg,
                                line=e.lineno, col=e.colno))]
        else:
            try:
                counts = import_instance(db.session(), doc, actor=current_user())
            except FormatError as e:
                problems, english = e.problems, True
            else:
                flash(_("The situation is imported: %(specialists)s specialists and %(requests)s requests.",
                        specialists=counts["specialists"], requests=counts["requests"]), "success")
                return go(url_for("situation.upload"))
    status = 422 if form.is_submitted() and (problems or form.errors) else 200
    return render_template("situation/upload.html", form=form, problems=problems, english=english), status
