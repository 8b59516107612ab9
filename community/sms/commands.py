"""What a text can ask for. Other apps register commands in their ``AppConfig.ready()``.

A handler is ``fn(message: Command) -> str``: it does the work through its app's services
and returns the reply (in the active language: the sender's). It raises nothing a citizen
caused; :func:`community.sms.services.inbound_handle` turns ``PermissionDenied`` and
``ValidationError`` into a reply anyway, so a mistake never posts half a thing.

``register_command("YES", support_by_text)`` claims a first word; ``register_fallback(fn)``
handles every other text (ideas uses it for "<challenge code> <idea>").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Command:
    user: Any
    keyword: str
    rest: str
    text: str


Handler = Callable[[Command], str]
_commands: dict[str, Handler] = {}
_fallback: list[Handler] = []


def register_command(keyword: str, handler: Handler) -> None:
    _commands[keyword.upper()] = handler


def register_fallback(handler: Handler) -> None:
    _fallback[:] = [handler]


def handler_for(keyword: str) -> Handler | None:
    return _commands.get(keyword.upper()) or (_fallback[0] if _fallback else None)
