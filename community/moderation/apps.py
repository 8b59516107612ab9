from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Reports, automatic holds, the moderation queue, actions, appeals and the audit log."""

    name = "community.moderation"
    label = "moderation"
    verbose_name = _("Moderation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.models import Persona
        from community.moderation import (  # noqa: F401 - registers permission names
            permissions,
            privacy,
        )
        from community.moderation.registry import register_reportable
        from community.notifications import register_category
        from community.permissions import can_moderate
        from community.workspace import register_workspace_page

        privacy.register()
        register_workspace_page(
            _("Moderation queue"), "moderation:queue", lambda u: can_moderate(u, None), order=10
        )
        register_category("moderation", _("Moderation decisions about your contributions"))
        register_reportable(
            Persona,
            kind_label=_("Persona"),
            author=lambda persona: persona,
            agency=lambda persona: None,
            text=lambda persona: f"{persona.display_name}\n{persona.description}".strip(),
            context=lambda persona: str(_("Public name and profile")),
            url=lambda persona: persona.get_absolute_url(),
        )
