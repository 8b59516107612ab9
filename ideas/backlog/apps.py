from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BacklogConfig(AppConfig):
    """Innovation backlogs, the public roadmap and back-office webhooks (``ideas.backlog``)."""

    name = "ideas.backlog"
    label = "backlog"
    verbose_name = _("Innovation backlogs")

    def ready(self) -> None:
        from community.notifications import register_category
        from community.permissions import is_public_servant
        from community.workspace import register_workspace_page
        from ideas.backlog import (  # noqa: F401 - declare event types, permissions
            events,
            permissions,
        )

        register_workspace_page(
            _("Innovation backlogs"), "backlog:index", is_public_servant, order=20
        )
        register_category("backlog.status", _("Progress on ideas you took part in"))
