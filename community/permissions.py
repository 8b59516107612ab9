"""The one place that decides who may do what.

Every decision is a named predicate (the ``rules`` package): a small pure function of
``(user, object)`` that views, services, API endpoints, websocket consumers and templates all
ask; nothing else compares roles. Each one is also registered as a permission named
``<app label>.<verb>_<noun>`` (``community.moderate_organisation``), so a template asks
``{% may "community.moderate_organisation" user organisation as ok %}`` and a newcomer finds
the rule by grepping its name. Staff roles are scoped to an agency: a moderator of Transport
moderates Transport's content only. Superusers may do everything a role allows.

A decision that owes the user a reason is built with :func:`decision` from a list of
(predicate, reason) checks: its ``why_not_*`` function returns the first failing check's
reason and its predicate is "no reason", so the yes/no and the message cannot disagree.

Roles are also mirrored as Django groups (:mod:`community.roles`) for the admin screens, but
every scoped decision reads :class:`community.models.Membership` through :func:`has_role`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.utils.functional import Promise
from rules.predicates import Predicate

from community.models import Organisation, Persona, Role
from community.types import AnyUser

STAFF_ROLES = frozenset(
    {Role.COUNTER_STAFF, Role.MODERATOR, Role.SERVICE_DESIGNER, Role.EDITOR, Role.AGENCY_ADMIN}
)

#: A check's reason: a (lazy) message, or a function of (user, obj) for one with numbers in it.
Reason = str | Promise | Callable[[Any, Any], str]


def decision(
    name: str, *checks: tuple[Predicate, Reason]
) -> tuple[Predicate, Callable[[Any, Any], str | None]]:
    """A predicate and its ``why_not`` function, made from one ordered list of checks.

    ``why_not(user, obj)`` is the reason of the first check that fails (None when all pass);
    the predicate is true exactly when ``why_not`` is None. Checks are predicates of
    ``(user, obj)`` or of ``(user)`` alone (``rules`` passes what each one takes).
    """

    def why_not(user: AnyUser, obj: Any = None) -> str | None:
        for check, reason in checks:
            if not check.test(user, obj):
                if isinstance(reason, str | Promise):
                    return str(reason)
                return reason(user, obj)
        return None

    why_not.__name__ = why_not.__qualname__ = f"why_not_{name}"

    def allowed(user: AnyUser, obj: Any = None) -> bool:
        return why_not(user, obj) is None

    return rules.predicate(allowed, name=name), why_not


def _roles(user: AnyUser) -> dict[int, set[str]]:
    """organisation id → roles held, cached on the user object for the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = {}
        for org_id, role in user.memberships.values_list("organisation_id", "role"):
            cached.setdefault(org_id, set()).add(role)
        user._role_cache = cached
    return cached


def has_role(user: AnyUser, role: str, organisation: Organisation | int | None = None) -> bool:
    """Does ``user`` hold ``role`` (in ``organisation``, or in any organisation if None)?

    Agency admins hold every staff role within their agency. The building block of the
    predicates below (three arguments, so not a predicate itself).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = _roles(user)
    wanted = {role, Role.AGENCY_ADMIN} if role in STAFF_ROLES else {role}
    if organisation is None:
        return any(held & wanted for held in roles.values())
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return bool(roles.get(org_id, set()) & wanted)


@rules.predicate
def is_staff_of(user: AnyUser, organisation: Organisation | int) -> bool:
    """Holds any staff role in ``organisation``."""
    return any(has_role(user, role, organisation) for role in STAFF_ROLES)


@rules.predicate
def is_public_servant(user: AnyUser) -> bool:
    """Holds a staff role in some organisation (the workspace menu)."""
    return any(has_role(user, role) for role in STAFF_ROLES)


@rules.predicate
def can_moderate(user: AnyUser, organisation: Organisation | int | None) -> bool:
    """Moderate ``organisation``'s content (any organisation's if None)."""
    return has_role(user, Role.MODERATOR, organisation)


@rules.predicate
def can_design(user: AnyUser, organisation: Organisation | int | None) -> bool:
    """Run co-design sessions and shape the backlog of ``organisation``."""
    return has_role(user, Role.SERVICE_DESIGNER, organisation)


@rules.predicate
def can_edit_pages(user: AnyUser, organisation: Organisation | int | None = None) -> bool:
    """Edit service pages in the CMS (editors, agency admins)."""
    return has_role(user, Role.EDITOR, organisation)


@rules.predicate
def can_manage_members(user: AnyUser, organisation: Organisation | int) -> bool:
    """Grant and revoke roles within ``organisation`` (its agency admins, superusers)."""
    return has_role(user, Role.AGENCY_ADMIN, organisation)


@rules.predicate
def can_reveal_account(user: AnyUser, organisation: Organisation | int | None) -> bool:
    """See which account is behind a persona, while moderating ``organisation``'s content.

    Every such look is recorded (``community.actions.privacy.persona_account_reveal``).
    """
    return can_moderate(user, organisation)


@rules.predicate
def can_contribute(user: AnyUser) -> bool:
    """Signed in, active and with at least one usable persona."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def can_act_as(user: AnyUser, persona: Persona) -> bool:
    """A persona speaks only for its own account."""
    return bool(
        getattr(user, "is_authenticated", False)
        and persona.account_id == user.pk
        and not persona.is_anonymised
    )


