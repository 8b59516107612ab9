"""Reads shared by exchange pages, the conversation consumer, exports and stats.

Every list here is built with select_related so its query count does not grow with the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from community.exchange.models import (
    Account,
    Block,
    Category,
    Exchange,
    Message,
    Movement,
    Post,
    SafetyAcknowledgement,
    Side,
    ThankYou,
    area_choices,
    area_label,
)
from community.models import Organisation, Persona, User
from community.moderation.selectors import hidden_q
from community.text import sanitize_html

POST_RELATED = ("persona", "organisation")
EXCHANGE_RELATED = (
    "post",
    "post__persona",
    "post__organisation",
    "responder",
    "responder_organisation",
)


@dataclass(frozen=True)
class PostFilters:
    q: str = ""
    kind: str = ""
    category: str = ""
    area: str = ""
    district: str = ""  # a district's slug
    mode: str = ""


def live_posts() -> QuerySet[Post]:
    """Posts anyone may see: not held or hidden by moderation, not closed, not expired."""
    return Post.objects.filter(
        closed_at__isnull=True, expires_on__gte=timezone.localdate()
    ).exclude(hidden_q(Post))


def post_list(*, viewer: User | None = None, filters: PostFilters | None = None) -> QuerySet[Post]:
    """The public list, filtered; posts of people the viewer blocked are left out."""
    filters = filters or PostFilters()
    posts = live_posts().select_related(*POST_RELATED)
    if filters.q:
        terms = filters.q.split()[:8]
        for term in terms:
            posts = posts.filter(
                Q(title__icontains=term)
                | Q(description__icontains=term)
                | Q(availability__icontains=term)
            )
    if filters.kind:
        posts = posts.filter(kind=filters.kind)
    if filters.category:
        posts = posts.filter(category=filters.category)
    if filters.area:
        posts = posts.filter(area=filters.area)
    if filters.district:
        posts = posts.filter(district__slug=filters.district)
    if filters.mode:
        posts = posts.filter(mode=filters.mode)
    if viewer is not None and viewer.is_authenticated:
        blocked = Block.objects.filter(blocker=viewer).values("blocked_id")
        posts = posts.exclude(persona__account__in=blocked)
    return posts.order_by("-created_at", "-id")


def post_for_display(pk: int) -> Post:
    """A post by id (hidden or expired ones too: the page explains), or DoesNotExist."""
    return Post.objects.select_related(*POST_RELATED).get(pk=pk)


def posts_of(user: User) -> QuerySet[Post]:
    """Posts the user manages: as one of their personas or through an intermediary."""
    orgs = user.memberships.values("organisation_id")
    return (
        Post.objects.filter(Q(persona__account=user) | Q(organisation__in=orgs))
        .select_related(*POST_RELATED)
        .annotate(conversation_count=Count("exchanges"))
        .order_by("-created_at", "-id")
    )


def exchanges_of(user: User) -> QuerySet[Exchange]:
    """Conversations the user takes part in, from either side, most recent activity first."""
    orgs = user.memberships.values("organisation_id")
    return (
        Exchange.objects.filter(
            Q(post__persona__account=user)
            | Q(post__organisation__in=orgs)
            | Q(responder__account=user)
            | Q(responder_organisation__in=orgs)
        )
        .select_related(*EXCHANGE_RELATED)
        .order_by("-updated_at", "-id")
    )


def exchange_for_display(pk: int) -> Exchange:
    return Exchange.objects.select_related(*EXCHANGE_RELATED, "transfer").get(pk=pk)


def exchanges_on_post(post: Post) -> QuerySet[Exchange]:
    return post.exchanges.select_related("responder", "responder_organisation").order_by(
        "-updated_at"
    )


def visible_messages(exchange: Exchange, *, limit: int = 200) -> list[Message]:
    """The latest ``limit`` messages, oldest first; held and hidden ones are left out."""
    rows = list(
        exchange.messages.exclude(hidden_q(Message))
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )
    rows.reverse()
    return rows


def side_persona(exchange: Exchange, side: str) -> Persona:
    return exchange.post.persona if side == Side.OWNER else exchange.responder


def side_organisation(exchange: Exchange, side: str) -> Organisation | None:
    return exchange.post.organisation if side == Side.OWNER else exchange.responder_organisation


def side_label(exchange: Exchange, side: str) -> str:
    """How a side is shown: the persona, and the intermediary acting for someone if any."""
    persona = side_persona(exchange, side)
    organisation = side_organisation(exchange, side)
    behalf = exchange.post.on_behalf_of if side == Side.OWNER else exchange.responder_on_behalf_of
    if organisation is None:
        return persona.public_name
    names = {"name": persona.public_name, "org": organisation.name, "who": behalf}
    if behalf:
        return _("%(name)s (%(org)s), for %(who)s") % names
    return _("%(name)s (%(org)s)") % names


def side_users(exchange: Exchange, side: str) -> QuerySet[User]:
    """Accounts that speak for a side: the persona's account and the intermediary's members."""
    persona = side_persona(exchange, side)
    organisation = side_organisation(exchange, side)
    condition = Q(pk=persona.account_id) if persona.account_id else Q(pk__in=[])
    if organisation is not None:
        condition |= Q(memberships__organisation=organisation)
    return User.objects.filter(condition, is_active=True).distinct()


def message_data(message: Message) -> dict[str, Any]:
    """A message as plain data (events, snapshots). ``body_html`` is sanitiser output."""
    return {
        "id": message.pk,
        "side": message.side,
        "kind": message.kind,
        "author": message.author.public_name,
        "body_html": str(sanitize_html(message.body)),
        "created_at": message.created_at.isoformat(),
    }


def exchange_state(exchange: Exchange) -> dict[str, Any]:
    """An exchange's state as plain data (``exchange.updated`` events and snapshots)."""
    thanks = {t.side: t.body for t in exchange.thanks.all()}
    return {
        "id": exchange.pk,
        "status": exchange.status,
        "status_label": str(exchange.get_status_display()),
        "provider_side": exchange.provider_side,
        "proposed_hours": _hours(exchange.proposed_hours),
        "proposed_by": exchange.proposed_by or None,
        "hours": _hours(exchange.hours),
        "owner_confirmed": exchange.owner_confirmed_at is not None,
        "responder_confirmed": exchange.responder_confirmed_at is not None,
        "thanks": thanks,
    }


