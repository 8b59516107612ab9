"""The live idea board: ``/ws/boards/<challenge_id>/?sort=…&status=…``.

On connect: a snapshot of the board's first page in the requested order (bounded by
``BOARD_PAGE_SIZE``) with the viewer's own supports, then every board event in sequence.
Inbound ``vote``, ``unvote`` and ``comment`` call the same actions as the HTML forms, so
the same permission checks and validation apply; the consumer only parses and replies.
``seen`` reports idea cards that scrolled into the viewer's view, for the opinion map
(``ideas.opinion.services.impressions_record``): batched, capped per message and
rate-limited per socket, and only ids of ideas the board shows are kept.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Coroutine, Hashable
from typing import Any, cast
from urllib.parse import parse_qs

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from community.models import Persona
from ideas import actions as idea_actions
from ideas import permissions, selectors
from ideas.events import board_stream, idea_card
from ideas.models import COMMENT_MAX, Challenge, Comment, Idea, Status
from ideas.opinion import board as opinion_board
from ideas.opinion import services as opinion_services
from ideas.opinion.conf import setting as opinion_setting
from realtime.consumers import Action, LiveConsumer, TokenBucket, in_action_thread

_ID = {"type": "integer", "minimum": 1, "maximum": 2**53}

# Signed-out viewers of one board share its lookup for a second: a crowd opening a board is
# one query a second, not one per socket (docs/performance.md, item 12). Per event loop, as
# the lookup is a task of that loop; a failed lookup is forgotten at once.
ANONYMOUS_LOOKUP_FOR = 1.0
_anonymous_lookups: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[int, tuple[float, asyncio.Task[Challenge | None]]]
] = weakref.WeakKeyDictionary()


class BoardConsumer(LiveConsumer):
    error_codes = frozenset({"rate_limited"})
    actions = {
        "seen": Action(
            handler="handle_seen",
            properties={
                "ideas": {
                    "type": "array",
                    "items": _ID,
                    "minItems": 1,
                    "maxItems": opinion_setting("SEEN_BATCH_MAX"),
                    "uniqueItems": True,
                }
            },
            required=("ideas",),
        ),
        "vote": Action(
            handler="handle_vote", properties={"idea": _ID, "persona": _ID}, required=("idea",)
        ),
        "unvote": Action(handler="handle_unvote", properties={"idea": _ID}, required=("idea",)),
        "comment": Action(
            handler="handle_comment",
            properties={
                "idea": _ID,
                "body": {"type": "string", "minLength": 1, "maxLength": COMMENT_MAX},
                "parent": _ID,
                "persona": _ID,
            },
            required=("idea", "body"),
        ),
    }

    async def resolve_stream(self) -> str | None:
        challenge_id = self.scope["url_route"]["kwargs"]["challenge_id"]
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        sort = (query.get("sort") or [""])[0]
        status = (query.get("status") or [""])[0]
        self.sort = sort if sort in selectors.SORTS else selectors.DEFAULT_SORT
        self.status = status if status in Status.values else ""
        # On the action threads (PostgreSQL: several at once), not Django's one database
        # thread: a crowd's connects then do not queue one by one behind it
        # (docs/performance.md, item 11).
        if self.is_authenticated:
            challenge = await in_action_thread(self._load_challenge)(challenge_id)
        else:
            challenge = await self._shared_lookup(int(challenge_id))
        if challenge is None:
            return None
        self.challenge = challenge
        return board_stream(challenge.pk)

    async def _shared_lookup(self, challenge_id: int) -> Challenge | None:
        """The board as a signed-out viewer may see it (the same for all of them), looked up
        once a second per process however many connect."""
        loop = asyncio.get_running_loop()
        lookups = _anonymous_lookups.setdefault(loop, {})
        now = loop.time()
        found = lookups.get(challenge_id)
        if found is None or now - found[0] >= ANONYMOUS_LOOKUP_FOR:
            if len(lookups) > 1000:  # forget the lookups too old to be reused
                for key in [
                    k for k, (at, _t) in lookups.items() if now - at >= ANONYMOUS_LOOKUP_FOR
                ]:
                    del lookups[key]
            lookup = cast(
                Coroutine[Any, Any, Challenge | None],
                in_action_thread(self._load_challenge)(challenge_id),
            )
            task: asyncio.Task[Challenge | None] = loop.create_task(lookup)

            def forget_failure(task: asyncio.Task[Challenge | None]) -> None:
                if (task.cancelled() or task.exception() is not None) and lookups.get(
                    challenge_id, (0, None)
                )[1] is task:
                    del lookups[challenge_id]

            task.add_done_callback(forget_failure)
            found = (now, task)
            lookups[challenge_id] = found
        # Shielded: a socket closing while it waits cancels neither the lookup nor the others.
        return await asyncio.shield(found[1])

    def _load_challenge(self, challenge_id: int) -> Challenge | None:
        challenge = Challenge.objects.select_related("agency").filter(pk=challenge_id).first()
        if challenge is not None and not permissions.can_view_challenge(self.user, challenge):
            raise PermissionDenied
        return challenge

    def snapshot_key(self) -> Hashable | None:
        # Everyone on one board, sort and filter sees the same page (only visible ideas:
        # held and hidden ones are on no one's board); what is the viewer's own (the ideas
        # they support) is the overlay. So a crowd opening a board is one build.
        return ("board", self.stream, self.sort, self.status)

    def build_snapshot(self) -> dict[str, Any]:
        return self._board_data(self.user)

    def build_shared_snapshot(self) -> dict[str, Any]:
        # Built as a signed-out viewer: nothing of whichever socket asked first.
        return self._board_data(AnonymousUser())

    async def snapshot_overlay(self, data: dict[str, Any]) -> dict[str, Any] | None:
        if not self.is_authenticated:
            return {}  # the shared data's viewer is the signed-out one
        shown = [card["id"] for card in data["ideas"]]
        supported = await in_action_thread(selectors.supported_ids)(self.user, shown)
        return {"viewer": {"authenticated": True, "supported": sorted(supported)}}

    def _board_data(self, user: Any) -> dict[str, Any]:
        # The total and the page are two queries: read both from one view of the database, or
        # an idea committing between them is on the page but not in the total, and a client
        # that counts new ideas once by id stays one short (make faults, mixed load).
        outermost = not connection.in_atomic_block
        with transaction.atomic(savepoint=False):
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            challenge = Challenge.objects.get(pk=self.challenge.pk)
            page = selectors.board_page(
                challenge=challenge, user=user, sort=self.sort, status=self.status, page=1
            )
        return {
            "challenge": {
                "id": challenge.pk,
                "phase": challenge.phase,
                "phase_label": str(challenge.phase_label),
            },
            "sort": self.sort,
            "status": self.status,
            "total": page.total,
            "ideas": [idea_card(idea) for idea in page.ideas],
            "viewer": {
                "authenticated": bool(user.is_authenticated),
                "supported": sorted(page.supported),
            },
        }

    # -- actions: parse, call one idea action, return plain data -----------------------------------

    def _idea(self, idea_id: int) -> Idea:
        return Idea.objects.select_related("challenge", "persona").get(
            pk=idea_id, challenge_id=self.challenge.pk
        )

    def _persona(self, persona_id: int | None) -> Persona | None:
        return None if persona_id is None else Persona.objects.get(pk=persona_id)

    def handle_vote(self, *, idea: int, persona: int | None = None) -> dict[str, Any]:
        count = idea_actions.vote_cast(
            user=self.user, idea=self._idea(idea), persona=self._persona(persona)
        )
        return {"idea": idea, "supported": True, "support_count": count}

    def handle_unvote(self, *, idea: int) -> dict[str, Any]:
        count = idea_actions.vote_withdraw(user=self.user, idea=self._idea(idea))
        return {"idea": idea, "supported": False, "support_count": count}

    async def handle_seen(self, *, ideas: list[int]) -> dict[str, Any]:
        bucket = getattr(self, "seen_bucket", None)
        if bucket is None:
            per_minute = opinion_setting("SEEN_PER_MINUTE")
            bucket = self.seen_bucket = TokenBucket(per_minute / 60, max(1, per_minute // 6))
        if not bucket.take():
            raise ValidationError(
                _("Too many reports of ideas seen; send them in fewer batches."),
                code="rate_limited",
            )
        return await in_action_thread(self._record_seen)(ideas)

    def _record_seen(self, ideas: list[int]) -> dict[str, Any]:
        shown = opinion_board.shown_idea_ids(self.challenge.pk, ideas)
        new = opinion_services.impressions_record(
            user=self.user, challenge_id=self.challenge.pk, idea_ids=shown
        )
        return {"recorded": len(shown), "new": new}

    def handle_comment(
        self, *, idea: int, body: str, parent: int | None = None, persona: int | None = None
    ) -> dict[str, Any]:
        target = self._idea(idea)
        parent_comment = (
            None
            if parent is None
            else Comment.objects.select_related("persona__account").get(pk=parent, idea=target)
        )
        comment = idea_actions.comment_create(
            user=self.user,
            idea=target,
            body=body,
            persona=self._persona(persona),
            parent=parent_comment,
        )
        if comment.screening.held:  # the action's content screening
            return {
                "idea": idea,
                "comment": comment.pk,
                "held": True,
                "note": comment.screening.message,
            }
        return {"idea": idea, "comment": comment.pk}
