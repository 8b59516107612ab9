"""Which Atom feeds a page announces (``<link rel="alternate">``) and links visibly.

One place names the feeds per kind of page, so the head and the visible links never
disagree: ``{% page_feeds "board" challenge as feeds %}`` then include
``api/_feed_alternates.html`` (in ``head``) or ``api/_feed_links.html`` (in the page).
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def page_feeds(kind: str, challenge=None) -> list[dict[str, str]]:
    status = {"title": _("Official responses to ideas"), "url": reverse("open_data:status_feed")}
    if kind == "home":
        news = {"title": _("News: you said, we did"), "url": reverse("open_data:news_feed")}
        return [news, status]
    if kind == "challenge" and challenge is not None:
        ideas = {
            "title": _("New ideas on this challenge"),
            "url": reverse("open_data:challenge_feed", args=[challenge.pk]),
        }
        return [ideas, status]
    return [status]
