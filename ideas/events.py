"""Board event types and the plain payloads that go over the wire (see docs/realtime.md).

Every payload names the persona a thing was posted as (its public name and handle) and
never the account, an account id, or any other persona of the same account. Snapshots and
events are built from the same functions so a card looks the same however it arrived.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from community.models import Persona
from community.text import plain_text, sanitize_html
from ideas.models import Comment, Idea, Status
from realtime.events import declare
from realtime.groups import stream
from realtime.schema import BOOL, INT, STR, TIME, arr, null, obj

PERSONA = obj(name=STR, handle=null(STR))
IDEA_CARD = obj(
    id=INT,
    title=STR,
    excerpt=STR,
    url=STR,
    status=STR,
    status_label=STR,
    persona=PERSONA,
    support_count=INT,
    comment_count=INT,
    tags=arr(STR),
    created_at=TIME,
    edited=BOOL,
)
COMMENT = obj(
    id=INT,
    idea=INT,
    parent=null(INT),
    persona=PERSONA,
    body_html=STR,
    created_at=TIME,
    edited=BOOL,
)

IDEA_CREATED = declare(
    "idea.created", "A new idea was posted on the board; data is its card.", schema=IDEA_CARD
)
IDEA_UPDATED = declare(
    "idea.updated", "An idea's title, text or tags changed; data is its card.", schema=IDEA_CARD
)
IDEA_VOTE_CHANGED = declare(
    "idea.vote_changed",
    "Support for an idea changed; data carries the exact new count.",
    schema=obj(support_count=INT),
)
IDEA_STATUS_CHANGED = declare(
    "idea.status_changed",
    "The agency moved an idea to a new status with an official response.",
    schema=obj(status=STR, status_label=STR, agency=STR, response_html=STR),
)
IDEA_MERGED = declare(
    "idea.merged",
    "A duplicate idea was merged into another; its support moved there.",
    schema=obj(into=INT, into_title=STR, into_url=STR, support_count=INT, comment_count=INT),
)
COMMENT_CREATED = declare(
    "comment.created",
    "Someone commented on (or replied on) an idea.",
    schema=obj(comment=COMMENT, comment_count=INT),
)
COMMENT_UPDATED = declare(
    "comment.updated", "A comment was corrected by its author.", schema=obj(comment=COMMENT)
)
IDEA_HIDDEN = declare(
    "idea.hidden",
    "A moderator hid an idea (or screening held it); remove it from the board.",
    schema=obj(reason=STR),
)
COMMENT_HIDDEN = declare(
    "comment.hidden",
    "A moderator hid a comment; data carries the public reason shown instead.",
    schema=obj(idea=INT, reason=STR),
)

EXCERPT_CHARS = 280


def board_stream(challenge_id: int) -> str:
    return stream("board", challenge_id)


def persona_data(persona: Persona) -> dict[str, Any]:
    """The public face only: never the account behind it."""
    return {"name": persona.public_name, "handle": None if persona.is_anonymised else persona.slug}


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(plain_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def idea_card(idea: Idea) -> dict[str, Any]:
    """A board card. Needs ``persona`` loaded; uses prefetched ``tags`` when present."""
    return {
        "id": idea.pk,
        "title": idea.title,
        "excerpt": excerpt(idea.body),
        "url": reverse("ideas:idea_detail", args=[idea.pk]),
        "status": idea.status,
        "status_label": str(Status(idea.status).label),
        "persona": persona_data(idea.persona),
        "support_count": idea.support_count,
        "comment_count": idea.comment_count,
        "tags": sorted(tag.name for tag in idea.tags.all()),
        "created_at": idea.created_at.isoformat(),
        "edited": idea.edited_at is not None,
    }


def comment_data(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "idea": comment.idea_id,
        "parent": comment.parent_id,
        "persona": persona_data(comment.persona),
        "body_html": str(sanitize_html(comment.body)),
        "created_at": comment.created_at.isoformat(),
        "edited": comment.edited_at is not None,
    }


def vote_changed_data(support_count: int) -> dict[str, Any]:
    return {"support_count": support_count}


def comment_created_data(comment: Comment, comment_count: int) -> dict[str, Any]:
    """The new comment and its idea's new comment count."""
    return {"comment": comment_data(comment), "comment_count": comment_count}


def comment_updated_data(comment: Comment) -> dict[str, Any]:
    return {"comment": comment_data(comment)}


def status_changed_data(idea: Idea, response: str) -> dict[str, Any]:
    """An idea's new status with the agency's response. Needs ``challenge__agency`` loaded."""
    return {
        "status": idea.status,
        "status_label": str(Status(idea.status).label),
        "agency": idea.challenge.agency.name,
        "response_html": str(sanitize_html(response)),
    }


def merged_data(survivor: Idea) -> dict[str, Any]:
    """Where a merged duplicate went: the survivor and its counts after the merge."""
    return {
        "into": survivor.pk,
        "into_title": survivor.title,
        "into_url": survivor.get_absolute_url(),
        "support_count": survivor.support_count,
        "comment_count": survivor.comment_count,
    }
