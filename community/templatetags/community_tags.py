"""Template tags other apps use to show people: persona links, follow buttons, the badge."""

from __future__ import annotations

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html
from django.utils.translation import gettext as _

from community import selectors
from community.follows import is_followable
from community.formats import js_pattern
from community.timefmt import ago

register = template.Library()


@register.simple_tag
def persona_link(persona) -> str:
    """The persona's public name, linked to its page; "Former participant" is not a link."""
    if persona is None or persona.is_anonymised:
        return format_html(
            '<span class="persona persona--former">{}</span>', _("Former participant")
        )
    return format_html(
        '<a class="persona" href="{}">{}</a>', persona.get_absolute_url(), persona.display_name
    )


@register.inclusion_tag("community/_follow_button.html", takes_context=True)
def follow_button(context, target) -> dict:
    """A follow/unfollow form for any registered followable object (works without JS)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    ct = ContentType.objects.get_for_model(target)
    return {
        "request": request,
        "show": is_followable(target),
        "signed_in": bool(user and user.is_authenticated),
        "following": selectors.is_following(user, target),
        "target_type": f"{ct.app_label}.{ct.model}",
        "target": target,
        "next": request.get_full_path() if request else "",
    }


@register.inclusion_tag("community/_account_nav.html", takes_context=True)
def account_nav(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "request": request,
        "user": user,
        "signed_in": signed_in,
        "unread": selectors.unread_count(user) if signed_in else 0,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter(name="ago")
def ago_filter(value) -> str:
    """``{{ when|ago }}``: humanize's ``naturaltime``, remembered while current
    (:mod:`community.timefmt`)."""
    return ago(value)


@register.simple_tag
def datetime_pattern() -> str:
    """The active language's date-and-time style with slots, for live cards (live.js)."""
    return js_pattern("DATETIME_FORMAT")


@register.simple_tag
def just_now() -> str:
    """What a card posted this moment says ("now", "ahora"): live cards show the server's
    words for their time, so a card drawn live reads like the same card after a reload."""
    from django.utils import timezone

    return ago(timezone.now())


@register.simple_tag(takes_context=True)
def provider_session_notice(context) -> str:
    """The sign-out page's warning when the provider's own session will stay (community.oidc)."""
    from community.oidc import provider_session_notice as notice

    request = context.get("request")
    return (notice(request) or "") if request is not None else ""
