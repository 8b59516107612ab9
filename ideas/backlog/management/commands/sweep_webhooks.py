"""Re-enqueue stranded webhook deliveries (see ``ideas.backlog.tasks.sweep_stranded``).

The scheduler process (``open_data_scheduler``) runs the same sweep every interval; this
command runs it once, for cron or by hand.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ideas.backlog.tasks import sweep_stranded


class Command(BaseCommand):
    help = "Re-enqueue pending webhook deliveries whose task was lost or whose worker died."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"webhooks: {sweep_stranded()} stranded delivery(ies) re-enqueued")
