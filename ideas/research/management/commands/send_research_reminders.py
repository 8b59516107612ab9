"""Enqueue the research reminders task (run hourly from cron or the scheduler)."""

from django.core.management.base import BaseCommand

from ideas.research.tasks import send_research_reminders


class Command(BaseCommand):
    help = "Remind research invitees who have not replied (each person once)."

    def handle(self, *args, **options) -> None:
        send_research_reminders.enqueue()
        self.stdout.write("research reminders enqueued")
