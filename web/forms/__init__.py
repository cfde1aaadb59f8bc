"""Forms, one module per feature; labels are translated lazily."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into select choices; labels are translated now."""
    return [SelectChoice(value, str(label)) for value, label in pairs]
