"""Writes of ``ideas.opinion``: scheduling and storing map recomputes, recording impressions.

How a vote reaches an open map::

    vote committed ──► schedule_recompute(kind, id)   (after commit, its own short transaction)
                          version += 1; if no run is queued: queued_at = now, enqueue
                          recompute_map with run_after = now + DEBOUNCE_SECONDS
    worker ──► map_recompute(kind, id)
                 1. queued_at = None, read version v     (a change from here on queues anew)
                 2. load the source's votes, engine.compute (no transaction open)
                 3. store result, votes_seen = v unless a newer run stored already; publish
                    ``opinion.map`` after commit

No change is lost: a change that commits after step 1 queues another run (queued_at is empty
again); one that committed before step 1 is in the votes step 2 loads. Runs of one subject
that overlap store in version order (the store is conditional on ``votes_seen``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from community.types import AnyUser
from ideas.opinion import engine, sources
from ideas.opinion.conf import setting
from ideas.opinion.events import MAP, opinion_stream
from ideas.opinion.models import BoardImpression, OpinionMap
from realtime.events import publish

logger = logging.getLogger(__name__)


def _map_row(kind: str, subject_id: int) -> OpinionMap:
    try:
        with transaction.atomic():
            return OpinionMap.objects.get_or_create(kind=kind, subject_id=subject_id)[0]
    except IntegrityError:  # created by a concurrent first change
        return OpinionMap.objects.get(kind=kind, subject_id=subject_id)


def schedule_recompute(kind: str, subject_id: int) -> None:
    """Note that ``subject``'s votes changed and make sure one recompute is queued.

    Call after the change commits (``schedule_recompute_on_commit`` from inside an action's
    transaction): the run must see the change, and a per-subject row lock must not be held
    while the vote's transaction is open (every vote on a board would queue behind it). At
    most one run is queued per subject; it starts ``DEBOUNCE_SECONDS`` after the first change
    of a burst. Never raises for a failed enqueue (the vote stands; the next change or the
    stale-queue rule queues again).
    """
    sources.source(kind)  # an unknown kind is a programming error: fail where it is made
    row = _map_row(kind, subject_id)
    now = timezone.now()
    stale = now - timedelta(seconds=setting("STALE_QUEUE_SECONDS"))
    with transaction.atomic():
        # One UPDATE decides who queues: concurrent changes see the row locked, re-read it
        # after the first commits, and find queued_at set.
        queue = OpinionMap.objects.filter(
            Q(queued_at__isnull=True) | Q(queued_at__lt=stale), pk=row.pk
        ).update(version=F("version") + 1, queued_at=now)
        if not queue:
            OpinionMap.objects.filter(pk=row.pk).update(version=F("version") + 1)
            return
        transaction.on_commit(lambda: _enqueue(kind, subject_id))


def schedule_recompute_on_commit(kind: str, subject_id: int) -> None:
    """From inside an action's transaction: schedule once it commits (nothing if it rolls
    back)."""
    transaction.on_commit(lambda: schedule_recompute(kind, subject_id), robust=True)


def _enqueue(kind: str, subject_id: int) -> None:
    from ideas.opinion.tasks import recompute_map

    try:
        task = recompute_map
        if task.get_backend().supports_defer:
            delay = timedelta(seconds=setting("DEBOUNCE_SECONDS"))
            task = task.using(run_after=timezone.now() + delay)
        task.enqueue(kind=kind, subject_id=subject_id)
    except Exception:
        # The change stands; the row stays queued and counts as lost after
        # STALE_QUEUE_SECONDS, when the next change queues again.
        logger.exception("could not enqueue an opinion map recompute", extra={"kind": kind})


def map_recompute(*, kind: str, subject_id: int) -> OpinionMap | None:
    """Recompute and store one subject's map; publish ``opinion.map`` if it was stored.

    Returns the row, or None when the subject has no map row (nothing was ever scheduled)
    or no longer exists (its map row is deleted).
    Safe to run twice or concurrently (see the module docstring).
    """
    source = sources.source(kind)
    with transaction.atomic():
        row = (
            OpinionMap.objects.select_for_update().filter(kind=kind, subject_id=subject_id).first()
        )
        if row is None:
            return None
        row.queued_at = None
        row.save(update_fields=["queued_at"])
        version = row.version
    status, result = OpinionMap.Status.READY, None
    try:
        matrix = source.load(subject_id)
    except ObjectDoesNotExist:
        OpinionMap.objects.filter(pk=row.pk).delete()  # the subject is gone: so is its map
        return None
    except sources.MapUnavailable as unavailable:
        status = OpinionMap.Status(unavailable.reason)  # a reason pages know how to word
    else:
        result = engine.compute(matrix).to_json()
    with transaction.atomic():
        stored = OpinionMap.objects.filter(pk=row.pk, votes_seen__lte=version).update(
            status=status, result=result, computed_at=timezone.now(), votes_seen=version
        )
        if not stored:
            return OpinionMap.objects.get(pk=row.pk)  # a newer run stored already
        row = OpinionMap.objects.get(pk=row.pk)
        publish(
            stream=opinion_stream(kind, subject_id),
            type=MAP,
            object_id=subject_id,
            data=map_event_data(row),
        )
    return row


def map_compute_now(*, kind: str, subject_id: int) -> OpinionMap | None:
    """Count a change and recompute at once, without the queue: for ``seed_demo`` and other
    commands that write votes directly and want the map before they finish."""
    row = _map_row(kind, subject_id)
    OpinionMap.objects.filter(pk=row.pk).update(version=F("version") + 1)
    return map_recompute(kind=kind, subject_id=subject_id)


def map_event_data(row: OpinionMap) -> dict:
    """The ``opinion.map`` event's data and the snapshot's: which map, its state and when it
    was computed. Not the result: its group sizes are unsuppressed, and labels and wording
    belong to the viewer's language; clients fetch the rendered partial."""
    return {
        "kind": row.kind,
        "subject": row.subject_id,
        "status": row.status,
        "computed_at": row.computed_at.isoformat() if row.computed_at else None,
        "version": row.votes_seen,
    }


