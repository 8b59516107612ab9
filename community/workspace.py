"""Staff pages linked from the account page ("Your work"), registered by each app.

Public servants reach their tools (moderation queue, backlogs, insight, co-design) from one
place without the public header growing staff links. ``community`` never imports ``ideas``:
apps register in ``AppConfig.ready()`` with the permission that decides who sees the link::

    register_workspace_page(_("Insight dashboards"), "insight:index", is_public_servant)

The page itself still checks permission; the registry only decides what to link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class WorkspacePage:
    label: Any
    url_name: str
    allowed: Callable[[Any], bool]
    order: int


_pages: dict[str, WorkspacePage] = {}


def register_workspace_page(
    label: Any, url_name: str, allowed: Callable[[Any], bool], *, order: int = 50
) -> None:
    _pages[url_name] = WorkspacePage(label, url_name, allowed, order)


def workspace_links(user) -> list[tuple[Any, str]]:
    """(label, url) of the staff pages ``user`` may open, in a stable order."""
    pages = sorted(_pages.values(), key=lambda p: (p.order, p.url_name))
    return [(page.label, reverse(page.url_name)) for page in pages if page.allowed(user)]
