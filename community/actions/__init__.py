"""Every write about people: personas, roles, notifications, follows, privacy, the account,
assisted digital.

One module per concern; each action is keyword-only, checks (permission through
:mod:`community.permissions`, validation, locking) and then does (writes inside
``transaction.atomic``, records, publishes after commit). Other apps call these; they never
write community models directly. The package re-exports every action, so callers may write
``from community.actions import notify`` without knowing which module holds it.
"""

from community.actions.accounts import (
    account_delete,
    account_language_set,
)
from community.actions.assisted import (
    CONSENT_TEXT,
    assisted_citizen,
    assisted_consent_check,
    assisted_record,
)
from community.actions.follows import (
    follow,
    unfollow,
)
from community.actions.notifications import (
    notification_preferences_set,
    notifications_mark_read,
    notify,
    wants_email,
)
from community.actions.personas import (
    DESCRIPTION_MAX,
    PERSONA_NAME_MAX,
    PERSONA_NAME_MIN,
    RESERVED_NAME_WORDS,
    persona_create,
    persona_make_primary,
    persona_update,
    validate_persona_name,
)
from community.actions.privacy import (
    account_access_record,
    consent_set,
    persona_account_reveal,
)
from community.actions.roles import (
    membership_grant,
    membership_revoke,
)

__all__ = [
    "CONSENT_TEXT",
    "DESCRIPTION_MAX",
    "PERSONA_NAME_MAX",
    "PERSONA_NAME_MIN",
    "RESERVED_NAME_WORDS",
    "account_access_record",
    "account_delete",
    "account_language_set",
    "assisted_citizen",
    "assisted_consent_check",
    "assisted_record",
    "consent_set",
    "follow",
    "membership_grant",
    "membership_revoke",
    "notification_preferences_set",
    "notifications_mark_read",
    "notify",
    "persona_account_reveal",
    "persona_create",
    "persona_make_primary",
    "persona_update",
    "unfollow",
    "validate_persona_name",
    "wants_email",
]
