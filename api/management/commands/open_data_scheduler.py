"""Enqueue the daily rebuild of the bulk download (the ``scheduler`` process).

Django's tasks framework has no clock, so this small loop is one: every ``--interval``
seconds it asks whether the newest download is older than ``OPEN_DATA["MAX_AGE"]`` (a day)
and, if so, enqueues ``api.tasks.build_open_data`` for the worker. A cache key taken with
``cache.add`` (atomic; Redis in production) makes sure that several schedulers, or a
restart, enqueue one build per interval at most. ``--once`` checks once and exits (for cron).

Each round also sweeps stranded webhook deliveries back onto the queue
(``ideas.backlog.tasks.sweep_stranded``: pending rows whose enqueue failed or whose worker
died), so a lost task never leaves a delivery pending for ever.

And each round runs ``community.outreach.tasks.outreach_round``: it enqueues the reminders
now due ("your session starts in an hour", "voting closes tomorrow"), the weekly digest once
the week has turned, and any campaign whose task was lost. With the default ten-minute
interval a reminder goes out between 50 and 60 minutes before a session. It also enqueues
``ideas.research.tasks.send_research_reminders``, which reminds research-panel invitees who have
not replied within the reminder delay (each person once).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.management.base import BaseCommand

from api import bulk
from api.tasks import build_open_data
from community.outreach.tasks import outreach_round
from ideas.backlog.tasks import sweep_stranded
from ideas.research.tasks import send_research_reminders

LOCK_KEY = "open-data:build-enqueued"


def enqueue_if_stale(interval: int) -> bool:
    """Enqueue one build if the download is stale and none was enqueued this interval."""
    if not bulk.is_stale():
        return False
    if not cache.add(LOCK_KEY, 1, timeout=interval):
        return False
    build_open_data.enqueue()
    return True


class Command(BaseCommand):
    help = "Enqueue the bulk open-data download rebuild whenever it is a day old."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument(
            "--interval", type=int, default=600, help="Seconds between checks (default 600)."
        )

    def handle(self, *args, once: bool = False, interval: int = 600, **options):
        while True:
            if enqueue_if_stale(interval):
                self.stdout.write("open data: rebuild enqueued")
            swept = sweep_stranded()
            if swept:
                self.stdout.write(f"webhooks: {swept} stranded delivery(ies) re-enqueued")
            outreach_round()
            send_research_reminders.enqueue()
            if once:
                return
            time.sleep(interval)
