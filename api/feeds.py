"""Atom feeds: new ideas per challenge, idea status changes (official responses) and news.

The roadmap feed is ``ideas.backlog.roadmap.RoadmapFeed`` (/roadmap/feed/), reused as is.
Entries carry no author: feeds are about what changed, not who.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from community.text import plain_text
from ideas import selectors as idea_selectors
from ideas.models import Challenge

FEED_SIZE = 50


class ChallengeIdeasFeed(Feed):
    """New public ideas on one published challenge, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, pk: int):
        challenge = Challenge.objects.published().filter(pk=pk).first()
        if challenge is None:
            raise Http404
        return challenge

    def title(self, obj):
        return _("New ideas: %(question)s") % {"question": plain_text(obj.question)}

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return _("Ideas posted on this challenge's board.")

    def items(self, obj):
        return (
            idea_selectors.public_ideas()
            .filter(challenge=obj)
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        # Atom titles are text, but some feed readers render them as HTML: strip any markup.
        return plain_text(item.title)

    def item_description(self, item):
        return plain_text(item.body)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return sorted(tag.name for tag in item.tags.all())


class StatusChangesFeed(Feed):
    """Agencies' official responses that moved public ideas to a new status."""

    feed_type = Atom1Feed

    def title(self):
        return _("Idea status changes")

    def link(self):
        return reverse("ideas:challenge_list")

    def subtitle(self):
        return _("What agencies decided about citizens' ideas, and why.")

    def items(self):
        return idea_selectors.public_status_changes().order_by("-created_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return f"{plain_text(item.idea.title)} — {item.get_to_status_display()}"

    def item_description(self, item):
        return f"{item.agency.name}: {plain_text(item.response)}"

    def item_link(self, item):
        return f"{item.idea.get_absolute_url()}#response-{item.pk}"

    def item_guid(self, item):
        return f"status-change-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_categories(self, item):
        return [item.get_to_status_display(), item.agency.name]


class NewsFeed(Feed):
    """Published "You said, we did" news stories, newest first."""

    feed_type = Atom1Feed

    def title(self):
        return _("News: you said, we did")

    def link(self):
        return "/"

    def subtitle(self):
        return _("What changed because of what people asked for.")

    def items(self):
        from cms.models import NewsPage

        return NewsPage.objects.live().public().order_by("-date", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url or "/"

    def item_pubdate(self, item):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(item.date, time(9)))

    def item_updateddate(self, item):
        return item.last_published_at
