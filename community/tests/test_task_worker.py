"""``manage.py task_worker`` puts back what a killed worker of the same id left running."""

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from community.management.commands.task_worker import requeue_orphaned

pytestmark = pytest.mark.django_db


def _task(status: str, worker_ids: list[str]) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        worker_ids=worker_ids,
        args_kwargs={"args": [], "kwargs": {"delivery_id": 1}},
        task_path="ideas.backlog.tasks.deliver_webhook",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        started_at=timezone.now() if status == TaskResultStatus.RUNNING else None,
    )


def test_tasks_left_running_by_this_worker_go_back_in_the_queue():
    mine = _task(TaskResultStatus.RUNNING, ["worker-1"])
    retried_elsewhere_after_me = _task(TaskResultStatus.RUNNING, ["worker-1", "worker-2"])
    other_workers = _task(TaskResultStatus.RUNNING, ["worker-2"])
    finished = _task(TaskResultStatus.SUCCESSFUL, ["worker-1"])

    assert requeue_orphaned("worker-1") == 1

    mine.refresh_from_db()
    assert mine.status == TaskResultStatus.READY and mine.started_at is None
    for untouched, status in [
        (retried_elsewhere_after_me, TaskResultStatus.RUNNING),
        (other_workers, TaskResultStatus.RUNNING),
        (finished, TaskResultStatus.SUCCESSFUL),
    ]:
        untouched.refresh_from_db()
        assert untouched.status == status
    assert DBTaskResult.objects.ready().filter(pk=mine.pk).exists()
