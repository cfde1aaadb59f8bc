"""A domain refusal said in the user's language, on the form it came from, next to its field."""

from __future__ import annotations

import datetime as dt
from types import TracebackType
from typing import Any

from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _
from wtforms import Form

from pool.errors import NotFound, PoolError, VersionConflict
from web.i18n import PLAN_STATUS, PRIORITY, STATUS, UNAVAILABILITY

# Params that name a domain value the user reads in their own language.
_WORDED: dict[str, dict[Any, Any]] = {"status": {**PLAN_STATUS, **STATUS}, "priority": PRIORITY, "kind": UNAVAILABILITY}


def _param(name: str, value: object) -> object:
    worded = _WORDED.get(name, {})
    if value in worded:
        return str(worded[value])
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value)
    return value


def conflict_words(e: VersionConflict) -> str:
    """Say who changed the object and when, and that nothing of the user's is saved."""
    when = e.changed_at
    if isinstance(when, dt.datetime) and when.tzinfo is None:  # SQLite hands UTC back without its zone
        when = when.replace(tzinfo=dt.UTC)
    said = format_datetime(when, "medium") if isinstance(when, dt.datetime) else _("just now")
    return _(
        "%(who)s changed this at %(when)s, after you opened the page. Nothing of yours is saved: open the page "
        "again, look at the change and make yours once more.", who=e.changed_by or _("someone"), when=said)


def say(e: PoolError) -> str:
    """Return the refusal as a sentence in the user's language (the English text when it has no translation)."""
    if isinstance(e, VersionConflict):
        return conflict_words(e)
    if not e.message:
        return str(e)
    params = {k: _param(k, v) for k, v in e.params.items()}
    try:
        text = _(e.message, **params) if params else _(e.message)
    except (KeyError, ValueError, TypeError):  # a translation whose placeholders do not match its message
        text = str(e)
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".?!" else text + "."


def put_on(form: Form, e: PoolError) -> None:
    """Show a refusal next to the field it names, or above the form when it names none the form has."""
    text = say(e)
    field = form._fields.get(e.field) if e.field else None
    if field is not None:
        field.errors = [*field.errors, text]
    else:
        form.form_errors.append(text)


class on_form:  # noqa: N801 - used as a context manager, read as a phrase: `with on_form(form) as refused`
    """Catch a domain refusal raised in the block and put it on the form; a view then shows the form again.

    NotFound is no refusal of what was typed: it still becomes the 404 page.
    """

    def __init__(self, form: Form) -> None:
        self.form = form
        self.error: PoolError | None = None

    def __enter__(self) -> on_form:
        return self

    def __exit__(self, kind: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> bool:
        if isinstance(e, PoolError) and not isinstance(e, NotFound):
            self.error = e
            put_on(self.form, e)
            return True
        return False

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def status(self) -> int:
        """The HTTP status of the form shown again: 409 for a stale save, 422 for any other refusal."""
        return 409 if isinstance(self.error, VersionConflict) else 422
