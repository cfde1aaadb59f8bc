"""Errors the services raise; each layer above maps them to its own way of saying no."""

from __future__ import annotations


class PoolError(Exception):
    """A request the domain refuses, with a message a user can act on."""


class NotFound(PoolError):
    """The object does not exist (or is not visible to the caller)."""


class VersionConflict(PoolError):
    """A save based on an older version of an object that someone else changed in the meantime."""

    def __init__(self, message: str, changed_by: str = "", changed_at: object = None):
        self.changed_by, self.changed_at = changed_by, changed_at
        super().__init__(message)


class FormatError(PoolError):
    """A document that does not follow its exchange format; every problem names its JSON path."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = [(path[:200], msg[:400]) for path, msg in problems]
        shown = "; ".join(f"{path}: {msg}" for path, msg in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{shown}{more}")
