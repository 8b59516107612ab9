from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    """Participatory budgeting (``ideas.budgeting``): processes, budgets, costed projects,
    eligible voters, ballots on every channel and results computed by ``engine``."""

    name = "ideas.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        from ideas.budgeting import sources

        sources.register()
