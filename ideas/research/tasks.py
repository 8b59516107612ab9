"""Background work of the research app, run by ``manage.py db_worker``."""

from __future__ import annotations

from django.tasks import task


@task()
def send_research_reminders() -> int:
    """Remind invitees who have not replied (exactly once each; safe to run twice)."""
    from ideas.research.actions import reminders_send

    return reminders_send()
