"""Who may do what in the exchange. Roles are asked of :mod:`community.permissions`.

An exchange has two *sides* (the post's owner and the responder). A side is a persona, and
may be an intermediary organisation acting for someone: then every member of that
organisation may read and write for the side. Exchange moderation is platform-wide (the
exchange belongs to no agency): any moderator may act on exchange content, through the one
moderation queue (``community.moderation``).

Permission names (objects in brackets): ``exchange.act_for_organisation`` (organisation),
``exchange.post_offer`` (none: may post offers and requests at all), ``exchange.manage_post``
(post: edit, close, read replies), ``exchange.report_post`` (post: report it, block its
author), ``exchange.read_exchange`` (exchange: one of its sides),
``exchange.moderate_exchange`` (none), ``exchange.adjust_credits`` (none),
``exchange.read_account`` (account). ``can_post_as`` takes three arguments (persona and
organisation), so it is a plain function of two predicates rather than a permission.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from community.exchange.models import Account, Exchange, Post, Side
from community.models import Organisation, Persona, Role
from community.moderation.selectors import active_suspension
from community.permissions import can_act_as, can_moderate, ensure_may_contribute, has_role
from community.types import AnyUser


@rules.predicate
def is_member_of(user: AnyUser, organisation: Organisation | int | None) -> bool:
    """Any membership (any role) of ``organisation``."""
    if organisation is None:
        return False
    return any(has_role(user, role, organisation) for role in Role.values)


@rules.predicate
def can_act_for(user: AnyUser, organisation: Organisation) -> bool:
    """May ``user`` post or respond for ``organisation`` on someone's behalf?"""
    return (
        organisation.kind == Organisation.Kind.INTERMEDIARY
        and organisation.is_active
        and is_member_of(user, organisation)
    )


@rules.predicate
def is_suspended(user: AnyUser) -> bool:
    """Suspended or banned by a moderator (platform-wide), or the account is deactivated."""
    if not getattr(user, "is_authenticated", False):
        return False
    return not user.is_active or active_suspension(user) is not None


def ensure_may_post(user: AnyUser) -> None:
    """PermissionDenied saying why ``user`` may not write in the exchange now: not signed in,
    the account is closed, or a moderator suspended or banned it (with the end date).

    Every exchange action asks this first; :func:`can_post` is the same rule as a yes/no.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to use the exchange."))
    if not user.is_active:
        raise PermissionDenied(_("This account is closed."))
    ensure_may_contribute(user)


@rules.predicate
def can_post(user: AnyUser) -> bool:
    try:
        ensure_may_post(user)
    except PermissionDenied:
        return False
    return True


def can_post_as(user: AnyUser, persona: Persona, organisation: Organisation | None = None) -> bool:
    return can_act_as(user, persona) and (organisation is None or can_act_for(user, organisation))


@rules.predicate
def owns_post(user: AnyUser, post: Post) -> bool:
    """The post's persona is the user's, or the user is in the intermediary that posted it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return post.persona.account_id == user.pk or (
        post.organisation_id is not None and is_member_of(user, post.organisation_id)
    )


@rules.predicate
def can_report_post(user: AnyUser, post: Post) -> bool:
    """Anyone signed in may report (or block the author of) someone else's post."""
    return bool(getattr(user, "is_authenticated", False)) and not owns_post(user, post)


def side_of(user: AnyUser, exchange: Exchange) -> str | None:
    """Which side of ``exchange`` the user speaks for, or None for everyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if owns_post(user, exchange.post):
        return Side.OWNER
    if exchange.responder.account_id == user.pk or (
        exchange.responder_organisation_id is not None
        and is_member_of(user, exchange.responder_organisation_id)
    ):
        return Side.RESPONDER
    return None


@rules.predicate
def can_view_exchange(user: AnyUser, exchange: Exchange) -> bool:
    return side_of(user, exchange) is not None


@rules.predicate
def can_moderate_exchange(user: AnyUser) -> bool:
    return can_moderate(user, None)


@rules.predicate
def can_adjust_credits(user: AnyUser) -> bool:
    """Staff with the ledger permission (or superusers) may adjust balances, with a reason."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or (user.is_staff and user.has_perm("exchange.add_transfer")))
    )


@rules.predicate
def can_view_account(user: AnyUser, account: Account) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if account.kind == Account.Kind.PERSON and account.user_id == user.pk:
        return True
    if account.kind == Account.Kind.ORGANISATION and is_member_of(user, account.organisation_id):
        return True
    return can_adjust_credits(user)


rules.add_perm("exchange.act_for_organisation", can_act_for)
rules.add_perm("exchange.post_offer", can_post)
rules.add_perm("exchange.manage_post", owns_post)
rules.add_perm("exchange.report_post", can_report_post)
rules.add_perm("exchange.read_exchange", can_view_exchange)
rules.add_perm("exchange.moderate_exchange", can_moderate_exchange)
rules.add_perm("exchange.adjust_credits", can_adjust_credits)
rules.add_perm("exchange.read_account", can_view_account)
