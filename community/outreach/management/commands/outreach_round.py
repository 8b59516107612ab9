"""``manage.py outreach_round``: enqueue due reminders, the weekly digest and lost campaigns.

Run by the ``scheduler`` process every round (``open_data_scheduler`` calls the same
function) or by cron with this command; the task worker does the sending. Every task is
idempotent, so running it more often than needed sends nothing twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from community.outreach.tasks import outreach_round


class Command(BaseCommand):
    help = "Enqueue due reminders, the weekly digest and any campaign whose task was lost."

    def handle(self, *args, **options):
        result = outreach_round()
        self.stdout.write(
            "outreach: reminders checked, digests {digests}, campaigns re-enqueued "
            "{campaigns}".format(**result)
        )
