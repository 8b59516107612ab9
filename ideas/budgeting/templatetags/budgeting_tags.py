"""``{{ amount|money }}``: an amount in whole currency units as the budgeting pages write it."""

from __future__ import annotations

from django import template

from ideas.budgeting import explain

register = template.Library()


@register.filter(name="money")
def money(amount: int | float | None) -> str:
    return explain.money(amount)
