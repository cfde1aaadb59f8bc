"""Domain errors and HTTP errors map to status codes and pages in this one place."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InternalError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

from pool.errors import NotFound, PoolError, VersionConflict
from web.refusals import say


def init_app(app: Flask) -> None:
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(VersionConflict, _conflict)
    app.register_error_handler(OperationalError, _database)
    app.register_error_handler(InternalError, _database)  # PostgreSQL: a read-only transaction
    app.register_error_handler(PoolError, _refused)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(HTTPException, _http)


def _page(status: int, title: str, message: str) -> Any:
    return render_template("error.html", status=status, title=title, message=message, back=_back()), status


def _back() -> str | None:
    """The page of this site the user came from, to go back to; None for another site or none."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or parts.scheme not in ("http", "https"):
        return None
    here = urlsplit(request.url)
    back = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if (parts.path == here.path and request.method == "GET") else back


def _not_found(_e: NotFound) -> Any:
    return _page(404, _("Not found"), _("This page or object does not exist, or it is not yours to see."))


def _refused(e: PoolError) -> Any:
    # A form shows its refusals itself (web.refusals.on_form); this page is for a button without a form.
    return _page(422, _("That is not possible"), say(e))


def _conflict(e: VersionConflict) -> Any:
    return _page(409, _("Changed by someone else"), say(e))


def _database(e: OperationalError | InternalError) -> Any:
    # A read-only, full or unreachable database: say so to the user, and why in the log.
    current_app.logger.error("database refused the request: %s", str(e.orig).splitlines()[0] if e.orig else e)
    return _page(503, _("Temporarily unavailable"), _(
        "The database cannot take changes at the moment. Nothing is saved; try again later or tell the "
        "administrator."))


def _csrf(_e: CSRFError) -> Any:
    return _page(400, _("Form expired"), _("The form was missing its security token. Reload the page and try again."))


def _untrusted_host(_e: SecurityError) -> Any:
    # No page: building its links would need the very host name that is not trusted.
    return "400 Bad Request: this host name is not served here\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def _http(e: HTTPException) -> Any:
    titles = {403: _("Not allowed"), 404: _("Not found"), 405: _("Not allowed"), 429: _("Too many requests")}
    messages = {403: _("Your role does not give access to this page."),
                404: _("This page or object does not exist, or it is not yours to see.")}
    status = e.code or 500
    return _page(status, titles.get(status, e.name), messages.get(status, e.description or ""))
