"""The live opinion map: ``/ws/opinion/<kind>/<subject_id>/``.

Who may connect is the source's ``may_view`` (idea boards: staff of the challenge's agency);
anyone else is closed with 4403, an unknown kind or subject with 4404. Read only: no inbound
actions besides ``resync``. Snapshot and ``opinion.map`` events carry the stored map's state
(``services.map_event_data``); the browser then fetches the rendered partial.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied

from ideas.opinion import selectors, sources
from ideas.opinion.events import opinion_stream
from ideas.opinion.services import map_event_data
from realtime.consumers import LiveConsumer


class OpinionMapConsumer(LiveConsumer):
    actions = {}

    async def resolve_stream(self) -> str | None:
        kwargs = self.scope["url_route"]["kwargs"]
        try:
            self.source = sources.source(kwargs["kind"])
        except sources.UnknownSource:
            return None
        self.subject_id = int(kwargs["subject_id"])
        allowed = await database_sync_to_async(self.source.may_view)(self.user, self.subject_id)
        if not allowed:
            raise PermissionDenied
        return opinion_stream(self.source.kind, self.subject_id)

    def build_snapshot(self) -> dict[str, Any]:
        if not self.source.may_view(self.user, self.subject_id):
            raise PermissionDenied  # access re-checked on every snapshot
        return map_event_data(selectors.stored_map_or_pending(self.source.kind, self.subject_id))
