"""How citizens' project proposals take part in moderation (registered in
``BudgetingConfig.ready``): ``community.moderation`` keeps the held/hidden case; these hooks
mirror it in ``Project.is_hidden`` (ballots, lists, the API and open data leave hidden
projects out)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from community.moderation.registry import register_reportable
from ideas.budgeting.models import DESCRIPTION_MAX, Project


def _set_hidden(project: Project, hidden: bool) -> None:
    Project.objects.filter(pk=project.pk).update(is_hidden=hidden)


def _edit(project: Project, text: str) -> None:
    Project.objects.filter(pk=project.pk).update(description=text[:DESCRIPTION_MAX])


def register() -> None:
    register_reportable(
        Project,
        kind_label=_("Budget project"),
        author=lambda project: project.proposer,
        agency=lambda project: project.process.agency,
        text=lambda project: f"{project.title}\n{project.description}",
        context=lambda project: str(
            _("Project in the participatory budget “%(title)s”") % {"title": project.process.title}
        ),
        url=lambda project: project.get_absolute_url(),
        on_hide=lambda project, reason: _set_hidden(project, True),
        on_publish=lambda project: _set_hidden(project, False),
        apply_edit=_edit,
    )
