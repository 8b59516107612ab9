from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    """Participatory budgeting (``ideas.budgeting``): processes, budgets, costed projects,
    eligible voters, ballots on every channel and results computed by ``engine``."""

    name = "ideas.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        from community.follows import register_followable
        from community.notifications import register_category
        from community.privacy import register_erasure, register_export
        from ideas.budgeting import (
            events,  # noqa: F401 - declares the event types
            moderation,
            permissions,  # noqa: F401 - registers the rules permissions
            privacy,
            sms,
            sources,
        )
        from ideas.budgeting.discovery import register_all as register_discovery
        from ideas.budgeting.models import Project

        moderation.register()
        register_discovery()
        sms.register()
        sources.register()
        register_followable(Project, visible=lambda project: not project.is_hidden)
        register_category(
            "budgeting.project", _("Projects you proposed or follow in participatory budgets")
        )
        register_export(
            "budget_projects",
            _("Projects you proposed for participatory budgets"),
            privacy.export_projects,
            contributions=True,
        )
        register_export(
            "budget_ballots", _("Your ballots in participatory budgets"), privacy.export_ballots
        )
        register_erasure("budgeting", privacy.erase)
