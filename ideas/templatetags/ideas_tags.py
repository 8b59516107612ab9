"""Filters for idea board templates."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from community.text import sanitize_html
from ideas import permissions
from ideas.events import excerpt as make_excerpt

register = template.Library()


@register.filter
def rich(text: str) -> SafeString:
    """User text with light formatting, through the one sanitiser."""
    return sanitize_html(text)


@register.filter
def excerpt(text: str, limit: int = 280) -> str:
    return make_excerpt(text, int(limit))


@register.filter
def editable_by(comment, user) -> bool:
    return permissions.can_edit_comment(user, comment)
