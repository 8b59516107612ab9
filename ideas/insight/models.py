"""What insight needs to count people rather than requests."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServicePageVisit(models.Model):
    """One visitor opened one service page from a challenge on one day.

    The unique constraint is what keeps "opened from a challenge" to one event per visitor,
    service and day however often the link is replayed (``services.service_page_view_record``).
    ``visitor`` is a keyed hash (account, session, or client address and browser), never an
    id. Rows older than today are no longer consulted.
    """

    visitor = models.CharField(max_length=32)
    service_page_id = models.PositiveBigIntegerField()
    day = models.DateField()

    class Meta:
        verbose_name = _("service page visit")
        constraints = [
            models.UniqueConstraint(
                fields=["visitor", "service_page_id", "day"], name="insight_one_visit_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.visitor[:8]} / {self.service_page_id} / {self.day}"
