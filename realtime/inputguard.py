"""The input guard: one rule for the characters and shapes every entry point accepts.

Text that cannot be stored or shown must be refused where it arrives, with a message saying
which field is wrong, before any service runs: PostgreSQL refuses NUL in text, a lone UTF-16
surrogate (``"\\ud800"`` in JSON) cannot be encoded for the database driver, control
characters corrupt logs, CSV exports and texts, and deeply nested JSON exhausts the parser's
recursion (a ``RecursionError``, which took the websocket down with it).

Refused: NUL and every other C0/C1 control character except tab, newline and carriage
return, and unpaired surrogates. JSON is refused beyond :data:`MAX_JSON_DEPTH` levels of
nesting. Each entry point calls this module from the one place it parses input:

* HTTP query strings and form posts: ``config.middleware.InputGuardMiddleware`` (400);
* the API's JSON bodies: ``api.parsers.GuardedJSONParser`` (400 with a field error);
* websocket messages: ``realtime.consumers.LiveConsumer.receive`` (an ``invalid`` error);
* text messages: ``community.sms.services.inbound_handle`` (a reply saying what is wrong).

It lives in ``realtime``, the lowest layer, and imports no domain app, so ``community``,
``api``, the consumers and ``config`` all use it without an app reaching up into ``config``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

from django.utils.translation import gettext as _

# C0 controls except \t \n \r, DEL, C1 controls, and surrogates (in a Python str a
# surrogate is always unpaired: JSON's "\ud83d\ude00" decodes to one code point).
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_JSON_DEPTH = 32


class InputRefused(ValueError):
    """Raised with the field (a dotted path, ``""`` for the whole input) and a message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.data: Any = None  # the parsed input, when it was JSON (to echo a client's ref)


def refused_character(text: str) -> str | None:
    """The first character of ``text`` that is refused, or None."""
    found = _REFUSED.search(text)
    return found.group() if found else None


def without_refused(text: str) -> str:
    """``text`` with every refused character removed (for records of what arrived)."""
    return _REFUSED.sub("", text)


def character_message(character: str) -> str:
    if character == "\x00":
        what = _("a null character")
    elif "\ud800" <= character <= "\udfff":
        what = _("a broken character (an unpaired surrogate)")
    else:
        what = _("an invisible control character (U+%(code)04X)") % {"code": ord(character)}
    return _("This contains %(what)s, which cannot be saved. Remove it and try again.") % {
        "what": what
    }


def check_text(field: str, text: str) -> None:
    """Raise :class:`InputRefused` if ``text`` holds a refused character."""
    character = refused_character(text)
    if character is not None:
        raise InputRefused(field, character_message(character))


def _walk(data: Any) -> Iterator[tuple[str, Any, int]]:
    """(dotted path, value, depth) for every value and key, without recursion."""
    stack: list[tuple[str, Any, int]] = [("", data, 1)]
    while stack:
        path, value, depth = stack.pop()
        yield path, value, depth
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                yield child, key, depth + 1  # keys are text too
                stack.append((child, item, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((f"{path}.{index}" if path else str(index), item, depth + 1))


def check_data(data: Any, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise :class:`InputRefused` for parsed JSON nested too deeply or holding refused text."""
    for path, value, depth in _walk(data):
        if depth > max_depth:
            raise InputRefused(
                path.split(".", 1)[0],  # the top-level field: the deep path helps no one
                _("This is nested more than %(max)d levels deep.") % {"max": max_depth},
            )
        if isinstance(value, str):
            check_text(path, value)


def loads_json(text: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` that refuses what :func:`check_data` refuses.

    Raises ``ValueError`` for text that is not JSON (``json.JSONDecodeError``) and
    :class:`InputRefused` (also a ``ValueError``) for input that is JSON but refused.
    Nesting deep enough to exhaust the parser's recursion is refused the same way.
    """
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputRefused(
            "", _("This is nested more than %(max)d levels deep.") % {"max": max_depth}
        ) from None
    try:
        check_data(data, max_depth=max_depth)
    except InputRefused as refused:
        refused.data = data
        raise
    return data


def input_guard_exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that applies this guard itself (like ``csrf_exempt``), so
    ``InputGuardMiddleware`` lets it through: the SMS webhook answers refused text with a
    text message, not with a 400 the sender would never see."""
    cast(Any, view).input_guard_exempt = True  # a mark on the function, as csrf_exempt's
    return view
