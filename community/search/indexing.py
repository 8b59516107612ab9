"""Keeping the index up to date: saves and deletes of registered models re-index at once.

Indexing happens inside the writer's transaction (a rolled-back write leaves no entry), in one
upsert per save. It is not a business rule — visibility is decided again at query time — so a
signal is the right place: every action, the admin and data loading are covered without each
remembering to call it. Saves that touch only fields the document does not read are skipped.
``search_reindex`` rebuilds everything (after bulk loads that bypass signals).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models.signals import post_delete, post_save

from community.search import text

if TYPE_CHECKING:
    from community.search.registry import Document, Provider

BATCH = 500


def _row(provider: Provider, object_id: int, doc: Document) -> Any:
    from community.search.models import SearchEntry

    title = text.plain(doc.title)[:300]
    body = text.plain(doc.body)
    extra = text.plain(doc.extra)
    return SearchEntry(
        kind=provider.kind,
        object_id=object_id,
        title=title,
        body=body,
        extra=extra,
        title_plain=" ".join(text.words(title))[:300],
        terms=text.terms(f"{title} {body} {extra}"),
        url=doc.url[:300],
        agency_id=doc.agency_id,
        status=doc.status[:40],
        scope=doc.scope[:60],
        updated_at=doc.updated_at,
    )


def index(provider: Provider, ids: Iterable[int]) -> int:
    """(Re-)index these objects of one kind; ids no longer found lose their entry."""
    from community.search.models import SearchEntry

    wanted = {int(pk) for pk in ids if pk is not None}
    if not wanted:
        return 0
    objects = list(provider.queryset().filter(pk__in=wanted))
    rows = [_row(provider, obj.pk, provider.document(obj)) for obj in objects]
    if rows:
        SearchEntry.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=[
                "title",
                "body",
                "extra",
                "title_plain",
                "terms",
                "url",
                "agency",
                "status",
                "scope",
                "updated_at",
            ],
        )
    gone = wanted - {obj.pk for obj in objects}
    if gone:
        SearchEntry.objects.filter(kind=provider.kind, object_id__in=gone).delete()
    return len(rows)


def reindex(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the entries of these kinds (all by default), in batches; returns counts."""
    from community.search.models import SearchEntry
    from community.search.registry import providers

    counts = {}
    for kind, provider in providers().items():
        if kinds is not None and kind not in kinds:
            continue
        SearchEntry.objects.filter(kind=kind).delete()
        ids = list(provider.queryset().order_by("pk").values_list("pk", flat=True))
        total = 0
        for start in range(0, len(ids), BATCH):
            total += index(provider, ids[start : start + BATCH])
        counts[kind] = total
    return counts


def forget(kind: str, ids: Iterable[int]) -> None:
    from community.search.models import SearchEntry

    SearchEntry.objects.filter(kind=kind, object_id__in=list(ids)).delete()


def _saved(provider: Provider, fields: frozenset[str] | None, own: bool) -> Any:
    def handler(
        sender: Any, instance: Any, update_fields: Any = None, raw: bool = False, **kw: Any
    ) -> None:
        if raw:
            return
        if update_fields is not None and fields is not None and not (set(update_fields) & fields):
            return
        index(provider, [instance.pk] if own else _ids(provider, sender, instance))

    return handler


def _ids(provider: Provider, sender: Any, instance: Any) -> list[int]:
    for w in provider.watches:
        if w.model is sender:
            return [pk for pk in w.ids(instance) if pk is not None]
    return []


def _deleted(provider: Provider, own: bool) -> Any:
    def handler(sender: Any, instance: Any, **kw: Any) -> None:
        if own:
            forget(provider.kind, [instance.pk])
        else:
            index(provider, _ids(provider, sender, instance))

    return handler


def watch(provider: Provider) -> None:
    uid = f"search-{provider.kind}"
    post_save.connect(
        _saved(provider, provider.fields, own=True),
        sender=provider.model,
        dispatch_uid=uid,
        weak=False,
    )
    post_delete.connect(
        _deleted(provider, own=True), sender=provider.model, dispatch_uid=uid, weak=False
    )
    for w in provider.watches:
        wuid = f"{uid}-{w.model._meta.label_lower}"
        post_save.connect(
            _saved(provider, w.fields, own=False), sender=w.model, dispatch_uid=wuid, weak=False
        )
        post_delete.connect(
            _deleted(provider, own=False), sender=w.model, dispatch_uid=wuid, weak=False
        )
