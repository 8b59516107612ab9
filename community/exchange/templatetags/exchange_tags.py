from decimal import Decimal

from django import template

from community.exchange.selectors import format_hours
from community.text import sanitize_html

register = template.Library()


@register.filter
def hours(value) -> str:
    """Decimal hours without trailing zeros: 1.50 → "1.5", -2.00 → "-2"."""
    if value is None or value == "":
        return ""
    return format_hours(Decimal(str(value)))


@register.filter
def rich(value: str):
    """User text as safe HTML, sanitised at render time (never trust what is stored)."""
    return sanitize_html(value or "")
