"""Domain errors and HTTP errors map to status codes and pages in this one place."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from pool.errors import NotFound, PoolError


def init_app(app: Flask) -> None:
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(PoolError, _refused)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)


def _page(status: int, title: str, message: str) -> Any:
    return render_template("error.html", status=status, title=title, message=message), status


def _not_found(_e: NotFound) -> Any:
    return _page(404, _("Not found"), _("This page or object does not exist, or it is not yours to see."))


def _refused(e: PoolError) -> Any:
    return _page(422, _("That is not possible"), str(e))


def _csrf(_e: CSRFError) -> Any:
    return _page(400, _("Form expired"), _("The form was missing its security token. Reload the page and try again."))


def _http(e: HTTPException) -> Any:
    titles = {403: _("Not allowed"), 404: _("Not found"), 405: _("Not allowed"), 429: _("Too many requests")}
    messages = {403: _("Your role does not give access to this page."),
                404: _("This page or object does not exist, or it is not yours to see.")}
    status = e.code or 500
    return _page(status, titles.get(status, e.name), messages.get(status, e.description or ""))
