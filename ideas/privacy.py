"""What idea boards hold about a person, for the privacy export (registered in apps.py).

Contributions are found through the account's personas, so ideas posted under every persona
appear in the owner's own export — and only there.
"""

from __future__ import annotations

from typing import Any

from ideas.models import Comment, Idea, Vote


def export_ideas(user) -> list[dict[str, Any]]:
    ideas = (
        Idea.objects.filter(persona__account=user)
        .select_related("persona", "challenge", "merged_into")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": idea.pk,
            "challenge": idea.challenge.question,
            "posted_as": idea.persona.display_name,
            "title": idea.title,
            "body": idea.body,
            "status": idea.status,
            "support_count": idea.support_count,
            "merged_into": idea.merged_into_id,
            "created_at": idea.created_at.isoformat(),
            "edited_at": idea.edited_at.isoformat() if idea.edited_at else None,
            "url": idea.get_absolute_url(),
        }
        for idea in ideas
    ]


def export_comments(user) -> list[dict[str, Any]]:
    comments = (
        Comment.objects.filter(persona__account=user)
        .select_related("persona", "idea")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": comment.pk,
            "idea": comment.idea.title,
            "idea_id": comment.idea_id,
            "reply_to": comment.parent_id,
            "posted_as": comment.persona.display_name,
            "body": comment.body,
            "created_at": comment.created_at.isoformat(),
            "url": f"{comment.idea.get_absolute_url()}#comment-{comment.pk}",
        }
        for comment in comments
    ]


def export_support(user) -> list[dict[str, Any]]:
    votes = (
        Vote.objects.filter(account=user).select_related("idea", "persona").order_by("created_at")
    )
    return [
        {
            "idea_id": vote.idea_id,
            "idea": vote.idea.title,
            "as": vote.persona.display_name if vote.persona else None,
            "supported_at": vote.created_at.isoformat(),
        }
        for vote in votes
    ]
