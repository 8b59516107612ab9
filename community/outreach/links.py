"""Signed links in outreach messages: one-click unsubscribe and the tracked click.

Unsubscribe links never expire (RFC 8058 expects them to keep working) and name one
account and one category; changing either breaks the signature. A click link names the
delivery (by its random token) and the address it leads to, so it cannot be turned into an
open redirect.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from community.outreach.calendar import absolute

UNSUBSCRIBE_SALT = "outreach.unsubscribe"
CLICK_SALT = "outreach.click"


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    category: str


def unsubscribe_token(user_id: int, category: str) -> str:
    return signing.dumps({"u": user_id, "c": category}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user_id: int, category: str) -> str:
    return absolute(reverse("outreach:unsubscribe", args=[unsubscribe_token(user_id, category)]))


def read_unsubscribe(token: str) -> UnsubscribeRequest | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return UnsubscribeRequest(int(data["u"]), str(data["c"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def click_url(delivery_token: str, target: str) -> str:
    signed = signing.dumps({"d": delivery_token, "u": target}, salt=CLICK_SALT, compress=True)
    return absolute(reverse("outreach:click", args=[signed]))


def read_click(signed: str) -> tuple[str, str] | None:
    try:
        data = signing.loads(signed, salt=CLICK_SALT)
        return str(data["d"]), str(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def open_pixel_url(delivery_token: str) -> str:
    return absolute(reverse("outreach:opened", args=[delivery_token]))
