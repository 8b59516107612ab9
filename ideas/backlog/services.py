"""Every write on backlogs. Views, the board consumer, the inbound webhook and the demo call
these.

Each function is keyword-only, asks :mod:`ideas.backlog.permissions`, validates
(``ValidationError``; nothing is written), writes inside ``transaction.atomic``, records a
:class:`~ideas.backlog.models.BacklogHistory` row per changed field, publishes the board event
after commit and queues a signed webhook delivery for the agency's tracker (delivered by the
task worker after commit: the request never waits for it).

**Closing the loop.** On every status change of a *public* item everyone who posted, supported,
commented on or followed a source idea (and every participant of another registered source,
see :mod:`ideas.backlog.sources`) gets one in-app notification (emailed by their preference
for ``backlog.status``) — one per person per change, however many sources they touched. The
source ideas' statuses follow the item through
:func:`ideas.services.idea_status_follow_backlog`, which notifies nobody itself.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from community import actions as community_services
from community.follows import label_of
from community.models import Follow, Organisation, User
from community.participation.recorder import record_event
from community.text import looks_like_html, plain_text
from ideas import services as idea_services
from ideas.backlog import egress, permissions
from ideas.backlog.events import (
    HOOK_CHANGED,
    HOOK_CREATED,
    ITEM_CREATED,
    ITEM_MOVED,
    ITEM_UPDATED,
    backlog_stream,
    hook_payload,
    item_card,
)
from ideas.backlog.models import (
    TEXT_MAX,
    TITLE_MAX,
    TRANSITIONS,
    BacklogHistory,
    BacklogIdeaLink,
    BacklogItem,
    BacklogItemLink,
    BacklogSourceLink,
    InboundReceipt,
    ItemStatus,
    PublicUpdate,
    WebhookDelivery,
    WebhookEndpoint,
    needs_reason,
    quarter_validator,
)
from ideas.backlog.sources import participants_of, source_for
from ideas.insight import kinds as insight_kinds
from ideas.models import Comment, Idea, Status, Vote
from realtime.events import publish

logger = logging.getLogger(__name__)

Via = BacklogHistory.Via

# The status a source idea takes when its item reaches a status.
IDEA_STATUS_FOR = {
    ItemStatus.NEW: Status.IN_BACKLOG,
    ItemStatus.TRIAGED: Status.IN_BACKLOG,
    ItemStatus.IN_DISCOVERY: Status.IN_BACKLOG,
    ItemStatus.IN_DELIVERY: Status.IN_BACKLOG,
    ItemStatus.DONE: Status.IMPLEMENTED,
    ItemStatus.WONT_DO: Status.NOT_TAKEN_FORWARD,
}

EDITABLE = (
    "title",
    "problem",
    "proposed_change",
    "owner",
    "reach",
    "impact",
    "confidence",
    "effort",
    "target_quarter",
    "is_public",
    "internal_notes",
)
FACTORS = ("reach", "impact", "confidence", "effort")


# -- validation ---------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    raw = " ".join((title or "").split())
    if not raw:
        raise ValidationError({"title": _("Give the item a short title.")})
    if looks_like_html(raw):
        raise ValidationError({"title": _("Titles are plain text: remove the HTML.")})
    text = plain_text(raw)
    if len(text) > TITLE_MAX:
        raise ValidationError(
            {"title": _("Keep the title under %(n)d characters.") % {"n": TITLE_MAX}}
        )
    return text


def _clean_text(text: str, field: str, *, required: str | None = None) -> str:
    """Light-formatting text (sanitised when shown), as the idea boards accept it."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        if required:
            raise ValidationError({field: required})
        return ""
    return idea_services._clean_rich(text, field, TEXT_MAX, required or "")


