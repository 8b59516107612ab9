from decimal import Decimal

from django import template

from community.exchange.selectors import format_hours

register = template.Library()


@register.filter
def hours(value) -> str:
    """Decimal hours without trailing zeros: 1.50 → "1.5", -2.00 → "-2"."""
    if value is None or value == "":
        return ""
    return format_hours(Decimal(str(value)))
