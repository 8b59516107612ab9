"""Writes for personal API tokens.

A token reads ``cc_<prefix>_<secret>``: the prefix is stored in clear (to list and identify
tokens), the whole token only as a SHA-256 hash (the secret is 32 random bytes, so a fast hash
is enough; nothing can be guessed from it). The full token is returned once, by
:func:`token_create`, and cannot be shown again.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from community.models import User
from community.permissions import can_contribute
from community.text import plain_text

TOKEN_PREFIX = "cc_"  # noqa: S105 - a public marker, not a secret
MAX_ACTIVE_TOKENS = 10
NAME_MAX = 60


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns (token row, the full token to show once)."""
    if not can_contribute(user):
        raise PermissionDenied(_("Sign in with an active account to make API tokens."))
    name = plain_text(" ".join((name or "").split()))
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the app that uses it.")})
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": _("Keep the name under %(n)d characters.") % {"n": NAME_MAX}}
        )
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(account=user, revoked_at=None)
        if len(list(active)) >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                _("You have %(n)d tokens. Revoke one you no longer use, then try again.")
                % {"n": MAX_ACTIVE_TOKENS}
            )
        prefix = secrets.token_hex(4)
        raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            account=user, name=name, prefix=prefix, key_hash=hash_token(raw)
        )
    return token, raw


def token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke one of ``user``'s own tokens; it stops working at once."""
    if token.account_id != user.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token ``raw`` names, with its account, or None. Records the last use
    (at most once a minute, so reads do not write on every request)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("account")
        .filter(key_hash=hash_token(raw), revoked_at=None)
        .first()
    )
    if token is None or not token.account.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
