from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Campaigns to consenting audiences, digests, reminders, one-click unsubscribe, calendars."""

    name = "community.outreach"
    label = "outreach"
    verbose_name = _("Outreach")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.outreach import categories, permissions, privacy  # noqa: F401

        privacy.register()
