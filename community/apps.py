from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from community import (
            events,  # noqa: F401 - declares realtime event types
            exports,
            permissions,  # noqa: F401 - registers the permission names
        )
        from community.follows import register_followable
        from community.models import Persona

        exports.register()
        register_followable(Persona, visible=lambda persona: not persona.is_anonymised)
