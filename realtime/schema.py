"""Small builders for the JSON Schemas that describe each event type's ``data``.

Every declared event type (:func:`realtime.events.declare`) carries a schema written with
these helpers; :func:`realtime.events.publish` checks each payload against it in development
and tests, and docs/realtime.md is checked against the declarations. The helpers only spell
JSON Schema (draft 2020-12) more briefly: ``obj(id=INT, title=STR)`` is an object with exactly
those keys, all required; ``optional=`` names keys that may be missing.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
ANY: Schema = {}
TIME: Schema = {"type": "string", "format": "date-time"}


def null(schema: Schema) -> Schema:
    """``schema`` or ``null``."""
    return {"anyOf": [schema, {"type": "null"}]}


def arr(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def enum(*values: Any) -> Schema:
    return {"enum": list(values)}


def obj(optional: dict[str, Schema] | None = None, /, **required: Schema) -> Schema:
    """An object with exactly these keys: every ``required`` one, and any of ``optional``."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": sorted(required),
        "additionalProperties": False,
    }


def loose(**required: Schema) -> Schema:
    """An object with at least these keys (for data that embeds another declared shape)."""
    return {"type": "object", "properties": required, "required": sorted(required)}
