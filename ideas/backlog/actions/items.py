"""Backlog items: adding one (optionally traced to ideas and other sources), promoting an
accepted idea, changing an item's fields and relating two items."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from community.follows import label_of
from community.models import Organisation, User
from ideas.backlog.actions.checks import (
    EDITABLE,
    FACTORS,
    clean_factor,
    clean_item_title,
    clean_owner,
    clean_problem,
    clean_quarter,
    clean_text,
    require_manager,
)
from ideas.backlog.actions.loop import default_response, follow_ideas, participants, tell
from ideas.backlog.actions.records import Via, broadcast, history, queue_hook
from ideas.backlog.events import HOOK_CHANGED, HOOK_CREATED, ITEM_CREATED, ITEM_UPDATED
from ideas.backlog.models import (
    BacklogIdeaLink,
    BacklogItem,
    BacklogItemLink,
    BacklogSourceLink,
    PublicUpdate,
)
from ideas.backlog.sources import source_for
from ideas.models import Idea, Status


def _collect(checks: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """Run every field check: the cleaned values and the errors of every field to fix."""
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    for key, check in checks.items():
        try:
            cleaned[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict if hasattr(exc, "error_dict") else {key: exc.messages})
    return cleaned, errors


def _source_errors(agency: Organisation, ideas: list[Idea], sources: list[Model]) -> dict:
    errors: dict[str, list] = {}
    for idea in ideas:
        if idea.challenge.agency_id != agency.pk:
            errors.setdefault("ideas", []).append(
                _("“%(idea)s” was posted to another agency's challenge.") % {"idea": idea.title}
            )
        elif idea.is_merged:
            errors.setdefault("ideas", []).append(
                _("“%(idea)s” was merged into another idea; link that one.") % {"idea": idea.title}
            )
    for source in sources:
        entry = source_for(type(source))
        if entry is None or entry.agency(source) != agency.pk:
            errors.setdefault("sources", []).append(
                _("That source cannot be linked to this agency's backlog.")
            )
    return errors


def item_create(
    *,
    user: User,
    agency: Organisation,
    title: str,
    problem: str,
    proposed_change: str = "",
    owner: User | None = None,
    reach: int = 5,
    impact: int = 5,
    confidence: int = 5,
    effort: int = 5,
    target_quarter: str = "",
    is_public: bool = False,
    internal_notes: str = "",
    public_message: str = "",
    ideas: Iterable[Idea] = (),
    sources: Iterable[Model] = (),
    via: str = Via.WEB,
) -> BacklogItem:
    """Add an item to ``agency``'s backlog, optionally traced to ideas and other sources.

    Source ideas must come from the agency's own challenges; they move to *in backlog*, and if
    the item is public their participants hear about it (once each). ``sources`` takes any
    model registered in :mod:`ideas.backlog.sources` (co-design outcomes). Publishes
    ``backlog.item_created``; queues ``backlog_item.created`` for the agency's tracker.
    """
    # check
    if agency.kind != Organisation.Kind.AGENCY:
        raise ValidationError({"agency": _("Backlogs belong to an agency.")})
    require_manager(user, agency)
    ideas, sources = list(ideas), list(sources)
    cleaned, errors = _collect(
        {
            "title": lambda: clean_item_title(title),
            "problem": lambda: clean_problem(problem),
            "proposed_change": lambda: clean_text(proposed_change, "proposed_change"),
            "internal_notes": lambda: clean_text(internal_notes, "internal_notes"),
            "public_message": lambda: clean_text(public_message, "public_message"),
            "target_quarter": lambda: clean_quarter(target_quarter),
            "owner": lambda: clean_owner(owner, agency),
            **{
                f: (lambda f=f, v=v: clean_factor(v, f))
                for f, v in zip(FACTORS, (reach, impact, confidence, effort), strict=True)
            },
        }
    )
    errors.update(_source_errors(agency, ideas, sources))
    if errors:
        raise ValidationError(errors)
    message = cleaned.pop("public_message")
    # do
    with transaction.atomic():
        item = BacklogItem.objects.create(
            agency=agency, is_public=bool(is_public), created_by=user, **cleaned
        )
        BacklogIdeaLink.objects.bulk_create(BacklogIdeaLink(item=item, idea=i) for i in ideas)
        BacklogSourceLink.objects.bulk_create(
            BacklogSourceLink(
                item=item,
                content_type=ContentType.objects.get_for_model(source),
                object_id=source.pk,
            )
            for source in sources
        )
        history(
            item,
            user,
            via,
            {"created": ("", item.title)}
            | {f"source:{label_of(s)}": ("", s.pk) for s in [*ideas, *sources]},
        )
        if message:
            PublicUpdate.objects.create(item=item, status=item.status, body=message, author=user)
        if ideas:
            follow_ideas(item, message, user)
        if item.is_public and (ideas or sources):
            tell(
                participants(item),
                title=_("“%(item)s” is now on %(agency)s's roadmap")
                % {"item": item.title, "agency": agency.name},
                body=message or default_response(item),
                url=item.get_absolute_url(),
                actor=user,
            )
        broadcast(item, ITEM_CREATED)
        queue_hook(item, HOOK_CREATED, {"status": ("", item.status)})
    return item


def item_update(*, user: User, item: BacklogItem, **changes: Any) -> BacklogItem:
    """Change an item's fields (not its status: see :func:`item_transition`).

    Only fields in ``EDITABLE`` may be passed; unchanged values are ignored. Each changed field
    gets a history row. Publishes ``backlog.item_updated`` and queues ``backlog_item.changed``.
    """
    # check
    require_manager(user, item.agency_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    cleaners: dict[str, Callable[[Any], Any]] = {
        "title": clean_item_title,
        "problem": clean_problem,
        "proposed_change": lambda v: clean_text(v, "proposed_change"),
        "internal_notes": lambda v: clean_text(v, "internal_notes"),
        "target_quarter": clean_quarter,
        "owner": lambda v: clean_owner(v, item.agency),
        "is_public": bool,
        **{f: partial(clean_factor, field=f) for f in FACTORS},
    }
    cleaned, errors = _collect(
        {field: (lambda f=field, v=value: cleaners[f](v)) for field, value in changes.items()}
    )
    if errors:
        raise ValidationError(errors)
    # do
    with transaction.atomic():
        locked = BacklogItem.objects.select_for_update().get(pk=item.pk)
        diff = {}
        for field, value in cleaned.items():
            old = getattr(locked, field)
            if old != value:
                diff[field] = (old, value)
                setattr(locked, field, value)
        if not diff:
            return locked
        locked.save(update_fields=[*diff, "updated_at"])
        history(locked, user, Via.WEB, diff)
        broadcast(locked, ITEM_UPDATED)
        public_diff = {k: v for k, v in diff.items() if k != "internal_notes"}
        if public_diff:
            queue_hook(locked, HOOK_CHANGED, public_diff)
    return locked


def promote_idea(
    *,
    user: User,
    idea: Idea,
    title: str = "",
    problem: str = "",
    proposed_change: str = "",
    is_public: bool = True,
    message: str = "",
    **fields: Any,
) -> BacklogItem:
    """An accepted idea becomes a backlog item of its challenge's agency in one action.

    Title and problem default to the idea's; the idea moves to *in backlog* with ``message``
    (or a default) as the official response, and from then on follows the item's status.
    """
    agency = idea.challenge.agency
    require_manager(user, agency)
    if idea.is_merged:
        raise ValidationError(_("This idea was merged into another; promote that one."))
    if idea.status != Status.ACCEPTED:
        raise ValidationError(_("Only accepted ideas can be promoted to the backlog."))
    existing = BacklogIdeaLink.objects.filter(idea=idea).select_related("item").first()
    if existing is not None:
        raise ValidationError(
            _("This idea is already in the backlog as “%(item)s”.") % {"item": existing.item}
        )
    return item_create(
        user=user,
        agency=agency,
        title=title or idea.title,
        problem=problem or idea.body,
        proposed_change=proposed_change,
        is_public=is_public,
        public_message=message,
        ideas=[idea],
        via=Via.PROMOTION,
        **fields,
    )


def item_link(*, user: User, item: BacklogItem, other: BacklogItem) -> BacklogItemLink:
    """Relate two items of the same agency (recorded in the item's history)."""
    # check
    require_manager(user, item.agency_id)
    if other.pk == item.pk:
        raise ValidationError(_("An item cannot be linked to itself."))
    if other.agency_id != item.agency_id:
        raise ValidationError(_("Only items of the same backlog can be linked."))
    # do (the unique constraint decides a race)
    with transaction.atomic():
        try:
            with transaction.atomic():
                link = BacklogItemLink.objects.create(from_item=item, to_item=other)
        except IntegrityError:
            raise ValidationError(_("These items are already linked.")) from None
        history(item, user, Via.WEB, {"link": ("", other.pk)})
    return link
