"""Every write on idea boards. Views, the board consumer, the admin and the demo call these.

Each function is keyword-only, asks :mod:`ideas.permissions`, validates (``ValidationError``
with a message people can act on; nothing is written), writes inside ``transaction.atomic``
and publishes its board event with :func:`realtime.events.publish`, which sends only after
commit. Support counts stay exact under concurrency: the idea row is locked
(``SELECT … FOR UPDATE``) before support changes, the ``Vote`` unique constraint makes a
second support by the same account impossible, and the count changes by ``F()`` in the same
transaction as the row it counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community import services as community_services
from community.models import Organisation, Persona, User
from community.moderation.services import content_screen
from community.participation.recorder import current_channel, record_event
from community.permissions import can_act_as
from community.selectors import followers_of, primary_persona
from community.text import ALLOWED_TAGS, looks_like_html, plain_text, sanitize_html
from ideas import permissions, selectors
from ideas.events import (
    COMMENT_CREATED,
    COMMENT_UPDATED,
    IDEA_CREATED,
    IDEA_MERGED,
    IDEA_STATUS_CHANGED,
    IDEA_UPDATED,
    IDEA_VOTE_CHANGED,
    board_stream,
    comment_data,
    idea_card,
)
from ideas.insight import kinds as insight_kinds
from ideas.models import (
    BODY_MAX,
    COMMENT_MAX,
    RESPONSE_MAX,
    TITLE_MAX,
    Challenge,
    Comment,
    Idea,
    IdeaRevision,
    Status,
    StatusChange,
    Vote,
)
from ideas.opinion.services import schedule_recompute_on_commit
from realtime.events import publish

MAX_TAGS = 5
TAG_MAX = 30
_TAG_NAME = re.compile(r"^[\w][\w\s-]*$")
_TAG_IN_TEXT = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")
_DANGEROUS = re.compile(r"javascript\s*:|\son[a-z]+\s*=|<!--", re.IGNORECASE)


# -- validation helpers -------------------------------------------------------------------


def _clean_title(title: str, field: str = "title", limit: int = TITLE_MAX) -> str:
    raw = " ".join((title or "").split())
    if not raw:
        raise ValidationError({field: _("Give your idea a short title.")})
    if looks_like_html(raw):
        raise ValidationError({field: _("Titles are plain text: remove the HTML.")})
    text = plain_text(raw)
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep the title under %(n)d characters (it has %(m)d).")
                % {"n": limit, "m": len(text)}
            }
        )
    return text


def _clean_rich(text: str, field: str, limit: int, empty_message: str) -> str:
    """User text with light formatting. Returns it as typed (it is sanitised when shown) or
    raises if it is empty, too long or carries markup beyond light formatting."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not plain_text(text):
        raise ValidationError({field: empty_message})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(n)d characters (it has %(m)d).")
                % {"n": limit, "m": len(text)}
            }
        )
    tags = {name.lower() for name in _TAG_IN_TEXT.findall(text)}
    if (tags - ALLOWED_TAGS) or _DANGEROUS.search(text):
        raise ValidationError(
            {
                field: _(
                    "Only light formatting is allowed (paragraphs, bold, italics, lists, quotes, "
                    "code and links). Remove scripts, styles and other HTML."
                )
            }
        )
    return text


def _clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags or ():
        name = " ".join(plain_text(str(tag)).lower().split())
        if not name:
            continue
        if len(name) > TAG_MAX or not _TAG_NAME.match(name):
            raise ValidationError(
                {
                    "tags": _("Tags are short words or phrases (up to %(n)d letters).")
                    % {"n": TAG_MAX}
                }
            )
        if name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("Use at most %(n)d tags.") % {"n": MAX_TAGS}})
    return cleaned


def _acting_persona(
    user: User, persona: Persona | None, *, required: bool = True
) -> Persona | None:
    """The persona a contribution is posted as: the one chosen, else the primary one."""
    if persona is None:
        persona = primary_persona(user)
        if persona is None:
            if required:
                raise ValidationError(
                    {"persona": _("Create a persona first: it is the name shown with your posts.")}
                )
            return None
    if not can_act_as(user, persona):
        raise PermissionDenied(_("You can only post as one of your own personas."))
    return persona


def _lock_idea(idea: Idea | int) -> Idea:
    """The idea row, locked until the transaction ends (only the idea row, not its joins)."""
    pk = idea if isinstance(idea, int) else idea.pk
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("challenge", "persona")
        .get(pk=pk)
    )


