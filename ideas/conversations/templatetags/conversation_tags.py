"""``{% challenge_conversations challenge %}``: the conversations section of a board page."""

from __future__ import annotations

from django import template

from ideas.conversations import selectors

register = template.Library()


@register.inclusion_tag("conversations/_challenge_section.html", takes_context=True)
def challenge_conversations(context, challenge) -> dict:
    return {
        "challenge": challenge,
        "conversations": [
            c for c in selectors.conversations_on_challenge(challenge.pk) if c.has_started
        ],
        "user": context.get("user"),
        "request": context.get("request"),
    }
