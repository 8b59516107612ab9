"""Checks the exchange's actions share: who is acting, as which persona, for which side of
the conversation, and the rules for text that others read.

The decisions themselves live in :mod:`community.exchange.permissions`; these turn them into
the message a person can act on.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from community.exchange import permissions, selectors
from community.exchange.models import Exchange, Side
from community.models import Organisation, Persona, User
from community.selectors import primary_persona
from community.text import plain_text

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?:\+?\d[\s().-]?){9,}")


def contains_contact_details(text: str) -> bool:
    """An email address or phone number in text others read (posts, "on behalf of")."""
    plain = plain_text(text)
    return bool(_EMAIL.search(plain) or _PHONE.search(plain))


def clean_behalf(on_behalf_of: str, organisation: Organisation | None, field: str) -> str:
    """Who an intermediary acts for, as plain text: short, and no contact details."""
    behalf = " ".join(plain_text(on_behalf_of or "").split())
    if behalf and organisation is None:
        raise ValidationError({field: _("Only an intermediary can post on someone else's behalf.")})
    if len(behalf) > 80:
        raise ValidationError({field: _("Keep this under 80 characters, e.g. “a neighbour”.")})
    if behalf and contains_contact_details(behalf):
        raise ValidationError(
            {field: _("Do not put contact details here; a first name or “a neighbour” is enough.")}
        )
    return behalf


def check_persona(user: User, persona: Persona, organisation: Organisation | None) -> None:
    """PermissionDenied unless ``user`` may act as ``persona`` (and for ``organisation``)."""
    if not permissions.can_post_as(user, persona):
        raise PermissionDenied(_("You can only act as one of your own personas."))
    if organisation is not None and not permissions.can_act_for(user, organisation):
        raise PermissionDenied(
            _("Only members of an intermediary organisation can act on its behalf.")
        )


def require_side(user: User, exchange: Exchange) -> str:
    """The side ``user`` speaks for in ``exchange``; PermissionDenied for anyone else."""
    side = permissions.side_of(user, exchange)
    if side is None:
        raise PermissionDenied(_("Only the people in this exchange can do that."))
    return side


def other_side(side: str) -> str:
    """The side that hears about what ``side`` did."""
    return Side.RESPONDER if side == Side.OWNER else Side.OWNER


def check_not_blocked(user: User, exchange: Exchange, side: str) -> None:
    """PermissionDenied when either person blocked the other (saying which, to the writer)."""
    other = selectors.side_persona(exchange, other_side(side))
    state = selectors.is_blocked_between(user.pk, other.account_id)
    if state == "blocked_you":
        raise PermissionDenied(_("This person is not accepting messages from you."))
    if state == "blocked_by_you":
        raise PermissionDenied(_("You blocked this person. Unblock them to write to them again."))


def acting_persona(user: User, exchange: Exchange, side: str) -> Persona:
    """The persona shown for ``user`` writing for ``side``.

    The side's own persona if it is the user's; otherwise (a fellow member of the
    intermediary) the user's primary persona.
    """
    persona = selectors.side_persona(exchange, side)
    if persona.account_id == user.pk and not persona.is_anonymised:
        return persona
    own = primary_persona(user)
    if own is None:
        raise PermissionDenied(_("Create a persona before writing in the exchange."))
    return own


def lock_exchange(exchange: Exchange) -> Exchange:
    """Re-read ``exchange`` under a row lock (serialises confirmations on PostgreSQL)."""
    Exchange.objects.select_for_update().filter(pk=exchange.pk).values_list("pk").get()
    return selectors.exchange_for_display(exchange.pk)