def _hours(value: Decimal | None) -> str | None:
    return None if value is None else format_hours(value)


def format_hours(value: Decimal) -> str:
    """2.50 → "2.5", 3.00 → "3"."""
    text = f"{value.normalize():f}"
    return text


def conversation_snapshot(exchange: Exchange, *, side: str) -> dict[str, Any]:
    return {
        "exchange": exchange_state(exchange),
        "you": side,
        "sides": {s: side_label(exchange, s) for s in Side.values},
        "messages": [message_data(m) for m in visible_messages(exchange)],
    }


def has_read_safety_guidance(user: User) -> bool:
    return SafetyAcknowledgement.objects.filter(user=user).exists()


def blocked_personas(user: User) -> QuerySet[Block]:
    return Block.objects.filter(blocker=user).select_related("via_persona").order_by("-created_at")


def is_blocked_between(user_a_id: int | None, user_b_id: int | None) -> str | None:
    """ "blocked_by_you", "blocked_you" or None for two accounts."""
    if not user_a_id or not user_b_id:
        return None
    rows = set(
        Block.objects.filter(
            Q(blocker_id=user_a_id, blocked_id=user_b_id)
            | Q(blocker_id=user_b_id, blocked_id=user_a_id)
        ).values_list("blocker_id", flat=True)
    )
    if user_a_id in rows:
        return "blocked_by_you"
    if user_b_id in rows:
        return "blocked_you"
    return None


# -- ledger -------------------------------------------------------------------------------


def account_of_user(user: User) -> Account | None:
    return Account.objects.filter(user=user).first()


def accounts_visible_to(user: User) -> list[Account]:
    """The user's own account and those of intermediaries they belong to."""
    orgs = user.memberships.values("organisation_id")
    return list(
        Account.objects.filter(Q(user=user) | Q(organisation__in=orgs))
        .select_related("organisation")
        .order_by("kind", "id")
    )


def account_history(account: Account, *, limit: int = 50) -> list[Movement]:
    """Latest movements of an account, each with its transfer and the exchange's post."""
    return list(
        account.movements.select_related(
            "transfer", "transfer__exchange", "transfer__exchange__post"
        ).order_by("-created_at", "-id")[:limit]
    )


def exchange_stats() -> dict[str, Any]:
    """Figures for the insight dashboard: exchanges completed, hours, by category and area."""
    completed = Exchange.objects.filter(status=Exchange.Status.COMPLETED)
    totals = completed.aggregate(count=Count("id"), hours=Sum("hours"))
    categories = dict(Category.choices)
    by_category = [
        {
            "category": row["post__category"],
            "label": str(categories.get(row["post__category"], row["post__category"])),
            "exchanges": row["n"],
            "hours": format_hours(row["h"] or Decimal(0)),
        }
        for row in completed.values("post__category")
        .annotate(n=Count("id"), h=Sum("hours"))
        .order_by("-n", "post__category")
    ]
    by_area = [
        {
            "area": row["post__area"],
            "label": area_label(row["post__area"]),
            "exchanges": row["n"],
            "hours": format_hours(row["h"] or Decimal(0)),
        }
        for row in completed.values("post__area")
        .annotate(n=Count("id"), h=Sum("hours"))
        .order_by("-n", "post__area")
    ]
    return {
        "exchanges_completed": totals["count"] or 0,
        "hours_exchanged": format_hours(totals["hours"] or Decimal(0)),
        "live_offers": live_posts().filter(kind=Post.Kind.OFFER).count(),
        "live_requests": live_posts().filter(kind=Post.Kind.REQUEST).count(),
        "thanks_given": ThankYou.objects.count(),
        "by_category": by_category,
        "by_area": by_area,
        "areas": area_choices(),
    }


def public_posts_of(persona: Persona, limit: int) -> list[dict]:
    """Live offers and requests made as ``persona``, for its public page (one query)."""
    from django.urls import reverse

    posts = live_posts().filter(persona=persona).order_by("-created_at")[:limit]
    return [
        {
            "title": post.title,
            "url": reverse("exchange:post", args=[post.pk]),
            "created_at": post.created_at,
            "summary": post.get_kind_display(),
        }
        for post in posts
    ]
