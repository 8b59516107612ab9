"""An idea's status: the agency's decision with its official public response, and the
status that follows a backlog item (the one entry point :mod:`ideas.backlog` uses)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from community import actions as community_actions
from community.models import User
from community.selectors import followers_of
from ideas import permissions, selectors
from ideas.actions.checks import clean_rich, lock_idea
from ideas.events import IDEA_STATUS_CHANGED, board_stream, status_changed_data
from ideas.models import RESPONSE_MAX, Idea, Status, StatusChange
from realtime.events import publish


def idea_set_status(*, user: User, idea: Idea, status: str, response: str) -> StatusChange:
    """Move an idea to a new status with the agency's official public response.

    Notifies the author and every follower; publishes ``idea.status_changed``.
    """
    if not permissions.can_respond(user, idea):
        raise PermissionDenied(_("Only the agency's service designers and admins can do that."))
    return _record_status(idea=idea, status=status, response=response, user=user, notify=True)


def idea_status_follow_backlog(
    *, idea: Idea, status: str, response: str, changed_by: User | None
) -> StatusChange | None:
    """The entry point for ``ideas.backlog``: an idea's status follows its backlog item.

    The caller has already checked that the actor may shape the item's agency backlog (or
    verified the agency tracker's signature, ``changed_by`` None) and tells participants
    itself, once per person across all of the item's sources, so nobody is notified here.
    Returns None (and changes nothing) when the idea is merged or already has ``status``.
    Publishes ``idea.status_changed`` like :func:`idea_set_status`.
    """
    current = Idea.objects.filter(pk=idea.pk).values_list("status", "merged_into_id").first()
    if current is None or current[1] is not None or current[0] == status:
        return None
    return _record_status(
        idea=idea, status=status, response=response, user=changed_by, notify=False
    )


def _record_status(
    *, idea: Idea, status: str, response: str, user: User | None, notify: bool
) -> StatusChange:
    # check
    if status not in Status.values:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    if status == Status.SUBMITTED:
        raise ValidationError({"status": _("An idea cannot be moved back to submitted.")})
    response = clean_rich(
        response,
        "response",
        RESPONSE_MAX,
        _("Write the official response: people will read why the status changed."),
    )
    with transaction.atomic():
        locked = lock_idea(idea)
        if locked.is_merged:
            raise ValidationError(_("A merged idea has no status of its own."))
        if locked.status == status:
            raise ValidationError({"status": _("The idea already has that status.")})
        # do
        change = StatusChange.objects.create(
            idea=locked,
            from_status=locked.status,
            to_status=status,
            response=response,
            agency=locked.challenge.agency,
            changed_by=user,
        )
        locked.status, locked.status_changed_at = status, change.created_at
        locked.save(update_fields=["status", "status_changed_at", "updated_at"])
        if notify:
            _notify_status(locked, Status(status).label, response, user)
        selectors.shown_ideas_changed(locked.challenge_id)
        publish(
            stream=board_stream(locked.challenge_id),
            type=IDEA_STATUS_CHANGED,
            object_id=locked.pk,
            data=status_changed_data(locked, response),
        )
    idea.status = status
    return change


def _notify_status(locked: Idea, label: str | Promise, response: str, user: User | None) -> None:
    """The author and every follower, each in their own language (titles are lazy)."""
    url = locked.get_absolute_url()
    author = locked.persona.account
    if author is not None:
        community_actions.notify(
            recipients=[author],
            category="ideas.status",
            title=lambda: (
                _("Your idea “%(idea)s” is now: %(status)s")
                % {"idea": locked.title, "status": label}
            ),
            body=response,
            url=url,
            exclude=user,
        )
    followers = followers_of(locked)
    if author is not None:
        followers = followers.exclude(pk=author.pk)
    community_actions.notify(
        recipients=followers,
        category="ideas.status",
        title=lambda: (
            _("An idea you follow, “%(idea)s”, is now: %(status)s")
            % {"idea": locked.title, "status": label}
        ),
        body=response,
        url=url,
        exclude=user,
    )
