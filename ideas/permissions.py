"""Who may do what on idea boards. Roles are asked of :mod:`community.permissions`.

Decisions (the one place they are made; permission names in brackets):

* **Run a challenge** (create, edit, set idea statuses with an official response): the owning
  agency's *service designers* and *agency admins* (``has_role(SERVICE_DESIGNER)``; agency
  admins hold every staff role of their agency). Superusers too. [``ideas.run_challenge``,
  ``ideas.respond_to_idea``]
* **Read a challenge**: everyone once published; before that, those who run it.
  [``ideas.read_challenge``]
* **Merge duplicates**: the above, plus the agency's *moderators* — tidying duplicates is
  moderation work. Moderators do not speak for the agency, so they do not set statuses.
  [``ideas.merge_idea``]
* **Post an idea**: any signed-in active account acting as one of its own personas, while the
  challenge is published and open for ideas. [``ideas.post_idea``]
* **Support / comment**: any signed-in active account until the challenge closes (open and
  review phases), never on a merged duplicate; supporting one's own idea only where the
  challenge allows it. Withdrawing support follows the same rule as commenting.
  [``ideas.support_idea``, ``ideas.comment_on_idea``, ``ideas.withdraw_support``]
* **Edit**: the author, within ``IDEA_EDIT_MINUTES`` (ideas still *submitted*) or
  ``COMMENT_EDIT_MINUTES`` (comments). [``ideas.edit_idea``, ``ideas.edit_comment``]
* **Read hidden / report**: a moderator's hold hides an idea or comment from everyone but
  its author; anyone signed in may report someone else's idea or comment.
  [``ideas.read_hidden_idea``, ``ideas.read_hidden_comment``, ``ideas.report_idea``,
  ``ideas.report_comment``]

``why_not_*`` functions return a user-facing reason or None; each is built with its predicate
from one list of checks (:func:`community.permissions.decision`), so they always agree.
"""

from __future__ import annotations

from datetime import timedelta

import rules
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import Organisation, Role
from community.permissions import can_contribute, decision, has_role
from community.types import AnyUser
from ideas.conf import setting
from ideas.models import Challenge, Comment, Idea, Phase, Status


@rules.predicate
def can_run_challenges(user: AnyUser, agency: Organisation | int | None = None) -> bool:
    """May create challenges for ``agency`` (any agency if None) and respond to ideas."""
    return has_role(user, Role.SERVICE_DESIGNER, agency)


@rules.predicate
def can_view_challenge(user: AnyUser, challenge: Challenge) -> bool:
    return challenge.is_published or can_run_challenges(user, challenge.agency_id)


@rules.predicate
def can_respond(user: AnyUser, idea: Idea) -> bool:
    """May change an idea's status and publish the agency's official response."""
    return can_run_challenges(user, idea.challenge.agency_id)


@rules.predicate
def can_merge(user: AnyUser, idea: Idea) -> bool:
    agency_id = idea.challenge.agency_id
    return can_run_challenges(user, agency_id) or has_role(user, Role.MODERATOR, agency_id)


@rules.predicate
def is_author(user: AnyUser, idea: Idea) -> bool:
    """The idea was posted by one of ``user``'s personas."""
    return idea.is_authored_by(user)


@rules.predicate
def is_comment_author(user: AnyUser, comment: Comment) -> bool:
    """The comment was posted by one of ``user``'s personas."""
    return bool(getattr(user, "is_authenticated", False) and comment.persona.account_id == user.pk)


# -- the state of a challenge or idea (no user in it: plain functions) ----------------------


def challenge_takes_ideas(challenge: Challenge) -> bool:
    """New ideas are taken (open phase), on the web and by text message."""
    return challenge.phase == Phase.OPEN


def challenge_takes_part(challenge: Challenge) -> bool:
    """Support and comments are taken (open and review phases): the board's controls."""
    return challenge.phase not in (Phase.UPCOMING, Phase.CLOSED)


def idea_takes_part(idea: Idea) -> bool:
    """Support and comments are taken on this idea (from anyone allowed to see it)."""
    return not idea.is_merged and challenge_takes_part(idea.challenge)


# -- checks: predicates of (user, object); ``rules`` passes a one-argument predicate the user,
# so checks on the object alone still take the user first.


@rules.predicate
def _challenge_has_opened(user: AnyUser, challenge: Challenge) -> bool:
    return challenge.phase != Phase.UPCOMING


@rules.predicate
def _challenge_takes_ideas(user: AnyUser, challenge: Challenge) -> bool:
    return challenge_takes_ideas(challenge)


@rules.predicate
def _idea_is_current(user: AnyUser, idea: Idea) -> bool:
    return not idea.is_merged


@rules.predicate
def _idea_challenge_visible(user: AnyUser, idea: Idea) -> bool:
    return can_view_challenge(user, idea.challenge)


@rules.predicate
def _idea_challenge_takes_part(user: AnyUser, idea: Idea) -> bool:
    return challenge_takes_part(idea.challenge)


