"""How ideas and comments take part in moderation (registered in ``IdeasConfig.ready``).

``community.moderation`` keeps the held/hidden state; these hooks publish the board events
so hidden content disappears live and approved content appears.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.moderation.registry import register_reportable
from ideas import selectors
from ideas.events import (
    COMMENT_CREATED,
    COMMENT_HIDDEN,
    COMMENT_UPDATED,
    IDEA_CREATED,
    IDEA_HIDDEN,
    IDEA_UPDATED,
    board_stream,
    comment_data,
    idea_card,
)
from ideas.models import Comment, Idea
from realtime.events import publish


def _hide_idea(idea: Idea, reason: str) -> None:
    selectors.shown_ideas_changed(idea.challenge_id)
    publish(
        stream=board_stream(idea.challenge_id),
        type=IDEA_HIDDEN,
        object_id=idea.pk,
        data={"reason": str(reason)},
    )


def _publish_idea(idea: Idea) -> None:
    idea = Idea.objects.select_related("persona").get(pk=idea.pk)
    selectors.shown_ideas_changed(idea.challenge_id)
    publish(
        stream=board_stream(idea.challenge_id),
        type=IDEA_CREATED,
        object_id=idea.pk,
        data=idea_card(idea),
    )


def _edit_idea(idea: Idea, text: str) -> None:
    Idea.objects.filter(pk=idea.pk).update(body=text, edited_at=timezone.now())
    idea.refresh_from_db()
    publish(
        stream=board_stream(idea.challenge_id),
        type=IDEA_UPDATED,
        object_id=idea.pk,
        data=idea_card(idea),
    )


def _hide_comment(comment: Comment, reason: str) -> None:
    publish(
        stream=board_stream(comment.idea.challenge_id),
        type=COMMENT_HIDDEN,
        object_id=comment.pk,
        data={"idea": comment.idea_id, "reason": str(reason)},
    )


def _publish_comment(comment: Comment) -> None:
    comment = Comment.objects.select_related("persona", "idea").get(pk=comment.pk)
    publish(
        stream=board_stream(comment.idea.challenge_id),
        type=COMMENT_CREATED,
        object_id=comment.pk,
        data={"comment": comment_data(comment), "comment_count": comment.idea.comment_count},
    )


def _edit_comment(comment: Comment, text: str) -> None:
    Comment.objects.filter(pk=comment.pk).update(body=text, edited_at=timezone.now())
    comment.refresh_from_db()
    publish(
        stream=board_stream(comment.idea.challenge_id),
        type=COMMENT_UPDATED,
        object_id=comment.pk,
        data={"comment": comment_data(comment)},
    )


def register() -> None:
    register_reportable(
        Idea,
        kind_label=_("Idea"),
        author=lambda idea: idea.persona,
        agency=lambda idea: idea.challenge.agency,
        text=lambda idea: f"{idea.title}\n{idea.body}",
        context=lambda idea: str(_("Idea on “%(challenge)s”") % {"challenge": idea.challenge}),
        url=lambda idea: idea.get_absolute_url(),
        on_hide=_hide_idea,
        on_publish=_publish_idea,
        apply_edit=_edit_idea,
    )
    register_reportable(
        Comment,
        kind_label=_("Comment"),
        author=lambda comment: comment.persona,
        agency=lambda comment: comment.idea.challenge.agency,
        text=lambda comment: comment.body,
        context=lambda comment: str(_("Comment on the idea “%(idea)s”") % {"idea": comment.idea}),
        url=lambda comment: f"{comment.idea.get_absolute_url()}#comment-{comment.pk}",
        on_hide=_hide_comment,
        on_publish=_publish_comment,
        apply_edit=_edit_comment,
    )
