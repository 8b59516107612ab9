"""Closing the loop. On every status change of a *public* item everyone who posted,
supported, commented on or followed a source idea (and every participant of another
registered source, see :mod:`ideas.backlog.sources`) gets one in-app notification (emailed by
their preference for ``backlog.status``): one per person per change, however many sources
they touched. The source ideas' statuses follow the item through
:func:`ideas.actions.idea_status_follow_backlog`, which notifies nobody itself."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from community import actions as community_actions
from community.models import Follow, User
from ideas.actions import idea_status_follow_backlog
from ideas.backlog.models import BacklogItem, ItemStatus
from ideas.backlog.sources import participants_of
from ideas.models import Comment, Idea, Status, Vote

# The status a source idea takes when its item reaches a status.
IDEA_STATUS_FOR: dict[str, str] = {
    ItemStatus.NEW: Status.IN_BACKLOG,
    ItemStatus.TRIAGED: Status.IN_BACKLOG,
    ItemStatus.IN_DISCOVERY: Status.IN_BACKLOG,
    ItemStatus.IN_DELIVERY: Status.IN_BACKLOG,
    ItemStatus.DONE: Status.IMPLEMENTED,
    ItemStatus.WONT_DO: Status.NOT_TAKEN_FORWARD,
}


def participants(item: BacklogItem) -> set[int]:
    """Account ids of everyone who posted, supported, commented on or followed a source idea,
    or took part in another registered source. Five queries plus one per source model."""
    idea_ids = list(item.idea_links.values_list("idea_id", flat=True))
    accounts: set[int] = set()
    if idea_ids:
        accounts |= set(
            Idea.objects.filter(pk__in=idea_ids).values_list("persona__account_id", flat=True)
        )
        accounts |= set(
            Vote.objects.filter(idea_id__in=idea_ids).values_list("account_id", flat=True)
        )
        accounts |= set(
            Comment.objects.filter(idea_id__in=idea_ids).values_list(
                "persona__account_id", flat=True
            )
        )
        accounts |= set(
            Follow.objects.filter(
                content_type=ContentType.objects.get_for_model(Idea), object_id__in=idea_ids
            ).values_list("user_id", flat=True)
        )
    pairs = [
        (link.content_type.model_class(), link.object_id)
        for link in item.source_links.select_related("content_type")
    ]
    accounts |= participants_of((model, pk) for model, pk in pairs if model is not None)
    accounts.discard(None)
    return accounts


def tell(account_ids: set[int], *, title: str, body: str, url: str, actor: User | None) -> None:
    """One ``backlog.status`` notification each to the active accounts among ``account_ids``."""
    if not account_ids:
        return
    community_actions.notify(
        recipients=User.objects.filter(pk__in=account_ids, is_active=True).order_by("pk"),
        category="backlog.status",
        title=title,
        body=body,
        url=url,
        exclude=actor,
    )


def default_response(item: BacklogItem) -> str:
    return _("%(agency)s has taken this idea into its innovation backlog: %(status)s.") % {
        "agency": item.agency.name,
        "status": ItemStatus(item.status).label,
    }


def follow_ideas(item: BacklogItem, message: str, actor: User | None) -> None:
    """Move each source idea to the status its item implies (one way: the ideas action)."""
    target = IDEA_STATUS_FOR[item.status]
    response = message or default_response(item)
    for link in item.idea_links.select_related("idea__challenge__agency", "idea__persona"):
        idea_status_follow_backlog(
            idea=link.idea, status=target, response=response, changed_by=actor
        )
