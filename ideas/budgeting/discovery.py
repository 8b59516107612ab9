"""Participatory-budget projects in the site search and on the maps (registered in
``BudgetingConfig.ready``; ``community`` never imports ``ideas``).

Both show exactly what the budget pages show anyone: reviewed projects (on the ballot,
rejected with their public reason, or merged) that moderators have not hidden
(:func:`ideas.budgeting.selectors.public_projects`' rule, over every process). A project
waiting for review, or held or hidden, is never found and never drawn.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from community.places.layers import Layer, MapFilter, MapItem, register_layer
from community.search.registry import Document, Provider, register
from ideas.budgeting.models import Project, ReviewState


def public_projects() -> QuerySet[Project]:
    return (
        Project.objects.filter(is_hidden=False)
        .exclude(review_state=ReviewState.SUBMITTED)
        .select_related("process", "district")
    )


def _document(project: Any) -> Document:
    return Document(
        title=project.title,
        body=f"{project.description} {project.process.title}",
        url=project.get_absolute_url(),
        updated_at=project.updated_at,
        agency_id=project.process.agency_id,
        status=project.review_state,
    )


def _items(wanted: MapFilter) -> list[MapItem]:
    projects = public_projects().filter(latitude__isnull=False, longitude__isnull=False)
    if wanted.district is not None:
        projects = projects.filter(district=wanted.district)
    if wanted.status:
        projects = projects.filter(review_state=wanted.status)
    return [
        MapItem(
            kind="budget_project",
            kind_label=_("Budget project"),
            title=project.title,
            url=project.get_absolute_url(),
            latitude=project.latitude,  # type: ignore[arg-type]  # filtered: not null
            longitude=project.longitude,  # type: ignore[arg-type]
            district=project.district.name if project.district else "",
            status=project.review_state,
            status_label=ReviewState(project.review_state).label,
            extra={"id": project.pk, "budget_id": project.budget_id},
        )
        for project in projects.order_by("-created_at", "-pk")[: wanted.limit]
    ]


def register_all() -> None:
    register(
        Provider(
            kind="budget_project",
            label=_("Budget projects"),
            model=Project,
            queryset=lambda: Project.objects.select_related("process"),
            document=_document,
            visible=public_projects,
            statuses=list(ReviewState.choices),
            fields=frozenset({"title", "description", "review_state", "is_hidden", "cost"}),
        )
    )
    register_layer(
        Layer("budget_project", _("Budget projects"), _items, statuses=ReviewState.choices)
    )
