"""Commenting on ideas (one level of replies) and correcting a comment."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from community import actions as community_actions
from community.models import Persona, User
from community.moderation.actions import content_screen
from community.participation.recorder import record_event
from ideas import permissions
from ideas.actions.checks import acting_persona, clean_rich, current
from ideas.events import (
    COMMENT_CREATED,
    COMMENT_UPDATED,
    board_stream,
    comment_created_data,
    comment_updated_data,
)
from ideas.insight import kinds as insight_kinds
from ideas.models import COMMENT_MAX, Comment, Idea
from realtime.events import publish


def _clean_body(body: str) -> str:
    return clean_rich(body, "body", COMMENT_MAX, _("Write a comment first."))


def comment_create(
    *,
    user: User,
    idea: Idea,
    body: str,
    persona: Persona | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Comment on an idea, or reply to one of its top-level comments.

    Notifies the idea's author (and, for a reply, the parent comment's author); publishes
    ``comment.created`` with the idea's new comment count.
    """
    # check
    reason = permissions.why_not_comment(user, idea)
    if reason:
        raise PermissionDenied(reason)
    persona = acting_persona(user, persona)
    body = _clean_body(body)
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise ValidationError(_("That reply belongs to a different idea."))
        if parent.parent_id is not None:
            raise ValidationError(_("Reply to the original comment, not to a reply."))
    # do
    with transaction.atomic():
        comment = Comment.objects.create(idea=idea, persona=persona, parent=parent, body=body)
        record_event(
            kind=insight_kinds.COMMENT_POSTED,
            user=user,
            agency=idea.challenge.agency_id,
            challenge_id=idea.challenge_id,
            object_id=comment.pk,
        )
        comment.screening = content_screen(user=user, obj=comment, text=body)
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        (count,) = current(idea.pk, "comment_count")
        idea.comment_count = count
        if comment.screening.held:
            return comment  # no notifications or board event until a moderator approves it
        _notify_comment(comment, persona, user)
        publish(
            stream=board_stream(idea.challenge_id),
            type=COMMENT_CREATED,
            object_id=comment.pk,
            data=comment_created_data(comment, count),
        )
    return comment


def _notify_comment(comment: Comment, persona: Persona, user: User) -> None:
    """The parent comment's author (for a reply) and the idea's author, once each."""
    idea, parent = comment.idea, comment.parent
    url = f"{idea.get_absolute_url()}#comment-{comment.pk}"
    replied_to = parent.persona.account if parent is not None else None
    if replied_to is not None:
        community_actions.notify(
            recipients=[replied_to],
            category="ideas.comment_reply",
            title=_("%(name)s replied to your comment on “%(idea)s”")
            % {"name": persona.public_name, "idea": idea.title},
            body=comment.body,
            url=url,
            exclude=user,
        )
    author = idea.persona.account
    if author is not None and (replied_to is None or author.pk != replied_to.pk):
        community_actions.notify(
            recipients=[author],
            category="ideas.comment",
            title=_("%(name)s commented on your idea “%(idea)s”")
            % {"name": persona.public_name, "idea": idea.title},
            body=comment.body,
            url=url,
            exclude=user,
        )


def comment_update(*, user: User, comment: Comment, body: str) -> Comment:
    """The author corrects a comment within the edit window; publishes ``comment.updated``."""
    # check
    reason = permissions.why_not_edit_comment(user, comment)
    if reason:
        raise PermissionDenied(reason)
    body = _clean_body(body)
    # do
    with transaction.atomic():
        comment.body, comment.edited_at = body, timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        comment.screening = content_screen(user=user, obj=comment, text=body, edited=True)
        if comment.screening.held:
            return comment
        publish(
            stream=board_stream(comment.idea.challenge_id),
            type=COMMENT_UPDATED,
            object_id=comment.pk,
            data=comment_updated_data(comment),
        )
    return comment
