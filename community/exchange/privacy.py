"""What the exchange holds about a person, for the privacy dashboard and data download.

Posts and messages are shown under personas, which account deletion anonymises, so they
need no eraser for that. The exchange does keep personal data outside personas: blocks,
the safety acknowledgement, and contact details a person chose to share in a conversation
(the text of ``contact`` messages). Reports are the moderation app's (it exports and erases
them). The eraser removes those; the ledger keeps
its movements (the books must balance) against the tombstoned account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.privacy import register_erasure, register_export


def export_posts(user) -> list[dict[str, Any]]:
    from community.exchange.models import Post

    posts = Post.objects.filter(Q(persona__account=user) | Q(created_by=user)).select_related(
        "persona", "organisation"
    )
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "title": p.title,
            "description": p.description,
            "category": p.category,
            "area": p.area,
            "availability": p.availability,
            "mode": p.mode,
            "persona": p.persona.display_name,
            "intermediary": p.organisation.name if p.organisation else None,
            "on_behalf_of": p.on_behalf_of,
            "created_at": p.created_at.isoformat(),
            "expires_on": p.expires_on.isoformat(),
            "closed_at": p.closed_at.isoformat() if p.closed_at else None,
        }
        for p in posts.order_by("created_at", "id")
    ]


def export_messages(user) -> list[dict[str, Any]]:
    from community.exchange.models import Message

    messages = Message.objects.filter(author_user=user).select_related("author", "exchange__post")
    return [
        {
            "id": m.pk,
            "conversation": m.exchange_id,
            "about": m.exchange.post.title,
            "persona": m.author.display_name,
            "kind": m.kind,
            "body": m.body,
            "created_at": m.created_at.isoformat(),
        }
        for m in messages.order_by("created_at", "id")
    ]


def export_movements(user) -> list[dict[str, Any]]:
    from community.exchange.models import Movement

    movements = Movement.objects.filter(account__user=user).select_related("transfer")
    return [
        {
            "transfer": m.transfer_id,
            "hours": str(m.amount),
            "kind": m.transfer.kind,
            "memo": m.transfer.memo,
            "reason": m.transfer.reason,
            "exchange": m.transfer.exchange_id,
            "created_at": m.created_at.isoformat(),
        }
        for m in movements.order_by("created_at", "id")
    ]


def export_safety(user) -> list[dict[str, Any]]:
    from community.exchange.models import Block, SafetyAcknowledgement

    rows: list[dict[str, Any]] = [
        {"record": "safety guidance read", "at": a.acknowledged_at.isoformat()}
        for a in SafetyAcknowledgement.objects.filter(user=user)
    ]
    rows += [
        {
            "record": "blocked",
            "persona": b.via_persona.public_name if b.via_persona else None,
            "at": b.created_at.isoformat(),
        }
        for b in Block.objects.filter(blocker=user).select_related("via_persona")
    ]
    return rows


def erase(user) -> None:
    """Remove personal data the exchange holds outside personas (runs in deletion's transaction)."""
    from community.exchange.models import Block, Message, SafetyAcknowledgement

    Message.objects.filter(author_user=user, kind=Message.Kind.CONTACT).update(
        body="<p>(contact details removed)</p>"
    )
    Message.objects.filter(author_user=user).update(author_user=None)
    Block.objects.filter(blocker=user).delete()
    Block.objects.filter(blocked=user).delete()
    SafetyAcknowledgement.objects.filter(user=user).delete()


def register() -> None:
    register_export(
        "exchange_posts", _("Offers and requests you posted"), export_posts, contributions=True
    )
    register_export(
        "exchange_messages", _("Your messages in the service exchange"), export_messages
    )
    register_export("exchange_credits", _("Your time-credit movements"), export_movements)
    register_export("exchange_safety", _("Blocks and safety records"), export_safety)
    register_erasure("exchange", erase)
