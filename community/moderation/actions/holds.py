"""Screening: new and edited content is checked as it is written, and held for review when a
rule fires (the rules themselves: :mod:`community.moderation.screening`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from community.moderation import screening
from community.moderation.actions.cases import (
    EXCERPT_MAX,
    audit,
    case_for,
    reopen,
    reportable_entry,
)
from community.moderation.models import ActionKind, Submission
from community.permissions import ensure_may_contribute
from community.text import plain_text


@dataclass
class ScreenResult:
    held: bool
    reasons: list[str]

    @property
    def message(self) -> str:
        return _("Held for review before it appears: %(reasons)s") % {
            "reasons": " ".join(self.reasons)
        }


def content_screen(
    *,
    user: User | None,
    obj: Model,
    text: str,
    edited: bool = False,
    channel: str = "web",
) -> ScreenResult:
    """Run the screening rules on new or edited content; hold it if any rule fires.

    Call inside the creating/editing transaction, after the object is saved. Raises
    PermissionDenied for suspended accounts (rolling the write back). When held, the case
    is pending and hidden, ``on_hide`` has run (the app hides it from public lists) and the
    caller must not publish its "created" event; it tells the author ``result.message``.
    ``channel`` ("web", "sms", "assisted") is how the content arrived; some rules depend on it.

    ``user=None`` screens a named guest without an account (co-design sessions): the rules
    treat it as a brand-new account; repeat counting is left to the app's own rate limits.
    """
    if user is not None:
        ensure_may_contribute(user)
    entry = reportable_entry(obj)
    now = timezone.now()
    since = now - timedelta(minutes=screening.conf("REPEAT_WINDOW_MINUTES"))
    flat = " ".join(plain_text(text).lower().split())
    digest = hashlib.sha256(flat.encode()).hexdigest()
    recent = {"posts": 0, "same": 0}
    if user is not None:
        recent = Submission.objects.filter(account=user, created_at__gte=since).aggregate(
            posts=Count("id"), same=Count("id", filter=Q(digest=digest))
        )
    ctx = screening.ScreenContext(
        text=text,
        account_age=now - user.date_joined if user is not None else timedelta(0),
        recent_posts=0 if edited else recent["posts"],
        recent_same_text=0 if edited else recent["same"],
        private=entry.private,
        channel=channel,
        earlier_posts=(
            Submission.objects.filter(account=user).count()
            if user is not None and channel in screening.conf("HOLD_FIRST_POST_CHANNELS")
            else 0
        ),
    )
    reasons = screening.screen(ctx)
    if not edited and user is not None:
        Submission.objects.create(account=user, digest=digest, created_at=now)
    if not reasons:
        return ScreenResult(False, [])
    case = case_for(obj, entry)
    reopen(case)
    case.held = True
    case.hold_reasons = reasons
    case.excerpt = plain_text(entry.text(obj))[:EXCERPT_MAX]
    was_hidden = case.is_hidden
    case.is_hidden = True
    case.save()
    audit(case=case, actor=None, action=ActionKind.HOLD, note=" ".join(reasons))
    if entry.on_hide and not was_hidden:
        entry.on_hide(obj, "")
    return ScreenResult(True, reasons)
