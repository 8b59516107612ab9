"""Status moves of backlog items (what the public roadmap shows): one item by staff, several
at once, or by the agency's tracker (:mod:`ideas.backlog.actions.webhooks`). Every move
follows :data:`~ideas.backlog.models.TRANSITIONS`, records its history and public update,
moves the source ideas and tells the participants of public items once each."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation, User
from community.participation.recorder import record_event
from ideas.backlog.actions.checks import clean_text, require_manager
from ideas.backlog.actions.loop import default_response, follow_ideas, participants, tell
from ideas.backlog.actions.records import Via, broadcast, history, queue_hook
from ideas.backlog.events import HOOK_CHANGED, ITEM_MOVED, item_moved_data
from ideas.backlog.models import TRANSITIONS, BacklogItem, ItemStatus, PublicUpdate, needs_reason
from ideas.insight import kinds as insight_kinds


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
    history(locked, actor, via, diff)
    record_event(
        kind=insight_kinds.BACKLOG_STATUS_CHANGED,
        user=actor,
        agency=locked.agency_id,
        object_id=locked.pk,
        channel="api" if via == Via.TRACKER else None,
    )
    if message:
        PublicUpdate.objects.create(item=locked, status=status, body=message, author=actor)
    follow_ideas(locked, message, actor)
    broadcast(locked, ITEM_MOVED, item_moved_data(locked, old))
    queue_hook(locked, HOOK_CHANGED, diff)
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
    require_manager(user, item.agency_id)
    return transition(item=item, status=status, message=message, actor=user, via=via)


def transition(
    *, item: BacklogItem, status: str, message: str, actor: User | None, via: str
) -> BacklogItem:
    """One item's move for a caller that has decided the actor may make it (staff checked by
    :func:`item_transition`, the tracker's signature by ``tracker_set_status``)."""
    # check (the move on the locked row)
    message = clean_text(message, "message")
    with transaction.atomic():
        locked = (
            BacklogItem.objects.select_for_update(of=("self",))
            .select_related("agency", "owner")
            .get(pk=item.pk)
        )
        _check_move(locked, status, message)
        # do
        audience = _move(locked, status, message, actor, via)
        tell(
            audience,
            title=_status_title(locked),
            body=message or default_response(locked),
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
    # check
    require_manager(user, agency)
    ids = sorted({int(pk) for pk in item_ids})
    if not ids:
        raise ValidationError({"items": _("Choose at least one item.")})
    message = clean_text(message, "message")
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
        # do
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
            tell(
                audience,
                title=title,
                body=message or default_response(public[0]),
                url=public[0].get_absolute_url(),
                actor=user,
            )
    return locked
