"""Small helpers for answering htmx and plain requests alike."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect
from flask_htmx import HTMX

htmx = HTMX()


def go(url: str) -> Any:
    """Send the browser on after a change: a full redirect for htmx (HX-Redirect), 303 for a plain form."""
    if htmx:
        return Response(status=204, headers={"HX-Redirect": url})
    return redirect(url, code=303)


def wants(target: str) -> bool:
    """Return whether this is an htmx request that swaps the element with this id."""
    return bool(htmx) and htmx.target == target
