"""Assisted digital: counter staff and volunteers post ideas and support for a citizen,
with the citizen's recorded consent. The idea or support is the citizen's in every way
(screening, follows, notifications); :func:`community.actions.assisted_record` notes who
helped, for the public "Posted with help from …" line and the citizen's privacy page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from community import actions as community_actions
from community.models import Organisation, User
from community.permissions import can_assist
from ideas.actions.ideas import idea_create
from ideas.actions.support import vote_cast
from ideas.models import Challenge, Idea, Vote


def _check_assist(
    helper: User, organisation: Organisation, consent_given: bool, consent_method: str
) -> None:
    if not can_assist(helper, organisation):
        raise PermissionDenied(
            _("Only service counter staff and volunteers of this organisation can help here.")
        )
    community_actions.assisted_consent_check(
        consent_given=consent_given, consent_method=consent_method
    )


def idea_create_assisted(
    *,
    helper: User,
    organisation: Organisation,
    citizen: User,
    consent_given: bool,
    consent_method: str,
    challenge: Challenge,
    title: str,
    body: str,
) -> Idea:
    """Post an idea for ``citizen`` (as their primary persona), with their recorded consent.

    Refused, with nothing written, without consent.
    """
    _check_assist(helper, organisation, consent_given, consent_method)
    with transaction.atomic():
        idea = idea_create(
            user=citizen, challenge=challenge, title=title, body=body, channel="assisted"
        )
        community_actions.assisted_record(
            helper=helper,
            organisation=organisation,
            citizen=citizen,
            persona=idea.persona,
            action="idea",
            consent_method=consent_method,
            target=idea,
        )
    return idea


def vote_cast_assisted(
    *,
    helper: User,
    organisation: Organisation,
    citizen: User,
    consent_given: bool,
    consent_method: str,
    idea: Idea,
) -> Vote:
    """Support ``idea`` for ``citizen`` with their recorded consent (see above)."""
    _check_assist(helper, organisation, consent_given, consent_method)
    with transaction.atomic():
        vote_cast(user=citizen, idea=idea, channel="assisted")
        vote = Vote.objects.select_related("persona").get(idea=idea, account=citizen)
        community_actions.assisted_record(
            helper=helper,
            organisation=organisation,
            citizen=citizen,
            persona=vote.persona,
            action="support",
            consent_method=consent_method,
            target=vote,
        )
    return vote
