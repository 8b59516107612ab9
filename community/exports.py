"""What community itself holds about a person, registered as privacy export sections."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from community import selectors
from community.models import AssistedContribution
from community.privacy import register_export


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_personas(user) -> list[dict[str, Any]]:
    return [
        {
            "persona": p.slug,
            "display_name": p.display_name,
            "description": p.description,
            "organisation": p.organisation.name if p.organisation else None,
            "is_primary": p.is_primary,
            "created_at": _iso(p.created_at),
        }
        for p in selectors.personas_of(user)
    ]


def export_email_addresses(user) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {"email": e.email, "verified": e.verified, "primary": e.primary}
        for e in EmailAddress.objects.filter(user=user)
    ]


def export_connections(user) -> list[dict[str, Any]]:
    from allauth.socialaccount.models import SocialAccount

    return [
        {"provider": a.provider, "connected_at": _iso(a.date_joined)}
        for a in SocialAccount.objects.filter(user=user)
    ]


def export_security(user) -> list[dict[str, Any]]:
    from allauth.mfa.models import Authenticator

    # The kinds of second factor only: secrets and codes are never exported.
    return [
        {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
        for a in Authenticator.objects.filter(user=user)
    ]


def export_memberships(user) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "role": m.get_role_display(),
            "since": _iso(m.created_at),
        }
        for m in user.memberships.select_related("organisation")
    ]


def export_consents(user) -> list[dict[str, Any]]:
    return [
        {
            "purpose": c.purpose,
            "label": c.label,
            "given": c.granted,
            "given_at": _iso(c.granted_at),
            "withdrawn_at": _iso(c.withdrawn_at),
        }
        for c in selectors.consents_of(user)
    ]


def export_notifications(user) -> list[dict[str, Any]]:
    return [
        {
            "category": n.category,
            "title": n.title,
            "body": n.body,
            "url": n.url,
            "created_at": _iso(n.created_at),
            "read_at": _iso(n.read_at),
            "emailed_at": _iso(n.emailed_at),
        }
        for n in selectors.notifications_for(user)
    ]


def export_notification_preferences(user) -> list[dict[str, Any]]:
    return [{"category": p.category, "email": p.email} for p in user.notification_preferences.all()]


def export_follows(user) -> list[dict[str, Any]]:
    return [
        {
            "kind": item.label,
            "title": str(item.target),
            "url": item.target.get_absolute_url()
            if hasattr(item.target, "get_absolute_url")
            else "",
            "since": _iso(item.follow.created_at),
        }
        for item in selectors.following_of(user)
    ]


def export_access_log(user) -> list[dict[str, Any]]:
    return [
        {
            "role": a.get_role_display(),
            "organisation": a.organisation.name if a.organisation else None,
            "reason": a.reason,
            "at": _iso(a.created_at),
        }
        for a in selectors.access_log_of(user)
    ]


def export_assisted(user) -> list[dict]:
    return [
        {
            "what": a.action,
            "organisation": a.organisation.name,
            "consent": a.consent_method,
            "agreed_to": a.consent_text,
            "created_at": a.created_at.isoformat(),
            "persona": a.persona.slug if a.persona else None,
        }
        for a in AssistedContribution.objects.filter(citizen=user).select_related(
            "organisation", "persona"
        )
    ]


def register() -> None:
    register_export("personas", _("Your personas"), export_personas)
    register_export("email_addresses", _("Email addresses"), export_email_addresses)
    register_export("connections", _("Sign-in services connected"), export_connections)
    register_export("security", _("Two-factor authentication"), export_security)
    register_export("memberships", _("Organisations and roles"), export_memberships)
    register_export("consents", _("Consents"), export_consents)
    register_export("notifications", _("Notifications"), export_notifications)
    register_export(
        "notification_preferences", _("Notification preferences"), export_notification_preferences
    )
    register_export("follows", _("Things you follow"), export_follows)
    register_export("access_log", _("Staff access to your account"), export_access_log)
    register_export("assisted", _("Times someone helped you take part"), export_assisted)
