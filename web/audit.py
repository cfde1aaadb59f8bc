"""The audit trail: who changed what, when, before and after, and why; filtered, paged, downloadable as CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _

from pool.services.audit import AuditFilter, audit_choices, trail, trail_csv
from web import db
from web.auth import current_user, roles

bp = Blueprint("audit", __name__)


def _day(name: str, errors: list[str]) -> dt.date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(_("%(field)s must be a date like 2027-01-31, not %(value)s.",
                        field=_("From") if name == "since" else _("Until"), value=value[:40]))
        return None


def _filter() -> tuple[AuditFilter, list[str]]:
    errors: list[str] = []
    args = {k: request.args.get(k, "").strip()[:80] for k in ("actor", "entity", "entity_id", "action")}
    return AuditFilter(**args, since=_day("since", errors), until=_day("until", errors)), errors


def _scope() -> int | None:
    """A team lead reads the trail of its own municipality's requests; a coordinator reads everything."""
    user = current_user()
    return user.municipality_id if user.role == "team_lead" else None


@bp.route("/audit")
@roles("coordinator", "team_lead")
def index() -> Any:
    f, errors = _filter()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    s = db.session()
    events, total = trail(s, f, _scope(), page)
    actors, entities, actions = audit_choices(s)
    return render_template("audit/index.html", events=events, total=total, page=page, f=f, errors=errors,
                           actors=actors, entities=entities, actions=actions, per_page=100,
                           query={k: v for k, v in request.args.items() if k != "page"}), 422 if errors else 200


@bp.route("/audit.csv")
@roles("coordinator", "team_lead")
def download() -> Any:
    f, errors = _filter()
    if errors:
        return Response("\n".join(errors) + "\n", 422, mimetype="text/plain")
    scope = _scope()

    def rows() -> Iterator[str]:
        with db.own_session() as s:
            yield from trail_csv(s, f, scope)

    body = stream_with_context(rows())
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="audit-trail.csv"'})
