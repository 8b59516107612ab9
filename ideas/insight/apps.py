from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """Citizen insight for agencies: the dashboard, opinion maps, exports (``ideas.insight``)."""

    name = "ideas.insight"
    label = "insight"
    verbose_name = _("Citizen insight")

    def ready(self) -> None:
        from community.participation.recorder import on_recorded
        from community.permissions import is_public_servant
        from community.workspace import register_workspace_page
        from ideas.insight import (  # noqa: F401 - declare kinds, events, permissions
            events,
            kinds,
            permissions,
        )

        on_recorded(events.publish_counters)
        register_workspace_page(
            _("Insight dashboards"), "insight:index", is_public_servant, order=30
        )
