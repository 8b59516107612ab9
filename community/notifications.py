"""Notification categories: each app declares the kinds of notification it sends.

A category has a label (shown on the preferences page) and whether email is on by default.
Apps register theirs in ``AppConfig.ready()``::

    from community.notifications import register_category
    register_category("idea.comment", _("Comments on your ideas"), email_default=True)

:func:`community.actions.notifications.notify` accepts any category; one that was never
registered is shown in-app and emailed by default under a generic label, so a forgotten
registration never silences a notification.

``text=True`` lets a category go by text message too, to people who verified a mobile
number and asked for texts (:mod:`community.sms`). Delivery channels besides in-app and
email register with :func:`register_channel`; ``notify`` hands each one the new
notification ids after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Category:
    key: str
    label: Any
    email_default: bool = True
    text: bool = False


_categories: dict[str, Category] = {}
_channels: dict[str, Callable[[list[int]], None]] = {}


def register_category(
    key: str, label: Any, *, email_default: bool = True, text: bool = False
) -> Category:
    category = Category(key, label, email_default, text)
    _categories[key] = category
    return category


def category(key: str) -> Category:
    return _categories.get(key) or Category(key, _("Other updates"), True)


def categories() -> list[Category]:
    return list(_categories.values())


def register_channel(key: str, deliver: Callable[[list[int]], None]) -> None:
    """``deliver(notification_ids)`` runs after the notifying transaction commits; it must
    only enqueue background work and never raise."""
    _channels[key] = deliver


def channels() -> list[Callable[[list[int]], None]]:
    return list(_channels.values())


ACCOUNT = register_category("account", _("Your account and privacy"), email_default=True).key
FOLLOWING = register_category(
    "following", _("Updates on things you follow"), email_default=False
).key
