"""The web application: Flask app factory, one blueprint per feature."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from web import auth, db, errors, headers, i18n, jobs
from web.config import configure
from web.htmx import htmx
from web.ids import IdConverter

csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the app: database, sessions, CSRF, languages, headers and blueprints."""
    app = Flask(__name__, instance_relative_config=True)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.url_map.converters["int"] = IdConverter
    configure(app, test_config)
    db.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    headers.init_app(app)
    htmx.init_app(app)
    errors.init_app(app)
    jobs.init_app(app)

    from web import (
        audit,
        calendar,
        capacity,
        contributions,
        home,
        ledger,
        me,
        municipalities,
        notifications,
        operations,
        partner,
        partner_budget,
        plan_desk,
        plans,
        requests,
        runs,
        scenarios,
        situation,
        skill_changes,
        skills,
        specialists,
        users,
        vulnerable,
        what_would_help,
    )

    for module in (home, auth, requests, me, calendar, municipalities, specialists, skills, partner, users,
                   skill_changes, runs, plan_desk, notifications, plans, situation, ledger,
                   contributions, capacity, partner_budget, vulnerable, scenarios, what_would_help, operations, audit):
        app.register_blueprint(module.bp)
    return app
