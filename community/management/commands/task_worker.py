"""``manage.py task_worker``: the background worker, safe to kill at any moment.

django-tasks-db marks a task RUNNING when a worker claims it; if that worker dies (killed,
out of memory, machine lost) the task stays RUNNING for ever and never runs again. This
command gives the worker a stable id (``--worker-id``, default the host name: one worker per
host or container), and on start puts every task still RUNNING under that id back in the
queue before running ``db_worker``. The tasks are idempotent (a webhook delivery is locked and
sent only while pending, with the same idempotency key on every attempt; a notification email
is stamped in the same transaction), so a task interrupted mid-delivery runs again and the
receiver sees it exactly once.

A lost database connection does not end the worker: it waits (1 s, doubling to 30 s) and
starts again — re-queueing first — once the database answers.
"""

from __future__ import annotations

import logging
import socket
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)
MAX_BACKOFF = 30


def requeue_orphaned(worker_id: str) -> int:
    """Put tasks this worker id left RUNNING back in the queue; returns how many."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("worker_ids")
    ids = [r.pk for r in running if r.worker_ids and r.worker_ids[-1] == worker_id]
    return DBTaskResult.objects.filter(pk__in=ids).update(
        status=TaskResultStatus.READY, started_at=None
    )


class Command(BaseCommand):
    help = "Run the task worker under a stable id, first re-queueing tasks it left unfinished."

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", default=socket.gethostname()[:64])
        parser.add_argument("--interval", type=float, default=1)

    def handle(self, *args, worker_id: str, interval: float, **options):
        backoff = 1
        while True:
            try:
                count = requeue_orphaned(worker_id)
                if count:
                    self.stderr.write(f"re-queued {count} task(s) left running by {worker_id}")
                backoff = 1
                call_command("db_worker", worker_id=worker_id, interval=interval, reload=False)
                return  # stopped by a signal
            except (OperationalError, InterfaceError) as exc:
                logger.warning(
                    "task worker lost the database; retrying",
                    extra={"error": type(exc).__name__, "retry_in": backoff},
                )
                connections.close_all()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
