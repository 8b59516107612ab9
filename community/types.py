"""Types shared by the type annotations of every app (no runtime behaviour).

``AnyUser`` is what a request, a websocket scope or a permission predicate may hold: a signed-in
account or Django's anonymous user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from community.models import User

type AnyUser = User | AnonymousUser
