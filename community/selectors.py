"""Reads about people shared by pages, APIs and other apps.

Query counts stay constant as data grows: lists use select_related/prefetch_related, and
the generic follow list fetches each followed model once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from community import follows as follow_registry
from community import notifications as categories
from community.models import (
    AccountAccess,
    AssistedContribution,
    Consent,
    ConsentPurpose,
    Follow,
    Notification,
    Organisation,
    Persona,
    User,
)


def agencies() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)


def personas_of(user: User) -> QuerySet[Persona]:
    """The personas a signed-in account may act as, primary first."""
    return (
        user.personas.filter(is_anonymised=False)
        .select_related("organisation")
        .order_by("-is_primary", "display_name")
    )


def primary_persona(user: User) -> Persona | None:
    return personas_of(user).first()


def public_persona(slug: str) -> Persona | None:
    """A persona as anyone may see it; anonymised personas have no public page."""
    return (
        Persona.objects.select_related("organisation")
        .filter(slug=slug, is_anonymised=False)
        .first()
    )


def followers_of(target: Model) -> QuerySet[User]:
    ct = ContentType.objects.get_for_model(target)
    return User.objects.filter(
        follows__content_type=ct, follows__object_id=target.pk, is_active=True
    )


def follower_count(target: Model) -> int:
    return followers_of(target).count()


def is_following(user: User, target: Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    ct = ContentType.objects.get_for_model(target)
    return Follow.objects.filter(user=user, content_type=ct, object_id=target.pk).exists()


@dataclass(frozen=True)
class FollowedItem:
    follow: Follow
    target: Any
    label: str


def following_of(user: User) -> list[FollowedItem]:
    """What ``user`` follows, newest first; one query per followed model, not per row.

    Targets that vanished or are no longer followable (hidden, anonymised) are left out.
    """
    follows = list(user.follows.select_related("content_type").order_by("-created_at", "-id"))
    by_type: dict[int, list[int]] = defaultdict(list)
    for f in follows:
        by_type[f.content_type_id].append(f.object_id)
    content_types = {f.content_type_id: f.content_type for f in follows}
    objects: dict[tuple[int, int], Any] = {}
    for ct_id, ids in by_type.items():
        ct = content_types[ct_id]
        entry = follow_registry.followable(f"{ct.app_label}.{ct.model}")
        if entry is None:
            continue
        for obj in entry.model._default_manager.filter(pk__in=ids):
            objects[(ct_id, obj.pk)] = obj
    items = []
    for f in follows:
        target = objects.get((f.content_type_id, f.object_id))
        if target is None or not follow_registry.is_followable(target):
            continue
        label = target._meta.verbose_name
        items.append(FollowedItem(f, target, str(label).capitalize()))
    return items


def unread_count(user: User) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    label: str
    granted: bool
    granted_at: Any
    withdrawn_at: Any


def consents_of(user: User) -> list[ConsentState]:
    """Every consent purpose with the person's answer (never asked counts as not given)."""
    held = {c.purpose: c for c in Consent.objects.filter(user=user)}
    states = []
    for purpose in ConsentPurpose:
        c = held.get(purpose.value)
        states.append(
            ConsentState(
                purpose=purpose.value,
                label=str(purpose.label),
                granted=bool(c and c.granted),
                granted_at=c.granted_at if c else None,
                withdrawn_at=c.withdrawn_at if c else None,
            )
        )
    return states


def has_consent(user: User, purpose: str) -> bool:
    return Consent.objects.filter(user=user, purpose=purpose, granted=True).exists()


def consenting_users(purpose: str) -> QuerySet[User]:
    """Accounts that currently agree to ``purpose`` (e.g. insight statistics)."""
    return User.objects.filter(consents__purpose=purpose, consents__granted=True, is_active=True)


def access_log_of(user: User) -> QuerySet[AccountAccess]:
    """Staff looks at this account: role, agency and reason (never the staff member)."""
    return AccountAccess.objects.filter(account=user).select_related("organisation")


def email_categories_of(user: User) -> list[str]:
    """Registered categories this person gets by email (their choice, else the default)."""
    chosen = dict(user.notification_preferences.values_list("category", "email"))
    return [c.key for c in categories.categories() if chosen.get(c.key, c.email_default)]


def assisted_for(user: User) -> QuerySet[AssistedContribution]:
    """Help this person had taking part: which organisation, what, how they agreed, when."""
    return AssistedContribution.objects.filter(citizen=user).select_related(
        "organisation", "persona"
    )


def assisted_by(obj: Model) -> AssistedContribution | None:
    """The assistance record of one contribution (for its "Posted with help from" line)."""
    ct = ContentType.objects.get_for_model(obj)
    return (
        AssistedContribution.objects.filter(content_type=ct, object_id=obj.pk)
        .select_related("organisation")
        .first()
    )


def assisted_organisations(model: type[Model] | Model, ids: Iterable[int]) -> dict[int, str]:
    """object id → name of the organisation that helped, for many objects in one query."""
    ct = ContentType.objects.get_for_model(model)
    return dict(
        AssistedContribution.objects.filter(content_type=ct, object_id__in=list(ids)).values_list(
            "object_id", "organisation__name"
        )
    )
