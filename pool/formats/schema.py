"""JSON Schema checks of the exchange formats, reporting the JSON path of every problem."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = json.loads(files("pool.formats").joinpath("schemas", f"{name}.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def schema_problems(name: str, doc: Any) -> list[tuple[str, str]]:
    """Return (JSON path, message) for every place where doc breaks the named schema."""
    errors = sorted(_validator(name).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    problems = []
    for error in errors:
        if error.validator == "oneOf" and error.context:
            # Name the closest alternative rather than "is not valid under any of the given schemas".
            error = max(error.context, key=lambda e: len(e.absolute_path))
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            for key in sorted(k for k in error.instance if k not in known):
                problems.append((f"{error.json_path}.{key}", f"unknown key {key!r}"))
            continue
        problems.append((error.json_path, error.message))
    return problems
