"""Background work of the open-data app, run by ``manage.py db_worker``."""

from __future__ import annotations

from django.tasks import task

from api import bulk


@task()
def build_open_data() -> int:
    """Rebuild the bulk download; returns the new release's id."""
    return bulk.build_release().pk
