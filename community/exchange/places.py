"""Offers and requests on maps: their area only (registered in ``ExchangeConfig.ready``).

A post's point is its district's centre (set by ``post_create``), never where the person
is; maps say "area only" beside it. Only live posts (not held, hidden, closed or expired).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community.exchange.models import Post
from community.exchange.selectors import live_posts
from community.places.layers import Layer, MapFilter, MapItem, register_layer


def placed(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.filter(latitude__isnull=False, longitude__isnull=False).select_related("district")


def post_items(posts: Iterable[Post]) -> list[MapItem]:
    return [
        MapItem(
            kind="exchange",
            kind_label=_("Offer or request"),
            title=post.title,
            url=reverse("exchange:post", args=[post.pk]),
            latitude=post.latitude,  # type: ignore[arg-type]  # placed(): not null
            longitude=post.longitude,  # type: ignore[arg-type]
            district=post.district.name if post.district else "",
            status=post.kind,
            status_label=Post.Kind(post.kind).label,
            area_only=True,
            extra={"id": post.pk},
        )
        for post in posts
        if post.latitude is not None and post.longitude is not None
    ]


def _posts(wanted: MapFilter) -> list[MapItem]:
    posts = placed(live_posts())
    if wanted.district is not None:
        posts = posts.filter(district=wanted.district)
    if wanted.status:
        posts = posts.filter(kind=wanted.status)
    return post_items(posts.order_by("-created_at", "-id")[: wanted.limit])


def register() -> None:
    register_layer(Layer("exchange", _("Offers and requests"), _posts, statuses=Post.Kind.choices))