def _current(idea_id: int, *fields: str) -> tuple:
    return Idea.objects.filter(pk=idea_id).values_list(*fields).get()


# -- challenges ---------------------------------------------------------------------------


def challenge_create(
    *,
    user: User,
    agency: Organisation,
    question: str,
    opens_at: datetime,
    ideas_close_at: datetime,
    closes_at: datetime,
    background: str = "",
    cover_text: str = "",
    tags: Iterable[str] = (),
    service_pages: Iterable = (),
    allow_self_support: bool = False,
    is_published: bool = True,
    sms_code: str = "",
) -> Challenge:
    """Pose a challenge for ``agency``. Only its service designers and admins may.

    ``sms_code`` (optional, unique) is the word people text before their idea.
    """
    if agency.kind != Organisation.Kind.AGENCY:
        raise ValidationError({"agency": _("Challenges belong to an agency.")})
    if not permissions.can_run_challenges(user, agency):
        raise PermissionDenied(_("Only the agency's service designers and admins can do that."))
    question = _clean_title(question, "question", 200)
    cover_text = plain_text(cover_text)
    if len(cover_text) > 300:
        raise ValidationError({"cover_text": _("Keep the cover text under 300 characters.")})
    if background.strip():
        background = _clean_rich(background, "background", 10000, "")
    tags = _clean_tags(tags)
    challenge = Challenge(
        agency=agency,
        question=question,
        cover_text=cover_text,
        background=background.strip(),
        opens_at=opens_at,
        ideas_close_at=ideas_close_at,
        closes_at=closes_at,
        allow_self_support=allow_self_support,
        is_published=is_published,
        created_by=user,
        sms_code=(sms_code or "").strip().upper(),
    )
    challenge.clean()
    if (
        challenge.sms_code
        and Challenge.objects.filter(sms_code__iexact=challenge.sms_code).exists()
    ):
        raise ValidationError(
            {"sms_code": _("Another challenge already uses that text code. Choose another word.")}
        )
    with transaction.atomic():
        base = slugify(question)[:200] or "challenge"
        slug, n = base, 1
        while Challenge.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        challenge.slug = slug
        challenge.save()
        if tags:
            challenge.tags.set(tags)
        pages = list(service_pages)
        if pages:
            challenge.service_pages.set(pages)
    return challenge


# -- ideas ----------------------------------------------------------------------------------


