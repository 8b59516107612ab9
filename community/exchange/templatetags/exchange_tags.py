from decimal import Decimal

from django import template

from community.formats import number_text
from community.text import sanitize_html

register = template.Library()


@register.filter
def hours(value) -> str:
    """Hours as a person reads them in their language, without trailing zeros: 1.50 →
    "1.5" ("1,5" in Spanish), -2.00 → "-2" (community.formats.number_text)."""
    if value is None or value == "":
        return ""
    return number_text(Decimal(str(value)))


@register.filter
def rich(value: str):
    """User text as safe HTML, sanitised at render time (never trust what is stored)."""
    return sanitize_html(value or "")
