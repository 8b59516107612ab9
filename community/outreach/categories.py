"""The notification categories that are also consent to outreach email.

Each is a row on the person's email preferences page (``community.notifications``); the
one-click unsubscribe link in every outreach email turns exactly one of them off.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from community.notifications import register_category

CAMPAIGNS = register_category(
    "outreach.campaigns",
    _("News and campaigns from agencies whose challenges you follow"),
    email_default=False,
).key
DIGEST = register_category(
    "outreach.digest",
    _("A weekly digest of what changed on things you follow"),
    email_default=False,
).key
REMINDERS = register_category(
    "outreach.reminders",
    _("Reminders: sessions you joined are about to start, votes close tomorrow"),
    email_default=True,
).key

UNSUBSCRIBABLE = frozenset({CAMPAIGNS, DIGEST, REMINDERS})
