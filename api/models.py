"""Personal API tokens and the published bulk-download releases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored; the full token is
    shown once, when it is made. ``prefix`` (public, unique) identifies it in lists and logs.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_api_tokens"
    )
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["account", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class DataRelease(models.Model):
    """One built bulk download. The newest is served at ``/data/open-data.zip``."""

    file = models.CharField(max_length=200, help_text="Path in the default storage.")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=dict, help_text="dataset name → number of rows")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.file} ({self.created_at:%Y-%m-%d %H:%M})"