def _clean_factor(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if str(number) != str(value).strip() or not 1 <= number <= 10:
        raise ValidationError({field: _("Use a whole number from 1 to 10.")})
    return number


def _clean_quarter(value: str) -> str:
    value = (value or "").strip().upper()
    if value:
        quarter_validator(value)
    return value


def _clean_owner(owner: User | None, agency: Organisation) -> User | None:
    if owner is not None and not permissions.can_view_backlog(owner, agency):
        raise ValidationError({"owner": _("The owner must be a member of the agency's staff.")})
    return owner


def _require_manager(user: User, agency: Organisation | int) -> None:
    if not permissions.can_manage_backlog(user, agency):
        raise PermissionDenied(_("Only the agency's service designers and admins can do that."))


def _display(value: Any) -> str:
    if isinstance(value, Model):
        return str(value)
    return "" if value is None else str(value)


# -- history, events, webhooks --------------------------------------------------------------


def _history(item: BacklogItem, actor: User | None, via: str, changes: dict) -> None:
    BacklogHistory.objects.bulk_create(
        BacklogHistory(
            item=item,
            actor=actor,
            via=via,
            field=field,
            old_value=_display(old),
            new_value=_display(new),
        )
        for field, (old, new) in changes.items()
    )


def _broadcast(item: BacklogItem, event: str, extra: dict | None = None) -> None:
    publish(
        stream=backlog_stream(item.agency_id),
        type=event,
        object_id=item.pk,
        data={**item_card(item), **(extra or {})},
    )


def _enqueue_delivery(delivery_id: int) -> None:
    from ideas.backlog.tasks import deliver_webhook

    try:
        deliver_webhook.enqueue(delivery_id=delivery_id)
    except Exception:
        # The delivery row stays pending and is listed in the log; the write stands.
        logger.exception("could not enqueue webhook delivery", extra={"delivery": delivery_id})


def _queue_hook(item: BacklogItem, event: str, changes: dict) -> WebhookDelivery | None:
    """Record a delivery for the agency's active endpoint; send it after commit."""
    endpoint = WebhookEndpoint.objects.filter(agency_id=item.agency_id, is_active=True).first()
    if endpoint is None:
        return None
    plain = {field: [_display(old), _display(new)] for field, (old, new) in changes.items()}
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        item=item,
        idempotency_key=uuid.uuid4().hex,
        payload=hook_payload(item, event, plain),
    )
    transaction.on_commit(lambda: _enqueue_delivery(delivery.pk))
    return delivery


# -- closing the loop -----------------------------------------------------------------------


def participants(item: BacklogItem) -> set[int]:
    """Account ids of everyone who posted, supported, commented on or followed a source idea,
    or took part in another registered source. Five queries plus one per source model."""
    idea_ids = list(item.idea_links.values_list("idea_id", flat=True))
    accounts: set[int] = set()
    if idea_ids:
        accounts |= set(
            Idea.objects.filter(pk__in=idea_ids).values_list("persona__account_id", flat=True)
        )
        accounts |= set(
            Vote.objects.filter(idea_id__in=idea_ids).values_list("account_id", flat=True)
        )
        accounts |= set(
            Comment.objects.filter(idea_id__in=idea_ids).values_list(
                "persona__account_id", flat=True
            )
        )
        accounts |= set(
            Follow.objects.filter(
                content_type=ContentType.objects.get_for_model(Idea), object_id__in=idea_ids
            ).values_list("user_id", flat=True)
        )
    pairs = [
        (link.content_type.model_class(), link.object_id)
        for link in item.source_links.select_related("content_type")
    ]
    accounts |= participants_of((model, pk) for model, pk in pairs if model is not None)
    accounts.discard(None)
    return accounts


def _tell(account_ids: set[int], *, title: str, body: str, url: str, actor: User | None) -> None:
    if not account_ids:
        return
    community_services.notify(
        recipients=User.objects.filter(pk__in=account_ids, is_active=True).order_by("pk"),
        category="backlog.status",
        title=title,
        body=body,
        url=url,
        exclude=actor,
    )