# -- board impressions --------------------------------------------------------------------


SEEN_KEY = "opinion:seen:{user}:{challenge}"
SEEN_TTL = 3600


def impressions_record(*, user: AnyUser, challenge_id: int, idea_ids: list[int] | set[int]) -> int:
    """Add ``idea_ids`` (already checked to be ideas the board shows) to what ``user`` was
    shown on the board. Returns how many were new.

    Called on every board page a signed-in person opens, so the usual case (nothing new) is
    answered from the shared cache without a query; the first view of a board inserts one
    row. When the set grows, the board's map is rescheduled after commit ("seen" changes it).
    """
    if not user.is_authenticated:
        raise PermissionDenied
    wanted = {int(i) for i in idea_ids}
    if not wanted:
        return 0
    key = SEEN_KEY.format(user=user.pk, challenge=challenge_id)
    known = cache.get(key)
    if known is not None and wanted.issubset(known):
        return 0
    current = (
        BoardImpression.objects.filter(user=user, challenge_id=challenge_id)
        .values_list("ideas", flat=True)
        .first()
    )
    if current is not None and wanted.issubset(current):
        cache.set(key, current, SEEN_TTL)
        return 0
    if current is None:
        try:
            with transaction.atomic():
                BoardImpression.objects.create(
                    user=user, challenge_id=challenge_id, ideas=sorted(wanted)
                )
                schedule_recompute_on_commit("board", challenge_id)
                _remember_on_commit(key, sorted(wanted))
            return len(wanted)
        except IntegrityError:
            pass  # this account's other tab created it just now: merge below
    with transaction.atomic():
        row = BoardImpression.objects.select_for_update().get(user=user, challenge_id=challenge_id)
        seen = set(row.ideas)
        new = wanted - seen
        if new:
            row.ideas = sorted(seen | new)
            row.save(update_fields=["ideas", "updated_at"])
            schedule_recompute_on_commit("board", challenge_id)
        _remember_on_commit(key, row.ideas)
    return len(new)


def _remember_on_commit(key: str, ideas: list[int]) -> None:
    transaction.on_commit(lambda: cache.set(key, ideas, SEEN_TTL), robust=True)
