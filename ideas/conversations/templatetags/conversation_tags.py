"""``{% challenge_conversations challenge %}``: the conversations section of a board page."""

from __future__ import annotations

from django import template

from ideas.conversations import permissions, selectors

register = template.Library()


@register.inclusion_tag("conversations/_challenge_section.html", takes_context=True)
def challenge_conversations(context, challenge) -> dict:
    return {
        "challenge": challenge,
        "conversations": [
            c
            for c in selectors.conversations_on_challenge(
                challenge.pk, context.get("conversations_listing")
            )
            if c.has_started
        ],
        # The predicate itself, not {% has_perm %}: Django's model backend would ask the
        # database for the account's model permissions on every (cached) board view.
        "may_start": permissions.can_create_conversation(context.get("user"), challenge.agency_id),
        "request": context.get("request"),
    }