def _default_response(item: BacklogItem) -> str:
    return _("%(agency)s has taken this idea into its innovation backlog: %(status)s.") % {
        "agency": item.agency.name,
        "status": ItemStatus(item.status).label,
    }


def _follow_ideas(item: BacklogItem, message: str, actor: User | None) -> None:
    """Move each source idea to the status its item implies (one way: the ideas service)."""
    target = IDEA_STATUS_FOR[item.status]
    response = message or _default_response(item)
    for link in item.idea_links.select_related("idea__challenge__agency", "idea__persona"):
        idea_services.idea_status_follow_backlog(
            idea=link.idea, status=target, response=response, changed_by=actor
        )


# -- items ------------------------------------------------------------------------------------


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
    if agency.kind != Organisation.Kind.AGENCY:
        raise ValidationError({"agency": _("Backlogs belong to an agency.")})
    _require_manager(user, agency)
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    checks = {
        "title": lambda: _clean_title(title),
        "problem": lambda: _clean_text(
            problem, "problem", required=_("Describe the problem people have.")
        ),
        "proposed_change": lambda: _clean_text(proposed_change, "proposed_change"),
        "internal_notes": lambda: _clean_text(internal_notes, "internal_notes"),
        "public_message": lambda: _clean_text(public_message, "public_message"),
        "target_quarter": lambda: _clean_quarter(target_quarter),
        "owner": lambda: _clean_owner(owner, agency),
        **{
            f: (lambda f=f, v=v: _clean_factor(v, f))
            for f, v in zip(FACTORS, (reach, impact, confidence, effort), strict=True)
        },
    }
    for key, check in checks.items():
        try:
            cleaned[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    ideas = list(ideas)
    for idea in ideas:
        if idea.challenge.agency_id != agency.pk:
            errors.setdefault("ideas", []).append(
                _("“%(idea)s” was posted to another agency's challenge.") % {"idea": idea.title}
            )
        elif idea.is_merged:
            errors.setdefault("ideas", []).append(
                _("“%(idea)s” was merged into another idea; link that one.") % {"idea": idea.title}
            )
    sources = list(sources)
    for source in sources:
        entry = source_for(type(source))
        if entry is None or entry.agency(source) != agency.pk:
            errors.setdefault("sources", []).append(
                _("That source cannot be linked to this agency's backlog.")
            )
    if errors:
        raise ValidationError(errors)
    message = cleaned.pop("public_message")
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
        _history(
            item,
            user,
            via,
            {"created": ("", item.title)}
            | {f"source:{label_of(s)}": ("", s.pk) for s in [*ideas, *sources]},
        )
        if message:
            PublicUpdate.objects.create(item=item, status=item.status, body=message, author=user)
        if ideas:
            _follow_ideas(item, message, user)
        if item.is_public and (ideas or sources):
            _tell(
                participants(item),
                title=_("“%(item)s” is now on %(agency)s's roadmap")
                % {"item": item.title, "agency": agency.name},
                body=message or _default_response(item),
                url=item.get_absolute_url(),
                actor=user,
            )
        _broadcast(item, ITEM_CREATED)
        _queue_hook(item, HOOK_CREATED, {"status": ("", item.status)})
    return item


def item_update(*, user: User, item: BacklogItem, **changes: Any) -> BacklogItem:
    """Change an item's fields (not its status: see :func:`item_transition`).

    Only fields in ``EDITABLE`` may be passed; unchanged values are ignored. Each changed field
    gets a history row. Publishes ``backlog.item_updated`` and queues ``backlog_item.changed``.
    """
    _require_manager(user, item.agency_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    cleaners = {
        "title": _clean_title,
        "problem": lambda v: _clean_text(
            v, "problem", required=_("Describe the problem people have.")
        ),
        "proposed_change": lambda v: _clean_text(v, "proposed_change"),
        "internal_notes": lambda v: _clean_text(v, "internal_notes"),
        "target_quarter": _clean_quarter,
        "owner": lambda v: _clean_owner(v, item.agency),
        "is_public": bool,
        **{f: (lambda v, f=f: _clean_factor(v, f)) for f in FACTORS},
    }
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        try:
            cleaned[field] = cleaners[field](value)
        except ValidationError as exc:
            errors.update(exc.message_dict if hasattr(exc, "error_dict") else {field: exc.messages})
    if errors:
        raise ValidationError(errors)
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
        _history(locked, user, Via.WEB, diff)
        _broadcast(locked, ITEM_UPDATED)
        public_diff = {k: v for k, v in diff.items() if k != "internal_notes"}
        if public_diff:
            _queue_hook(locked, HOOK_CHANGED, public_diff)
    return locked


def _check_move(item: BacklogItem, status: str, message: str) -> None:
    if status not in ItemStatus.values:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    if status == item.status:
        raise ValidationError({"status": _("“%(item)s” already has that status.") % {"item": item}})
    if status not in TRANSITIONS[item.status]:
        raise ValidationError(
            {
                "status": _("“%(item)s” cannot move from %(old)s to %(new)s.")
                % {
                    "item": item,
                    "old": ItemStatus(item.status).label,
                    "new": ItemStatus(status).label,
                }
            }
        )
    if needs_reason(item.status, status) and not message:
        if status == ItemStatus.WONT_DO:
            text = _("Say publicly why this will not go ahead.")
        else:
            text = _("Moving an item back needs a public reason.")
        raise ValidationError({"message": text})


def _move(locked: BacklogItem, status: str, message: str, actor: User | None, via: str) -> set[int]:
    """Apply a checked move to a locked item; returns who should hear (public items only)."""
    old = locked.status
    diff: dict[str, tuple] = {"status": (old, status)}
    locked.status, locked.status_changed_at = status, timezone.now()
    new_reason = message if status == ItemStatus.WONT_DO else ""
    if new_reason != locked.public_reason:
        diff["public_reason"] = (locked.public_reason, new_reason)
        locked.public_reason = new_reason
    locked.save(update_fields=["status", "status_changed_at", "public_reason", "updated_at"])
    _history(locked, actor, via, diff)
    record_event(
        kind=insight_kinds.BACKLOG_STATUS_CHANGED,
        user=actor,
        agency=locked.agency_id,
        object_id=locked.pk,
        channel="api" if via == Via.TRACKER else None,
    )
    if message:
        PublicUpdate.objects.create(item=locked, status=status, body=message, author=actor)
    _follow_ideas(locked, message, actor)
    _broadcast(locked, ITEM_MOVED, {"from_status": old})
    _queue_hook(locked, HOOK_CHANGED, diff)
    return participants(locked) if locked.is_public else set()


def _status_title(item: BacklogItem) -> str:
    return _("Update on “%(item)s”: %(status)s") % {
        "item": item.title,
        "status": item.stage_label or ItemStatus(item.status).label,
    }


def item_transition(
    *, user: User, item: BacklogItem, status: str, message: str = "", via: str = Via.WEB
) -> BacklogItem:
    """Move an item along :data:`~ideas.backlog.models.TRANSITIONS`.

    ``message`` is the public update text; it is required for *won't do* (it becomes the
    public reason) and for any move backwards. Source ideas follow; participants of a public
    item are told once each. Publishes ``backlog.item_moved``; queues ``backlog_item.changed``.
    """
    _require_manager(user, item.agency_id)
    return _transition(item=item, status=status, message=message, actor=user, via=via)


def _transition(
    *, item: BacklogItem, status: str, message: str, actor: User | None, via: str
) -> BacklogItem:
    message = _clean_text(message, "message")
    with transaction.atomic():
        locked = (
            BacklogItem.objects.select_for_update(of=("self",))
            .select_related("agency", "owner")
            .get(pk=item.pk)
        )
        _check_move(locked, status, message)
        audience = _move(locked, status, message, actor, via)
        _tell(
            audience,
            title=_status_title(locked),
            body=message or _default_response(locked),
            url=locked.get_absolute_url(),
            actor=actor,
        )
    item.status = locked.status
    return locked


def item_bulk_transition(
    *, user: User, agency: Organisation, item_ids: Iterable[int], status: str, message: str = ""
) -> list[BacklogItem]:
    """Move several items of one agency to ``status`` with one public message.

    All or nothing: if any item may not move, nothing changes and the error names it. People
    who took part in several of the items get one notification for the whole change.
    """
    _require_manager(user, agency)
    ids = sorted({int(pk) for pk in item_ids})
    if not ids:
        raise ValidationError({"items": _("Choose at least one item.")})
    message = _clean_text(message, "message")
    with transaction.atomic():
        locked = list(
            BacklogItem.objects.select_for_update(of=("self",))
            .select_related("agency", "owner")
            .filter(pk__in=ids, agency=agency)
            .order_by("pk")
        )
        if len(locked) != len(ids):
            raise ValidationError({"items": _("Some of those items are not in this backlog.")})
        for item in locked:
            _check_move(item, status, message)
        audience: set[int] = set()
        for item in locked:
            audience |= _move(item, status, message, user, Via.WEB)
        if audience:
            public = [i for i in locked if i.is_public]
            title = (
                _status_title(public[0])
                if len(public) == 1
                else _("%(n)d items on %(agency)s's roadmap are now: %(status)s")
                % {
                    "n": len(public),
                    "agency": agency.name,
                    "status": public[0].stage_label or ItemStatus(status).label,
                }
            )
            _tell(
                audience,
                title=title,
                body=message or _default_response(public[0]),
                url=public[0].get_absolute_url(),
                actor=user,
            )
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
    _require_manager(user, agency)
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
    _require_manager(user, item.agency_id)
    if other.pk == item.pk:
        raise ValidationError(_("An item cannot be linked to itself."))
    if other.agency_id != item.agency_id:
        raise ValidationError(_("Only items of the same backlog can be linked."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                link = BacklogItemLink.objects.create(from_item=item, to_item=other)
        except IntegrityError:
            raise ValidationError(_("These items are already linked.")) from None
        _history(item, user, Via.WEB, {"link": ("", other.pk)})
    return link


# -- the agency's tracker ---------------------------------------------------------------------


def webhook_configure(
    *, user: User, agency: Organisation, url: str, secret: str, is_active: bool = True
) -> WebhookEndpoint:
    """Set the agency's tracker URL and shared secret (agency admins only)."""
    if not permissions.can_manage_integrations(user, agency):
        raise PermissionDenied(_("Only the agency's admins can configure integrations."))
    from django.core.validators import URLValidator

    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {"url": _("Enter the full http(s) address of your tracker.")}
        ) from None
    if len(secret or "") < 24:
        raise ValidationError({"secret": _("Use a secret of at least 24 characters.")})
    try:
        egress.check_destination(url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from None
    endpoint, _created = WebhookEndpoint.objects.update_or_create(
        agency=agency, defaults={"url": url, "secret": secret, "is_active": bool(is_active)}
    )
    return endpoint


def tracker_set_status(
    *, agency: Organisation, signature: str, item_id: int, status: str, message: str = ""
) -> BacklogItem:
    """Apply a status change sent by the agency's tracker.

    The caller (the inbound view) has verified ``signature`` over the body with the agency's
    secret; this records it so the same signed call is never applied twice, then moves the
    item exactly as staff would (same transition table, history ``via=tracker``, no actor).
    Raises ``BacklogItem.DoesNotExist`` for an item of another agency or none.
    """
    with transaction.atomic():
        item = BacklogItem.objects.get(pk=item_id, agency=agency)
        try:
            with transaction.atomic():
                InboundReceipt.objects.create(agency=agency, signature=signature)
        except IntegrityError:
            raise ValidationError({"signature": _("This call was already received.")}) from None
        return _transition(item=item, status=status, message=message, actor=None, via=Via.TRACKER)
