from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Citizen-to-citizen service exchange: offers, requests, conversations, time credits."""

    name = "community.exchange"
    label = "exchange"
    verbose_name = _("Service exchange")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community import integrity
        from community.assisted import register_assist_page
        from community.exchange import (  # noqa: F401 - declare events, permissions
            events,
            moderation,
            permissions,
            places,
            privacy,
            selectors,
        )
        from community.exchange.management.commands.ledger_check import find_problems
        from community.notifications import register_category
        from community.profiles import register_contributions

        privacy.register()
        places.register()
        register_assist_page(
            _("Ask for help in the exchange for a citizen"), "exchange:assist_request"
        )
        moderation.register()
        integrity.register("ledger", find_problems)
        register_category("exchange", _("Your exchanges: replies, messages and agreements"))
        register_contributions("exchange", _("Offers and requests"), selectors.public_posts_of)
        from community.exchange.search import register_posts

        register_posts()
