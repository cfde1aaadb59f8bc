"""Ids in URLs: only numbers an id column can hold match, so /requests/99999999999999999999 is a 404."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from pool.models.base import MAX_INT


class IdConverter(IntegerConverter):
    """The `int` converter, bounded to 1 … the largest INTEGER by default."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INT)
        super().__init__(url_map, *args, **kwargs)
