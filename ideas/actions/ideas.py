"""Posting, correcting and following ideas on a board."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import actions as community_actions
from community.models import Persona, User
from community.moderation.actions import content_screen
from community.participation.recorder import current_channel, record_event
from community.permissions import speaks_for_agency
from community.places.actions import place_assign
from community.places.models import District
from community.text import clean_title
from ideas import permissions, selectors
from ideas.actions.checks import acting_persona, clean_rich, clean_tags, lock_idea
from ideas.events import IDEA_CREATED, IDEA_UPDATED, board_stream, idea_card
from ideas.insight import kinds as insight_kinds
from ideas.models import BODY_MAX, TITLE_MAX, Challenge, Idea, IdeaRevision
from realtime.events import publish


def _clean_idea(
    title: str, body: str, tags: Iterable[str] | None
) -> tuple[str, str, list[str] | None]:
    """Title, body and tags checked together, so one answer lists every field to fix."""
    errors: dict[str, list] = {}
    cleaned: dict = {}
    for key, check in (
        ("title", lambda: clean_title(title, max_length=TITLE_MAX)),
        ("body", lambda: clean_rich(body, "body", BODY_MAX, _("Describe your idea."))),
        ("tags", lambda: None if tags is None else clean_tags(tags)),
    ):
        try:
            cleaned[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned["title"], cleaned["body"], cleaned["tags"]


def idea_create(
    *,
    user: User,
    challenge: Challenge,
    title: str,
    body: str,
    persona: Persona | None = None,
    tags: Iterable[str] = (),
    channel: str | None = None,
    latitude: object = None,
    longitude: object = None,
    district: District | None = None,
) -> Idea:
    """Post an idea as ``persona`` (default: the primary one); the author follows it.

    ``channel`` says how it arrived ("web", "api", "sms", "assisted"; default: the channel of
    the surrounding ``recording_channel``, else "web"): screening uses it (a first post by
    text is held) and the insight event records it. ``latitude``/``longitude`` (optional)
    place it: rounded to ``PLACES_ROUND_METRES`` unless the persona speaks for an agency, and
    its district found; without a point, ``district`` is the area it is about.
    Publishes ``idea.created`` on the board.
    """
    # check
    reason = permissions.why_not_post(user, challenge)
    if reason:
        raise PermissionDenied(reason)
    channel = channel or current_channel()
    persona = acting_persona(user, persona)
    title, body, clean_tag_names = _clean_idea(title, body, tags)
    idea = Idea(challenge=challenge, persona=persona, title=title, body=body)
    place_assign(
        idea,
        latitude=latitude,
        longitude=longitude,
        district=district,
        precise=speaks_for_agency(user, persona.organisation),
    )
    # do
    with transaction.atomic():
        idea.save(force_insert=True)
        if clean_tag_names:
            idea.tags.set(clean_tag_names)
        community_actions.follow(user=user, target=idea)
        idea.channel = channel
        record_event(
            kind=insight_kinds.IDEA_POSTED,
            user=user,
            agency=challenge.agency_id,
            challenge_id=challenge.pk,
            object_id=idea.pk,
            channel=channel,
        )
        idea.screening = content_screen(
            user=user, obj=idea, text=f"{idea.title}\n{idea.body}", channel=channel
        )
        selectors.shown_ideas_changed(challenge.pk)
        if not idea.screening.held:
            publish(
                stream=board_stream(challenge.pk),
                type=IDEA_CREATED,
                object_id=idea.pk,
                data=idea_card(idea),
            )
    return idea


def idea_update(
    *, user: User, idea: Idea, title: str, body: str, tags: Iterable[str] | None = None
) -> Idea:
    """The author corrects an idea within the edit window; the old text is kept as a revision.

    Publishes ``idea.updated``.
    """
    # check
    reason = permissions.why_not_edit_idea(user, idea)
    if reason:
        raise PermissionDenied(reason)
    title, body, new_tags = _clean_idea(title, body, tags)
    # do
    with transaction.atomic():
        locked = lock_idea(idea)
        current_tags = sorted(locked.tags.names())
        if (
            locked.title == title
            and locked.body == body
            and (new_tags is None or sorted(new_tags) == current_tags)
        ):
            return locked
        IdeaRevision.objects.create(
            idea=locked, title=locked.title, body=locked.body, edited_by=user
        )
        locked.title, locked.body, locked.edited_at = title, body, timezone.now()
        locked.save(update_fields=["title", "body", "edited_at", "updated_at"])
        if new_tags is not None:
            locked.tags.set(new_tags)
        locked.screening = content_screen(
            user=user, obj=locked, text=f"{title}\n{body}", edited=True
        )
        if locked.screening.held:
            return locked
        publish(
            stream=board_stream(locked.challenge_id),
            type=IDEA_UPDATED,
            object_id=locked.pk,
            data=idea_card(locked),
        )
    return locked


def _require_signed_in(user: User) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to follow ideas."))


def idea_follow(*, user: User, idea: Idea) -> None:
    _require_signed_in(user)
    community_actions.follow(user=user, target=idea)


def idea_unfollow(*, user: User, idea: Idea) -> None:
    _require_signed_in(user)
    community_actions.unfollow(user=user, target=idea)
