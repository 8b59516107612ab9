from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    """Surveys built in the CMS and the research panel (``ideas.research``)."""

    name = "ideas.research"
    label = "research"
    verbose_name = _("Surveys and research panel")

    def ready(self) -> None:
        from community.notifications import register_category
        from community.permissions import can_design, is_public_servant
        from community.privacy import (
            register_consent_listener,
            register_erasure,
            register_export,
        )
        from community.workspace import register_workspace_page
        from ideas.research import moderation, permissions, privacy, sms  # noqa: F401

        moderation.register()
        sms.register()
        register_category(
            "research", _("Invitations to research and co-design"), email_default=True, text=True
        )
        register_export("research_panel", _("Research panel"), privacy.export_panel)
        register_export(
            "research_invitations", _("Research invitations"), privacy.export_invitations
        )
        register_export("survey_answers", _("Survey answers"), privacy.export_survey_answers)
        register_erasure("research", privacy.erase)
        register_consent_listener(privacy.consent_changed)
        register_workspace_page(
            _("Research recruitment"),
            "research:recruitment_list",
            lambda u: can_design(u, None),
            order=45,
        )
        register_workspace_page(
            _("Survey results"), "research:survey_list", is_public_servant, order=46
        )