def idea_create(
    *,
    user: User,
    challenge: Challenge,
    title: str,
    body: str,
    persona: Persona | None = None,
    tags: Iterable[str] = (),
    channel: str | None = None,
) -> Idea:
    """Post an idea as ``persona`` (default: the primary one); the author follows it.

    ``channel`` says how it arrived ("web", "api", "sms", "assisted"; default: the channel of
    the surrounding ``recording_channel``, else "web"): screening uses it (a first post by
    text is held) and the insight event records it.
    Publishes ``idea.created`` on the board.
    """
    reason = permissions.why_not_post(user, challenge)
    if reason:
        raise PermissionDenied(reason)
    channel = channel or current_channel()
    persona = _acting_persona(user, persona)
    errors: dict[str, list] = {}
    cleaned: dict = {}
    for key, check in (
        ("title", lambda: _clean_title(title)),
        ("body", lambda: _clean_rich(body, "body", BODY_MAX, _("Describe your idea."))),
        ("tags", lambda: _clean_tags(tags)),
    ):
        try:
            cleaned[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        idea = Idea.objects.create(
            challenge=challenge, persona=persona, title=cleaned["title"], body=cleaned["body"]
        )
        if cleaned["tags"]:
            idea.tags.set(cleaned["tags"])
        community_services.follow(user=user, target=idea)
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
    reason = permissions.why_not_edit_idea(user, idea)
    if reason:
        raise PermissionDenied(reason)
    title = _clean_title(title)
    body = _clean_rich(body, "body", BODY_MAX, _("Describe your idea."))
    new_tags = None if tags is None else _clean_tags(tags)
    with transaction.atomic():
        locked = _lock_idea(idea)
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


def idea_follow(*, user: User, idea: Idea) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to follow ideas."))
    community_services.follow(user=user, target=idea)


def idea_unfollow(*, user: User, idea: Idea) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to follow ideas."))
    community_services.unfollow(user=user, target=idea)


# -- support --------------------------------------------------------------------------------


def vote_cast(
    *,
    user: User,
    idea: Idea | int,
    persona: Persona | None = None,
    channel: str | None = None,
) -> int:
    """Support an idea (once per account). Returns the exact new count.

    ``channel`` ("web", "api", "sms", "assisted"; default: the surrounding
    ``recording_channel``) says how the support arrived, for insight.

    Raises ValidationError("You already support this idea.") on a second support — also when
    two tabs race: the database constraint decides. Publishes ``idea.vote_changed``.
    """
    with transaction.atomic():
        locked = _lock_idea(idea)
        reason = permissions.why_not_support(user, locked)
        if reason:
            raise PermissionDenied(reason)
        persona = _acting_persona(user, persona, required=False)
        try:
            with transaction.atomic():
                Vote.objects.create(idea=locked, account=user, persona=persona)
        except IntegrityError:
            raise ValidationError(_("You already support this idea.")) from None
        Idea.objects.filter(pk=locked.pk).update(support_count=F("support_count") + 1)
        (count,) = _current(locked.pk, "support_count")
        schedule_recompute_on_commit("board", locked.challenge_id)  # the opinion map
        record_event(
            kind=insight_kinds.IDEA_SUPPORTED,
            user=user,
            agency=locked.challenge.agency_id,
            challenge_id=locked.challenge_id,
            object_id=locked.pk,
            channel=channel,
        )
        publish(
            stream=board_stream(locked.challenge_id),
            type=IDEA_VOTE_CHANGED,
            object_id=locked.pk,
            data={"support_count": count},
        )
    if isinstance(idea, Idea):
        idea.support_count = count
    return count


def vote_withdraw(*, user: User, idea: Idea | int) -> int:
    """Withdraw support. Returns the exact new count; publishes ``idea.vote_changed``."""
    with transaction.atomic():
        locked = _lock_idea(idea)
        reason = permissions.why_not_comment(user, locked)  # same rule: until it closes
        if reason:
            raise PermissionDenied(reason)
        deleted, _ignored = Vote.objects.filter(idea=locked, account=user).delete()
        if not deleted:
            raise ValidationError(_("You are not supporting this idea."))
        Idea.objects.filter(pk=locked.pk).update(support_count=F("support_count") - 1)
        (count,) = _current(locked.pk, "support_count")
        schedule_recompute_on_commit("board", locked.challenge_id)  # the opinion map
        publish(
            stream=board_stream(locked.challenge_id),
            type=IDEA_VOTE_CHANGED,
            object_id=locked.pk,
            data={"support_count": count},
        )
    if isinstance(idea, Idea):
        idea.support_count = count
    return count


# -- comments -------------------------------------------------------------------------------


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
    reason = permissions.why_not_comment(user, idea)
    if reason:
        raise PermissionDenied(reason)
    persona = _acting_persona(user, persona)
    body = _clean_rich(body, "body", COMMENT_MAX, _("Write a comment first."))
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise ValidationError(_("That reply belongs to a different idea."))
        if parent.parent_id is not None:
            raise ValidationError(_("Reply to the original comment, not to a reply."))
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
        (count,) = _current(idea.pk, "comment_count")
        idea.comment_count = count
        if comment.screening.held:
            return comment  # no notifications or board event until a moderator approves it
        url = f"{idea.get_absolute_url()}#comment-{comment.pk}"
        replied_to = parent.persona.account if parent is not None else None
        if replied_to is not None:
            community_services.notify(
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
            community_services.notify(
                recipients=[author],
                category="ideas.comment",
                title=_("%(name)s commented on your idea “%(idea)s”")
                % {"name": persona.public_name, "idea": idea.title},
                body=comment.body,
                url=url,
                exclude=user,
            )
        publish(
            stream=board_stream(idea.challenge_id),
            type=COMMENT_CREATED,
            object_id=comment.pk,
            data={"comment": comment_data(comment), "comment_count": count},
        )
    return comment


def comment_update(*, user: User, comment: Comment, body: str) -> Comment:
    """The author corrects a comment within the edit window; publishes ``comment.updated``."""
    reason = permissions.why_not_edit_comment(user, comment)
    if reason:
        raise PermissionDenied(reason)
    body = _clean_rich(body, "body", COMMENT_MAX, _("Write a comment first."))
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
            data={"comment": comment_data(comment)},
        )
    return comment


# -- agency decisions -----------------------------------------------------------------------


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
    if status not in Status.values:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    if status == Status.SUBMITTED:
        raise ValidationError({"status": _("An idea cannot be moved back to submitted.")})
    response = _clean_rich(
        response,
        "response",
        RESPONSE_MAX,
        _("Write the official response: people will read why the status changed."),
    )
    with transaction.atomic():
        locked = _lock_idea(idea)
        if locked.is_merged:
            raise ValidationError(_("A merged idea has no status of its own."))
        if locked.status == status:
            raise ValidationError({"status": _("The idea already has that status.")})
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
        label = Status(status).label
        if notify:
            _notify_status(locked, label, response, user)
        selectors.shown_ideas_changed(locked.challenge_id)
        publish(
            stream=board_stream(locked.challenge_id),
            type=IDEA_STATUS_CHANGED,
            object_id=locked.pk,
            data={
                "status": status,
                "status_label": str(label),
                "agency": locked.challenge.agency.name,
                "response_html": str(sanitize_html(response)),
            },
        )
    idea.status = status
    return change


def _notify_status(locked: Idea, label, response: str, user: User | None) -> None:
    url = locked.get_absolute_url()
    author = locked.persona.account
    if author is not None:
        community_services.notify(
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
    community_services.notify(
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


def idea_merge(*, user: User, duplicate: Idea, survivor: Idea) -> Idea:
    """Merge ``duplicate`` into ``survivor`` on the same board.

    Support moves without double counting (an account that supported both keeps one), as do
    comments and followers; ideas merged earlier into the duplicate now point at the
    survivor; the duplicate's page redirects. Followers of the duplicate are told.
    Publishes ``idea.merged`` (for the duplicate, carrying the survivor's new counts).
    """
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
        keep_accounts = Vote.objects.filter(idea=keep).values_list("account_id", flat=True)
        Vote.objects.filter(idea=dup, account_id__in=list(keep_accounts)).delete()
        Vote.objects.filter(idea=dup).update(idea=keep)
        Comment.objects.filter(idea=dup).update(idea=keep)
        Idea.objects.filter(merged_into=dup).update(merged_into=keep)
        followers = list(followers_of(dup))
        for follower in followers:
            community_services.follow(user=follower, target=keep)
            community_services.unfollow(user=follower, target=dup)
        now = timezone.now()
        support = Vote.objects.filter(idea=keep).count()
        comments = Comment.objects.filter(idea=keep).count()
        Idea.objects.filter(pk=keep.pk).update(
            support_count=support, comment_count=comments, updated_at=now
        )
        Idea.objects.filter(pk=dup.pk).update(
            merged_into=keep, merged_at=now, support_count=0, comment_count=0, updated_at=now
        )
        community_services.notify(
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
            data={
                "into": keep.pk,
                "into_title": keep.title,
                "into_url": keep.get_absolute_url(),
                "support_count": support,
                "comment_count": comments,
            },
        )
    duplicate.merged_into_id = keep.pk
    keep.support_count, keep.comment_count = support, comments
    return keep


# -- assisted digital -----------------------------------------------------------------------


def _assist_allowed(helper: User, organisation: Organisation) -> None:
    from community.permissions import can_assist

    if not can_assist(helper, organisation):
        raise PermissionDenied(
            _("Only service counter staff and volunteers of this organisation can help here.")
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

    Refused, with nothing written, without consent. The idea is the citizen's in every way
    (screening, follows, notifications); :func:`community.services.assisted_record` notes who
    helped, for the public "Posted with help from …" line and the citizen's privacy page.
    """
    _assist_allowed(helper, organisation)
    community_services.assisted_consent_check(
        consent_given=consent_given, consent_method=consent_method
    )
    with transaction.atomic():
        idea = idea_create(
            user=citizen, challenge=challenge, title=title, body=body, channel="assisted"
        )
        community_services.assisted_record(
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
    _assist_allowed(helper, organisation)
    community_services.assisted_consent_check(
        consent_given=consent_given, consent_method=consent_method
    )
    with transaction.atomic():
        vote_cast(user=citizen, idea=idea, channel="assisted")
        vote = Vote.objects.select_related("persona").get(idea=idea, account=citizen)
        community_services.assisted_record(
            helper=helper,
            organisation=organisation,
            citizen=citizen,
            persona=vote.persona,
            action="support",
            consent_method=consent_method,
            target=vote,
        )
    return vote
