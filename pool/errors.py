"""Errors the services raise; each layer above maps them to its own way of saying no."""

from __future__ import annotations


class PoolError(Exception):
    """A request the domain refuses, with a message a user can act on."""


class NotFound(PoolError):
    """The object does not exist (or is not visible to the caller)."""


class FormatError(PoolError):
    """A document that does not follow its exchange format; every problem names its JSON path."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        shown = "; ".join(f"{path}: {msg}" for path, msg in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{shown}{more}")
