from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperienceConfig(AppConfig):
    """How services are experienced: feedback on every channel, the service dashboard, themes
    of what people wrote, monthly open data (``ideas.experience``)."""

    name = "ideas.experience"
    label = "experience"
    verbose_name = _("Service experience")

    def ready(self) -> None:
        from community.assisted import register_assist_page
        from community.permissions import is_public_servant
        from community.privacy import register_erasure, register_export
        from community.workspace import register_workspace_page
        from ideas.experience import (  # noqa: F401 - declare events and permissions
            events,
            moderation,
            permissions,
            privacy,
            sms,
        )

        moderation.register()
        sms.register()
        register_export("service_feedback", _("Feedback you gave on services"), privacy.export)
        register_erasure("service_feedback", privacy.erase)
        register_workspace_page(
            _("Service dashboards"), "experience:index", is_public_servant, order=31
        )
        register_assist_page(_("Record service feedback for a citizen"), "experience:counter")
