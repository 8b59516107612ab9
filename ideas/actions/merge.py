"""Merging a duplicate idea into another on the same board."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import actions as community_actions
from community.models import User
from community.selectors import followers_of
from ideas import permissions, selectors
from ideas.events import IDEA_MERGED, board_stream, merged_data
from ideas.models import Comment, Idea, Vote
from realtime.events import publish


def idea_merge(*, user: User, duplicate: Idea, survivor: Idea) -> Idea:
    """Merge ``duplicate`` into ``survivor`` on the same board.

    Support moves without double counting (an account that supported both keeps one), as do
    comments and followers; ideas merged earlier into the duplicate now point at the
    survivor; the duplicate's page redirects. Followers of the duplicate are told.
    Publishes ``idea.merged`` (for the duplicate, carrying the survivor's new counts).
    """
    # check
    if not permissions.can_merge(user, duplicate):
        raise PermissionDenied(_("Only the agency's staff can merge ideas."))
    if duplicate.pk == survivor.pk:
        raise ValidationError({"into": _("Choose a different idea to merge into.")})
    if duplicate.challenge_id != survivor.challenge_id:
        raise ValidationError({"into": _("Ideas can only be merged within one challenge.")})
    with transaction.atomic():
        # Lock both rows in id order so two opposite merges cannot deadlock.
        locked = {
            i.pk: i
            for i in Idea.objects.select_for_update(of=("self",))
            .select_related("challenge", "persona")
            .filter(pk__in=[duplicate.pk, survivor.pk])
            .order_by("pk")
        }
        dup, keep = locked[duplicate.pk], locked[survivor.pk]
        if dup.is_merged or keep.is_merged:
            raise ValidationError({"into": _("One of these ideas has already been merged.")})
        # do
        keep_accounts = Vote.objects.filter(idea=keep).values_list("account_id", flat=True)
        Vote.objects.filter(idea=dup, account_id__in=list(keep_accounts)).delete()
        Vote.objects.filter(idea=dup).update(idea=keep)
        Comment.objects.filter(idea=dup).update(idea=keep)
        Idea.objects.filter(merged_into=dup).update(merged_into=keep)
        followers = list(followers_of(dup))
        for follower in followers:
            community_actions.follow(user=follower, target=keep)
            community_actions.unfollow(user=follower, target=dup)
        now = timezone.now()
        keep.support_count = Vote.objects.filter(idea=keep).count()
        keep.comment_count = Comment.objects.filter(idea=keep).count()
        Idea.objects.filter(pk=keep.pk).update(
            support_count=keep.support_count, comment_count=keep.comment_count, updated_at=now
        )
        Idea.objects.filter(pk=dup.pk).update(
            merged_into=keep, merged_at=now, support_count=0, comment_count=0, updated_at=now
        )
        community_actions.notify(
            recipients=followers,
            category="ideas.merged",
            title=_("“%(duplicate)s” was merged into “%(survivor)s”")
            % {"duplicate": dup.title, "survivor": keep.title},
            body=_("Your support and comments moved with it."),
            url=keep.get_absolute_url(),
            exclude=user,
        )
        selectors.shown_ideas_changed(keep.challenge_id)
        publish(
            stream=board_stream(keep.challenge_id),
            type=IDEA_MERGED,
            object_id=dup.pk,
            data=merged_data(keep),
        )
    duplicate.merged_into_id = keep.pk
    return keep
