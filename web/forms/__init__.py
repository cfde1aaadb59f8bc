"""Forms, one module per feature; labels are translated lazily."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from pool.models.base import MAX_INT


class _Catalogue:
    """WTForms' own messages ("This field is required.") said through our catalogue, in the user's language.

    WTForms' Dutch catalogue mixes "Nummer" and "Getal" and a form without Flask-WTF's meta gets none at all;
    ours words each of its messages once, the way the rest of the application speaks.
    """

    def gettext(self, string: str) -> str:
        return str(get_translations().gettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(get_translations().ngettext(singular, plural, n))


CATALOGUE = _Catalogue()


class TranslatedMeta:
    """A form's meta that takes WTForms' messages from our catalogue; a sub-form (FormField) uses it too."""

    def get_translations(self, form: Any) -> _Catalogue:
        return CATALOGUE


class PoolForm(FlaskForm):
    """A Flask-WTF form whose built-in validation messages come from our catalogue."""

    class Meta(TranslatedMeta, FlaskForm.Meta):
        pass


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into select choices; labels are translated now."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


def seen_version(value: object) -> int | None:
    """Return the version a form was made from: None when the form carried none, 0 (never stored) for junk."""
    if value in (None, ""):
        return None
    text = str(value)
    return int(text) if text.isdigit() and len(text) <= 9 else 0


def an_id(value: object) -> int:
    """Coerce a chosen id; one no column can hold is not a choice (WTForms reports the ValueError)."""
    number = int(str(value))
    if not 0 < number <= MAX_INT:
        raise ValueError("not an id")
    return number


def optional_id(value: object) -> int | None:
    """Coerce a chosen id, or None for no choice."""
    return an_id(value) if value not in (None, "", "None") else None
