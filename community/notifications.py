"""Notification categories: each app declares the kinds of notification it sends.

A category has a label (shown on the preferences page) and whether email is on by default.
Apps register theirs in ``AppConfig.ready()``::

    from community.notifications import register_category
    register_category("idea.comment", _("Comments on your ideas"), email_default=True)

:func:`community.services.notify` accepts any category; one that was never registered is
shown in-app and emailed by default under a generic label, so a forgotten registration never
silences a notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Category:
    key: str
    label: Any
    email_default: bool = True


_categories: dict[str, Category] = {}


def register_category(key: str, label: Any, *, email_default: bool = True) -> Category:
    category = Category(key, label, email_default)
    _categories[key] = category
    return category


def category(key: str) -> Category:
    return _categories.get(key) or Category(key, _("Other updates"), True)


def categories() -> list[Category]:
    return list(_categories.values())


ACCOUNT = register_category("account", _("Your account and privacy"), email_default=True).key
FOLLOWING = register_category(
    "following", _("Updates on things you follow"), email_default=False
).key
