"""Tunable numbers for the idea boards, read from ``settings.IDEAS`` with these defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # The author may edit an idea for this long after posting (while it is still submitted).
    "IDEA_EDIT_MINUTES": 60,
    # A comment may be corrected by its author for this long.
    "COMMENT_EDIT_MINUTES": 15,
    # Ideas per board page, and therefore the size bound of a board snapshot.
    "BOARD_PAGE_SIZE": 20,
    # Trending = support_count + RECENT_WEIGHT * supports received in the last WINDOW days.
    "TRENDING_WINDOW_DAYS": 7,
    "TRENDING_RECENT_WEIGHT": 4,
    # How long cached board cards, totals and panels are kept. Their keys change with what
    # they show (ideas.fragments), so this bounds memory, not staleness.
    "CACHE_SECONDS": 600,
    # Similar-idea suggestions shown while typing, and the cosine score they must reach.
    "SIMILAR_LIMIT": 5,
    "SIMILAR_MIN_SCORE": 0.12,
}


def setting(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "IDEAS", {})}[name]
