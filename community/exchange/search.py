"""The service exchange in the site search (``community.search``): live offers and requests.

Only what the public list shows is found: not closed, not expired, not held or hidden. The
area is searchable (it is public); who posted is not indexed.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community.search.registry import Document, Provider, register


def _document(post: Any) -> Document:
    return Document(
        title=post.title,
        body=f"{post.description} {post.area} {post.availability}",
        url=reverse("exchange:post", args=[post.pk]),
        updated_at=post.updated_at,
        agency_id=post.organisation_id,
        status=post.kind,
    )


def register_posts() -> None:
    from community.exchange.models import Post
    from community.exchange.selectors import live_posts

    register(
        Provider(
            kind="exchange_post",
            label=_("Exchange offers and requests"),
            model=Post,
            queryset=lambda: Post.objects.all(),
            document=_document,
            visible=live_posts,
            statuses=list(Post.Kind.choices),
            fields=frozenset(
                {"title", "description", "area", "availability", "kind", "organisation"}
            ),
        )
    )