@rules.predicate
def _self_support_allowed(user: AnyUser, idea: Idea) -> bool:
    return idea.challenge.allow_self_support or not idea.is_authored_by(user)


@rules.predicate
def _idea_awaits_response(user: AnyUser, idea: Idea) -> bool:
    return not idea.is_merged and idea.status == Status.SUBMITTED


@rules.predicate
def _idea_in_edit_window(user: AnyUser, idea: Idea) -> bool:
    return timezone.now() <= idea.created_at + timedelta(minutes=setting("IDEA_EDIT_MINUTES"))


@rules.predicate
def _comment_in_edit_window(user: AnyUser, comment: Comment) -> bool:
    window = timedelta(minutes=setting("COMMENT_EDIT_MINUTES"))
    return timezone.now() <= comment.created_at + window


def _idea_window_reason(user: AnyUser, idea: Idea) -> str:
    return _("Ideas can be edited for %(minutes)d minutes after posting.") % {
        "minutes": setting("IDEA_EDIT_MINUTES")
    }


def _comment_window_reason(user: AnyUser, comment: Comment) -> str:
    return _("Comments can be edited for %(minutes)d minutes after posting.") % {
        "minutes": setting("COMMENT_EDIT_MINUTES")
    }


# -- decisions with a reason ----------------------------------------------------------------

can_post, why_not_post = decision(
    "can_post",
    (can_contribute, gettext_lazy("Sign in to post an idea.")),
    (can_view_challenge, gettext_lazy("This challenge is not published.")),
    (_challenge_has_opened, gettext_lazy("This challenge is not open for ideas yet.")),
    (_challenge_takes_ideas, gettext_lazy("This challenge is no longer taking new ideas.")),
)

_ENGAGE = (
    (can_contribute, gettext_lazy("Sign in to take part.")),
    (
        _idea_is_current,
        gettext_lazy(
            "This idea was merged into another one; support and discuss that one instead."
        ),
    ),
    (_idea_challenge_visible, gettext_lazy("This challenge is not published.")),
    (_idea_challenge_takes_part, gettext_lazy("This challenge is closed.")),
)

can_comment, why_not_comment = decision("can_comment", *_ENGAGE)
can_withdraw_support, why_not_withdraw_support = decision("can_withdraw_support", *_ENGAGE)

can_support, why_not_support = decision(
    "can_support",
    *_ENGAGE,
    (
        _self_support_allowed,
        gettext_lazy("You cannot support your own idea on this challenge."),
    ),
)

can_edit_idea, why_not_edit_idea = decision(
    "can_edit_idea",
    (is_author & can_contribute, gettext_lazy("Only the author can edit this idea.")),
    (
        _idea_awaits_response,
        gettext_lazy("This idea can no longer be edited: the agency has responded to it."),
    ),
    (_idea_in_edit_window, _idea_window_reason),
)

can_edit_comment, why_not_edit_comment = decision(
    "can_edit_comment",
    (can_contribute & is_comment_author, gettext_lazy("Only the author can edit this comment.")),
    (_comment_in_edit_window, _comment_window_reason),
)


# -- what a reader sees ---------------------------------------------------------------------


@rules.predicate
def can_read_hidden_idea(user: AnyUser, idea: Idea) -> bool:
    """A moderator's hold hides an idea from everyone but its author."""
    return is_author(user, idea)


@rules.predicate
def can_read_hidden_comment(user: AnyUser, comment: Comment) -> bool:
    """A moderator's hold hides a comment from everyone but its author."""
    return is_comment_author(user, comment)


@rules.predicate
def can_report_idea(user: AnyUser, idea: Idea) -> bool:
    """Anyone signed in may report someone else's idea."""
    return bool(getattr(user, "is_authenticated", False)) and not is_author(user, idea)


@rules.predicate
def can_report_comment(user: AnyUser, comment: Comment) -> bool:
    """Anyone signed in may report someone else's comment."""
    return bool(getattr(user, "is_authenticated", False)) and not is_comment_author(user, comment)


rules.add_perm("ideas.run_challenge", can_run_challenges)
rules.add_perm("ideas.read_challenge", can_view_challenge)
rules.add_perm("ideas.respond_to_idea", can_respond)
rules.add_perm("ideas.merge_idea", can_merge)
rules.add_perm("ideas.post_idea", can_post)
rules.add_perm("ideas.support_idea", can_support)
rules.add_perm("ideas.comment_on_idea", can_comment)
rules.add_perm("ideas.withdraw_support", can_withdraw_support)
rules.add_perm("ideas.edit_idea", can_edit_idea)
rules.add_perm("ideas.edit_comment", can_edit_comment)
rules.add_perm("ideas.read_hidden_idea", can_read_hidden_idea)
rules.add_perm("ideas.read_hidden_comment", can_read_hidden_comment)
rules.add_perm("ideas.report_idea", can_report_idea)
rules.add_perm("ideas.report_comment", can_report_comment)
