"""Who may do what on idea boards. Roles are asked of :mod:`community.permissions`.

Decisions (the one place they are made):

* **Run a challenge** (create, edit, set idea statuses with an official response): the owning
  agency's *service designers* and *agency admins* (``has_role(SERVICE_DESIGNER)``; agency
  admins hold every staff role of their agency). Superusers too.
* **Merge duplicates**: the above, plus the agency's *moderators* — tidying duplicates is
  moderation work. Moderators do not speak for the agency, so they do not set statuses.
* **Post an idea**: any signed-in active account acting as one of its own personas, while the
  challenge is published and open for ideas.
* **Support / comment**: any signed-in active account until the challenge closes (open and
  review phases), never on a merged duplicate; supporting one's own idea only where the
  challenge allows it.
* **Edit**: the author, within ``IDEA_EDIT_MINUTES`` (ideas still *submitted*) or
  ``COMMENT_EDIT_MINUTES`` (comments).

``why_not_*`` functions return a user-facing reason or None; ``can_*`` wrap them as booleans.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation, Role
from community.permissions import can_contribute, has_role
from ideas.conf import setting
from ideas.models import Challenge, Comment, Idea, Phase, Status


def can_run_challenges(user, agency: Organisation | int | None = None) -> bool:
    """May create challenges for ``agency`` (any agency if None) and respond to ideas."""
    return has_role(user, Role.SERVICE_DESIGNER, agency)


def can_view_challenge(user, challenge: Challenge) -> bool:
    return challenge.is_published or can_run_challenges(user, challenge.agency_id)


def can_respond(user, idea: Idea) -> bool:
    """May change an idea's status and publish the agency's official response."""
    return can_run_challenges(user, idea.challenge.agency_id)


def can_merge(user, idea: Idea) -> bool:
    agency_id = idea.challenge.agency_id
    return can_run_challenges(user, agency_id) or has_role(user, Role.MODERATOR, agency_id)


def why_not_post(user, challenge: Challenge) -> str | None:
    if not can_contribute(user):
        return _("Sign in to post an idea.")
    if not can_view_challenge(user, challenge):
        return _("This challenge is not published.")
    phase = challenge.phase
    if phase == Phase.UPCOMING:
        return _("This challenge is not open for ideas yet.")
    if phase != Phase.OPEN:
        return _("This challenge is no longer taking new ideas.")
    return None


def _why_not_engage(user, idea: Idea) -> str | None:
    if not can_contribute(user):
        return _("Sign in to take part.")
    if idea.is_merged:
        return _("This idea was merged into another one; support and discuss that one instead.")
    challenge = idea.challenge
    if not can_view_challenge(user, challenge):
        return _("This challenge is not published.")
    if challenge.phase in (Phase.UPCOMING, Phase.CLOSED):
        return _("This challenge is closed.")
    return None


def why_not_support(user, idea: Idea) -> str | None:
    reason = _why_not_engage(user, idea)
    if reason:
        return reason
    if not idea.challenge.allow_self_support and idea.is_authored_by(user):
        return _("You cannot support your own idea on this challenge.")
    return None


def why_not_comment(user, idea: Idea) -> str | None:
    return _why_not_engage(user, idea)


def can_post(user, challenge: Challenge) -> bool:
    return why_not_post(user, challenge) is None


def can_support(user, idea: Idea) -> bool:
    return why_not_support(user, idea) is None


def can_comment(user, idea: Idea) -> bool:
    return why_not_comment(user, idea) is None


def why_not_edit_idea(user, idea: Idea) -> str | None:
    if not idea.is_authored_by(user) or not can_contribute(user):
        return _("Only the author can edit this idea.")
    if idea.is_merged or idea.status != Status.SUBMITTED:
        return _("This idea can no longer be edited: the agency has responded to it.")
    window = timedelta(minutes=setting("IDEA_EDIT_MINUTES"))
    if timezone.now() > idea.created_at + window:
        return _("Ideas can be edited for %(minutes)d minutes after posting.") % {
            "minutes": setting("IDEA_EDIT_MINUTES")
        }
    return None


def can_edit_idea(user, idea: Idea) -> bool:
    return why_not_edit_idea(user, idea) is None


def why_not_edit_comment(user, comment: Comment) -> str | None:
    if not can_contribute(user) or comment.persona.account_id != user.pk:
        return _("Only the author can edit this comment.")
    window = timedelta(minutes=setting("COMMENT_EDIT_MINUTES"))
    if timezone.now() > comment.created_at + window:
        return _("Comments can be edited for %(minutes)d minutes after posting.") % {
            "minutes": setting("COMMENT_EDIT_MINUTES")
        }
    return None


def can_edit_comment(user, comment: Comment) -> bool:
    return why_not_edit_comment(user, comment) is None
