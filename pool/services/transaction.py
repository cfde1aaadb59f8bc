"""One transaction per use case: commit what the block did, roll back on any error, say no to stale saves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from pool.errors import VersionConflict


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit the work of the block, or roll all of it back; a row changed meanwhile is a VersionConflict."""
    try:
        yield session
        session.commit()
    except StaleDataError as e:
        session.rollback()
        raise VersionConflict("someone else changed this in the meantime; reload the page and try again") from e
    except BaseException:
        session.rollback()
        raise
