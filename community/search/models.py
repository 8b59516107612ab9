"""The search index: one row per searchable object, written only by ``community.search.indexing``.

On PostgreSQL a migration adds a generated ``document`` tsvector (English and Spanish
configurations with ``unaccent``, title weighted above body) with a GIN index, and a trigram
index on ``title_plain`` for typos. SQLite searches ``terms`` (the stems from
``community.search.text``) instead. Both read the same rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    extra = models.TextField(blank=True)
    # The title's words folded (lower case, no accents, no punctuation): exact-title ranking
    # and trigram similarity.
    title_plain = models.CharField(max_length=300)
    terms = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    agency = models.ForeignKey(
        "community.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=40, blank=True)
    scope = models.CharField(max_length=60, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]
        indexes = [
            models.Index(fields=["scope"], name="search_entry_scope"),
            models.Index(fields=["title_plain"], name="search_entry_title"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
