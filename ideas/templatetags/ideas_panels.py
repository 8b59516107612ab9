"""Panels other parts of the site embed (the CMS's service and home pages).

``{% load ideas_panels %}`` then ``{% improve_service_panel page %}``,
``{% open_challenges limit=3 %}`` or ``{% live_activity limit=5 %}``. Each runs a fixed
number of queries whatever the number of challenges or ideas. ``page`` is any Wagtail page;
this module never imports the CMS.
"""

from __future__ import annotations

from typing import Any

from django import template

from ideas import selectors

register = template.Library()


@register.inclusion_tag("ideas/includes/improve_service_panel.html")
def improve_service_panel(page: Any, limit: int = 5) -> dict[str, Any]:
    """Open challenges on this service and the newest ideas on them (two queries)."""
    challenges = selectors.challenges_for_page(page) if page is not None else []
    ideas = selectors.recent_ideas(challenges=challenges, limit=limit) if challenges else []
    return {"page": page, "challenges": challenges, "ideas": ideas}


@register.inclusion_tag("ideas/includes/open_challenges.html")
def open_challenges(limit: int = 3) -> dict[str, Any]:
    return {"challenges": selectors.open_challenges(limit=limit)}


@register.inclusion_tag("ideas/includes/live_activity.html")
def live_activity(limit: int = 5) -> dict[str, Any]:
    return {"items": selectors.live_activity(limit=limit)}