@rules.predicate
def can_report_persona(user: AnyUser, persona: Persona) -> bool:
    """Anyone signed in may report another account's persona (its name or profile)."""
    return bool(getattr(user, "is_authenticated", False)) and persona.account_id != user.pk


@rules.predicate
def can_speak_for(user: AnyUser, organisation: Organisation) -> bool:
    """A persona may name an organisation only if its account belongs to it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return organisation.pk in _roles(user)


@rules.predicate
def can_assist(user: AnyUser, organisation: Organisation) -> bool:
    """Take part on a citizen's behalf, with their consent, for ``organisation``.

    Service counter staff (and admins) of an agency, or any member (volunteer) of an
    intermediary organisation. Superusers may too.
    """
    if organisation is None or not organisation.is_active:
        return False
    if organisation.kind == Organisation.Kind.AGENCY:
        return has_role(user, Role.COUNTER_STAFF, organisation)
    return has_role(user, Role.MEMBER, organisation) or is_staff_of(user, organisation)


def assisting_organisations(user: AnyUser) -> list[Organisation]:
    """The organisations ``user`` may assist citizens for (for the helper's form)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return list(Organisation.objects.filter(is_active=True))
    ids = list(_roles(user))
    return [
        o for o in Organisation.objects.filter(pk__in=ids, is_active=True) if can_assist(user, o)
    ]


def speaks_for_agency(account: AnyUser | None, organisation: Organisation | None) -> bool:
    """A persona naming ``organisation`` speaks for it officially: an agency, and its account
    on the agency's staff. Such personas may use staff words and the agency's name."""
    return bool(
        organisation is not None
        and account is not None
        and organisation.kind == Organisation.Kind.AGENCY
        and is_staff_of(account, organisation)
    )


def ensure_may_contribute(user: AnyUser) -> None:
    """PermissionDenied with the end date when the account is suspended or banned.

    Every app's contributing actions call this (moderation screening does for all content);
    a page may call it first to explain before showing a form.
    """
    # The one decision here that reads the moderation sub-app's data; imported where used so
    # the rest of this module depends on community.models alone.
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from community.formats import datetime_text
    from community.moderation.selectors import active_suspension

    suspension = active_suspension(user)
    if suspension is None:
        return
    if suspension.ends_at is None:  # a ban (Suspension.is_ban)
        raise PermissionDenied(_("Your account is banned from contributing."))
    raise PermissionDenied(
        _("Your account is suspended from contributing until %(date)s.")
        % {"date": datetime_text(suspension.ends_at)}
    )


rules.add_perm("community.moderate_organisation", can_moderate)
rules.add_perm("community.design_for_organisation", can_design)
rules.add_perm("community.edit_pages", can_edit_pages)
rules.add_perm("community.manage_members", can_manage_members)
rules.add_perm("community.reveal_account", can_reveal_account)
rules.add_perm("community.contribute_content", can_contribute)
rules.add_perm("community.act_as_persona", can_act_as)
rules.add_perm("community.report_persona", can_report_persona)
rules.add_perm("community.speak_for_organisation", can_speak_for)
rules.add_perm("community.assist_for_organisation", can_assist)
rules.add_perm("community.work_for_organisation", is_staff_of)
rules.add_perm("community.use_workspace", is_public_servant)
