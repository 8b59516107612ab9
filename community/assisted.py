"""Pages where helpers take part for a citizen (assisted digital), registered by each app.

``community`` never imports ``ideas``: apps list their assisted pages here in
``AppConfig.ready()`` and the account page links them for people who may assist::

    register_assist_page(_("Post an idea for a citizen"), "ideas:assist_idea")
"""

from __future__ import annotations

from typing import Any

_pages: dict[str, Any] = {}


def register_assist_page(label: Any, url_name: str) -> None:
    _pages[url_name] = label


def assist_pages() -> list[tuple[Any, str]]:
    return [(label, name) for name, label in _pages.items()]
