"""JSON Schema checks of the exchange formats, reporting the JSON path of every problem."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.validators import extend

MAX_DEPTH = 12  # the formats nest 5 deep; kpis and solver figures may nest a little more
SHOWN = 60  # characters of a bad value or key that an error line repeats

# A JSON integer is a whole number written without a fraction or exponent: 1e308 and 16.0 are not.
_Strict = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, v: isinstance(v, int) and not isinstance(v, bool)
    ),
)


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = json.loads(files("pool.formats").joinpath("schemas", f"{name}.json").read_text("utf-8"))
    return _Strict(schema)  # type: ignore[no-any-return]


def cut(text: str, limit: int = SHOWN) -> str:
    """Shorten a value for an error line: a 200 MB name must not make a 200 MB message."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def schema_problems(name: str, doc: Any) -> list[tuple[str, str]]:
    """Return (JSON path, message) for every place where doc breaks the named schema."""
    problems = _shape_problems(doc)
    if problems:
        return problems
    errors = sorted(_validator(name).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        if error.validator == "oneOf" and error.context:
            # Name the closest alternative rather than "is not valid under any of the given schemas".
            error = max(error.context, key=lambda e: len(e.absolute_path))
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            for key in sorted(k for k in error.instance if k not in known):
                problems.append((cut(f"{error.json_path}.{key}", 200), f"unknown key {cut(key)!r}"))
            continue
        problems.append((cut(error.json_path, 200), _message(error)))
    return problems


def _message(error: Any) -> str:
    value = error.instance
    if error.validator == "maxLength":
        return f"{cut(repr(value))} is longer than {error.validator_value} characters"
    if error.validator in ("maximum", "minimum"):
        side = "above the maximum" if error.validator == "maximum" else "below the minimum"
        return f"{cut(repr(value))} is {side} of {error.validator_value}"
    return cut(error.message, 300)


def _shape_problems(doc: Any) -> list[tuple[str, str]]:
    """Refuse what a database cannot store or a parser should not chase: deep nesting, NUL, lone surrogates."""
    problems: list[tuple[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(doc, "$", 0)]
    while stack and len(problems) < 20:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            problems.append((cut(path, 200), f"nested deeper than {MAX_DEPTH} levels"))
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                bad = _bad_text(str(key))
                if bad:
                    problems.append((cut(path, 200), f"key {cut(repr(key))} {bad}"))
                stack.append((item, f"{path}.{key}", depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            bad = _bad_text(value)
            if bad:
                problems.append((cut(path, 200), bad))
    return sorted(problems)


def _bad_text(text: str) -> str:
    if "\x00" in text:
        return "holds a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds a lone surrogate (\\ud800-\\udfff), which is not text"
    return ""
