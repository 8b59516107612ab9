"""Panels other parts of the site embed (the CMS's service and home pages).

``{% load ideas_panels %}`` then ``{% improve_service_panel page %}``,
``{% home_panels %}`` (both cached per change, :mod:`ideas.fragments`),
``{% open_challenges limit=3 %}`` or ``{% live_activity limit=5 %}``. Each runs a fixed
number of queries whatever the number of challenges or ideas, and none counts a board's ideas
on each view (totals are cached per board change). ``page`` is any Wagtail page;
this module never imports the CMS.
"""

from __future__ import annotations

from typing import Any

from django import template

from ideas import fragments, selectors

register = template.Library()


@register.simple_tag
def improve_service_panel(page: Any, limit: int = 5) -> str:
    """Open challenges on this service and the newest ideas on them: one query, the ideas
    and the HTML cached per board change (:func:`ideas.fragments.improve_service_panel`)."""
    return fragments.improve_service_panel(page, limit)


@register.simple_tag
def home_panels(challenges: int = 3, activity: int = 5) -> str:
    """The home page's open challenges and live activity, rendered once per change and
    cached (:func:`ideas.fragments.home_panels`): no query while nothing changed."""
    return fragments.home_panels(challenges, activity)


@register.inclusion_tag("ideas/includes/open_challenges.html")
def open_challenges(limit: int = 3) -> dict[str, Any]:
    return {"challenges": selectors.open_challenges(limit=limit)}


@register.inclusion_tag("ideas/includes/live_activity.html")
def live_activity(limit: int = 5) -> dict[str, Any]:
    return {"items": selectors.live_activity(limit=limit)}
