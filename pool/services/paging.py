"""One page of a long list: the rows, and where the page lies among all of them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    number: int  # from 1
    pages: int
    total: int  # rows over all pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(session: Session, stmt: Select[Any], page: int, size: int) -> Page[Any]:
    """Run an ordered select for one page; a page past the end gives the last page."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / size))
    number = min(max(1, page), pages)
    rows = list(session.scalars(stmt.offset((number - 1) * size).limit(size)))
    return Page(rows, number, pages, total)
