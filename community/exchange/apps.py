from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Citizen-to-citizen service exchange: offers, requests, conversations, time credits."""

    name = "community.exchange"
    label = "exchange"
    verbose_name = _("Service exchange")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.exchange import events, privacy  # noqa: F401 - declare, register

        privacy.register()
