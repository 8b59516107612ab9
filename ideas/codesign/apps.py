from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodesignConfig(AppConfig):
    """Live co-design sessions run by service designers (``ideas.codesign``)."""

    name = "ideas.codesign"
    label = "codesign"
    verbose_name = _("Co-design sessions")

    def ready(self) -> None:
        from community.permissions import can_design
        from community.workspace import register_workspace_page
        from ideas.codesign import (
            events,  # noqa: F401 - declares the session event types
            moderation,
            permissions,  # noqa: F401 - registers the codesign.* rules and permissions
            places,
            sources,
        )

        moderation.register()
        places.register()
        sources.register()
        register_workspace_page(
            _("Co-design sessions you can run"),
            "codesign:session_list",
            lambda u: can_design(u, None),
            order=40,
        )
