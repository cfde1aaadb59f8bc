"""Errors the services raise; each layer above maps them to its own way of saying no."""

from __future__ import annotations

import json


class PoolError(Exception):
    """A request the domain refuses, with a message a user can act on.

    The message is a message id in English with %(name)s placeholders filled from params, so the web tier can
    say it in the user's language through the catalogue (`-k PoolError` marks it for extraction); `field`
    names the form field it is about, when there is one. `PoolError("plain text")` still works.
    """

    def __init__(self, message: str = "", field: str | None = None, **params: object) -> None:
        self.message, self.field, self.params = message, field, params
        super().__init__(message % params if params else message)


class NotWaiting(PoolError):
    """Some of the requests to decide on no longer wait for a decision; `codes` says which."""

    def __init__(self, codes: list[str]):
        super().__init__(f"no longer waiting for a decision: {', '.join(codes)}; nothing is approved")
        self.codes = codes


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
        self.problems = [(_one_line(path, 200), _one_line(msg, 400)) for path, msg in problems]
        shown = "; ".join(f"{path}: {msg}" for path, msg in self.problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{shown}{more}")


def _one_line(text: str, limit: int) -> str:
    """Keep an error line one line of printable text: escape control characters and lone surrogates."""
    text = text[:limit]
    if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in text):
        text = json.dumps(text)[1:-1]
    return text
