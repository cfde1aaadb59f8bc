"""The whole cooperation as one document (`pool-backup/1`), and back into an empty database, all or nothing.

The document holds every table of the application: the situation, every plan, the ledger closes, the accounts
with their password hashes (so a back-up is as secret as the database) and the audit trail. Left out are the
scheduler's own runtime rows (its job store and lease) and the login throttle's counters.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Boolean, Date, DateTime, Engine, Float, Integer, String, Table, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pool.db import alembic_config
from pool.errors import PoolError
from pool.models import Base

FORMAT = "pool-backup/1"
LEFT_OUT = {"apscheduler_jobs", "scheduler_lease", "login_throttle"}


def backed_up_tables() -> list[Table]:
    """The tables a back-up holds, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in LEFT_OUT]


def schema_revision(engine: Engine) -> str:
    """The newest migration this code knows (a back-up restores only into the same schema)."""
    return str(ScriptDirectory.from_config(alembic_config(engine)).get_current_head())


def _out(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def backup(session: Session) -> dict[str, Any]:
    """Return the back-up document of everything in the database."""
    tables: dict[str, Any] = {}
    for table in backed_up_tables():
        columns = [c.name for c in table.columns]
        order = list(table.primary_key.columns)
        rows = session.execute(select(*table.columns).order_by(*order))
        tables[table.name] = {"columns": columns, "rows": [[_out(v) for v in row] for row in rows]}
    return {"format": FORMAT, "schema": schema_revision(session.get_bind().engine), "tables": tables}


def _in(column: Any, value: Any, path: str) -> Any:
    """Check one value against its column and turn it into what the database takes."""
    if value is None:
        if not column.nullable:
            raise PoolError(f"{path}: {column.name} may not be empty")
        return None
    kind = column.type
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise PoolError(f"{path}: {column.name} must be true or false")
        return value
    if isinstance(kind, Integer):
        if not isinstance(value, int) or isinstance(value, bool) or not -(2**31) <= value < 2**31:
            raise PoolError(f"{path}: {column.name} must be a whole number the database can hold")
        return value
    if isinstance(kind, Float):
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise PoolError(f"{path}: {column.name} must be a number")
        return float(value)
    if isinstance(kind, DateTime | Date):
        if not isinstance(value, str):
            raise PoolError(f"{path}: {column.name} must be an ISO date")
        try:
            parsed = (dt.datetime if isinstance(kind, DateTime) else dt.date).fromisoformat(value)
        except ValueError:
            raise PoolError(f"{path}: {column.name} is not an ISO date: {value[:40]!r}") from None
        return parsed
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise PoolError(f"{path}: {column.name} must be text")
        if kind.length is not None and len(value) > kind.length:
            raise PoolError(f"{path}: {column.name} is longer than {kind.length} characters")
        if "\x00" in value:
            raise PoolError(f"{path}: {column.name} holds a NUL character")
        return value
    return value


def _rows(doc: Any) -> list[tuple[Table, list[dict[str, Any]]]]:
    """Check the document's shape and every value; return each table's rows ready to insert."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PoolError(f"format: this is not a {FORMAT} document")
    if set(doc) != {"format", "schema", "tables"}:
        raise PoolError(f"(root): expected the keys format, schema and tables, found {', '.join(sorted(doc))}")
    if not isinstance(doc["tables"], dict):
        raise PoolError("tables: must be an object")
    known = {t.name: t for t in backed_up_tables()}
    unknown = sorted(set(doc["tables"]) - set(known))
    if unknown:
        raise PoolError(f"tables.{unknown[0]}: no such table in this version of the application")
    out = []
    for table in known.values():
        path = f"tables.{table.name}"
        part = doc["tables"].get(table.name)
        if part is None:
            raise PoolError(f"{path}: missing")
        if not isinstance(part, dict) or set(part) != {"columns", "rows"} or not isinstance(part["rows"], list):
            raise PoolError(f"{path}: must be an object with columns and rows")
        names = [c.name for c in table.columns]
        if part["columns"] != names:
            raise PoolError(f"{path}.columns: expected {', '.join(names)}")
        columns = list(table.columns)
        rows = []
        for i, row in enumerate(part["rows"]):
            if not isinstance(row, list) or len(row) != len(columns):
                raise PoolError(f"{path}.rows[{i}]: must be a list of {len(columns)} values")
            rows.append({c.name: _in(c, v, f"{path}.rows[{i}][{j}]") for j, (c, v) in enumerate(zip(columns, row,
                                                                                                   strict=True))})
        out.append((table, rows))
    return out


def restore(session: Session, doc: Any) -> dict[str, int]:
    """Load a back-up into an empty database in one transaction; return the rows per table."""
    engine = session.get_bind().engine
    if not isinstance(doc, dict) or doc.get("schema") != schema_revision(engine):
        found = doc.get("schema") if isinstance(doc, dict) else None
        raise PoolError(f"schema: the back-up is of schema {str(found)[:40]!r}, this application has "
                        f"{schema_revision(engine)!r}; restore it with the version that wrote it")
    tables = _rows(doc)
    for table, _ in tables:
        if session.scalar(select(func.count()).select_from(table)):
            raise PoolError(f"the database is not empty (table {table.name} has rows): restore only into an "
                            "empty database")
    counts = {}
    try:
        for table, rows in tables:
            if rows:
                session.execute(table.insert(), rows)
            counts[table.name] = len(rows)
        if engine.dialect.name == "postgresql":
            for table, _ in tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and isinstance(pk[0].type, Integer) and pk[0].autoincrement in (True, "auto"):
                    session.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                        f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"))
            _analyze(session, [table for table, _ in tables])
        session.commit()
    except IntegrityError as e:
        session.rollback()
        first = str(e.orig).strip().splitlines()[0][:300]
        raise PoolError(f"tables: the back-up contradicts itself and nothing was restored: {first}") from None
    except Exception:
        session.rollback()
        raise
    return counts


def _analyze(session: Session, tables: list[Table]) -> None:
    """Gather the PostgreSQL planner's statistics of the loaded tables: without them (a freshly loaded table
    has none until autovacuum comes by) the planner guesses row counts and value distributions. ANALYZE counts
    the rows this transaction inserted, so it runs before the commit."""
    for table in tables:
        session.execute(text(f'ANALYZE "{table.name}"'))
