"""Create and close conversations (the agency's service designers and admins)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation, User
from community.text import clean_title, looks_like_html, plain_text
from ideas.conversations import permissions, selectors
from ideas.conversations.models import QUESTION_MAX, TITLE_MAX, Conversation
from ideas.models import Challenge


def clean_plain(value: str, field: str, limit: int, empty: str) -> str:
    """One line or paragraph of plain text: whitespace collapsed, no HTML, within ``limit``."""
    raw = " ".join((value or "").split())
    if not raw:
        raise ValidationError({field: empty})
    if looks_like_html(raw):
        raise ValidationError({field: _("Use plain text: remove the HTML.")})
    text = plain_text(raw)
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(n)d characters (it has %(m)d).")
                % {"n": limit, "m": len(text)}
            }
        )
    return text


def _clean_code(code: str, exclude: int | None = None) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    if not re.fullmatch(r"[A-Za-z0-9]{2,12}", code):
        raise ValidationError({"sms_code": _("Use 2 to 12 letters or numbers, with no spaces.")})
    others = Conversation.objects.annotate(code=Upper("sms_code")).filter(code=code.upper())
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = others.exists()
    if taken:
        raise ValidationError({"sms_code": _("Another conversation already uses that code.")})
    return code.upper()


def conversation_create(
    *,
    user: User,
    agency: Organisation,
    title: str,
    question: str,
    challenge: Challenge | None = None,
    allow_statements: bool = True,
    sms_code: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    statements: Sequence[str] = (),
) -> Conversation:
    """Start a conversation for ``agency`` (optionally on one of its challenges).

    Opens now unless ``opens_at`` says otherwise; ``closes_at`` (optional) must be later.
    ``statements`` are the agency's starting statements (numbered 1, 2, …), added in the
    same transaction as the agency's primary persona of ``user``: one bad statement and
    nothing is created.
    """
    if agency.kind != Organisation.Kind.AGENCY:
        raise ValidationError({"agency": _("Conversations belong to an agency.")})
    if not permissions.can_create_conversation(user, agency):
        raise PermissionDenied(_("Only the agency's service designers and admins can do that."))
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, object] = {}
    checks = {
        "title": lambda: clean_title(title, max_length=TITLE_MAX),
        "question": lambda: clean_plain(
            question, "question", QUESTION_MAX, _("Say what the conversation is about.")
        ),
        "sms_code": lambda: _clean_code(sms_code),
    }
    for key, check in checks.items():
        try:
            cleaned[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if challenge is not None and challenge.agency_id != agency.pk:
        errors["challenge"] = [_("That challenge belongs to another agency.")]
    opens_at = opens_at or timezone.now()
    if closes_at is not None and closes_at <= opens_at:
        errors["closes_at"] = [_("The conversation must close after it opens.")]
    if errors:
        raise ValidationError(errors)
    from ideas.conversations.actions.statements import statement_add

    with transaction.atomic():
        conversation = Conversation.objects.create(
            agency=agency,
            challenge=challenge,
            allow_statements=bool(allow_statements),
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=user,
            **cleaned,
        )
        for text in statements:
            try:
                statement_add(user=user, conversation=conversation, text=text)
            except ValidationError as exc:
                raise ValidationError(
                    {"statements": [f"“{text[:60]}”: {m}" for m in exc.messages]}
                ) from exc
        selectors.listing_changed(conversation.challenge_id)
    return conversation


def conversation_close(*, user: User, conversation: Conversation) -> Conversation:
    """Close a conversation now: no more votes or statements; the report stays."""
    if not permissions.can_manage_conversation(user, conversation):
        raise PermissionDenied(_("Only the agency's service designers and admins can do that."))
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        now = timezone.now()
        if locked.closes_at is not None and locked.closes_at <= now:
            raise ValidationError(_("This conversation is already closed."))
        locked.opens_at = min(locked.opens_at, now)
        locked.closes_at = now
        locked.save(update_fields=["opens_at", "closes_at"])
        selectors.listing_changed(locked.challenge_id)
    conversation.opens_at, conversation.closes_at = locked.opens_at, locked.closes_at
    return conversation
