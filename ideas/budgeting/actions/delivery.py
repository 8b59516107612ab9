"""Delivery: a finished budget's winners become backlog items on the agency's roadmap.

:func:`winners_deliver` is the staff action "Send winners to the backlog". For each winning
project not yet delivered it creates one backlog item through the backlog's own actions
(history, board event, tracker webhook, source idea status), traced to the project (a
registered backlog source, :mod:`ideas.budgeting.sources`) and to the project's source idea
when that idea belongs to the same agency; moves it to *triaged* so the public roadmap shows
it ("Being explored") with a public update; publishes it; and tells everyone who chose the
project, once each, through the backlog's close-the-loop mechanism
(:func:`ideas.backlog.actions.loop.tell`). Running it again delivers only what is left.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from community.models import User
from ideas.backlog import actions as backlog_actions
from ideas.backlog.actions.loop import participants, tell
from ideas.backlog.actions.records import Via
from ideas.backlog.models import BacklogIdeaLink, BacklogItem, ItemStatus, PublicUpdate
from ideas.backlog.permissions import can_manage_backlog
from ideas.budgeting.explain import money
from ideas.budgeting.models import Budget, Phase, Project
from ideas.models import Idea, Status

TITLE_MAX = 160


def _winners(budget: Budget) -> list[Project]:
    result = getattr(budget, "result", None)
    if result is None:
        return []
    numbers = [int(number) for number in result.selected]
    return list(
        Project.objects.filter(budget=budget, number__in=numbers)
        .select_related("idea__challenge", "backlog_item")
        .order_by("number")
    )


def _source_idea(project: Project, agency_id: int) -> list[Idea]:
    idea = project.idea
    if (
        idea is None
        or idea.challenge.agency_id != agency_id
        or idea.is_merged
        or idea.status not in {Status.ACCEPTED, Status.IN_BACKLOG}
        or BacklogIdeaLink.objects.filter(idea=idea).exists()
    ):
        return []
    return [idea]


def _other_languages(text: Callable[[], str]) -> dict[str, str]:
    """``text()`` in each of the site's other languages (the official words the platform
    writes itself, so a visitor reading in Spanish does not meet them in English)."""
    return {
        code: _in(code, text)
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    }


def _in(code: str, text: Callable[[], str]) -> str:
    with translation.override(code):
        return text()


def winners_deliver(*, user: User, budget: Budget) -> list[BacklogItem]:
    """Create a public, triaged backlog item for each winner of ``budget`` not yet delivered.

    Refuses (``PermissionDenied``) anyone who may not shape the agency's backlog, and
    (``ValidationError``) a budget without published results. Returns the new items.
    """
    process = budget.process
    agency = process.agency
    # check
    if not can_manage_backlog(user, agency):
        raise PermissionDenied(_("Only the agency's service designers and admins can do that."))
    if getattr(budget, "result", None) is None or process.phase != Phase.RESULTS:
        raise ValidationError(_("The results of this budget are not published yet."))
    todo = [p for p in _winners(budget) if p.backlog_item_id is None]
    if not todo:
        raise ValidationError(_("Every winning project is already in the backlog."))
    # do
    created: list[BacklogItem] = []
    with transaction.atomic():
        for project in todo:
            locked = Project.objects.select_for_update().get(pk=project.pk)
            if locked.backlog_item_id is not None:
                continue

            def won(project: Project = project) -> str:
                return _(
                    "Chosen by residents in “%(process)s” (%(budget)s), funded with %(cost)s."
                ) % {"process": process.title, "budget": budget.name, "cost": money(project.cost)}

            message = won()
            item = backlog_actions.item_create(
                user=user,
                agency=agency,
                title=project.title[:TITLE_MAX],
                problem=project.description or project.title,
                is_public=False,
                ideas=_source_idea(project, agency.pk),
                sources=[project],
                via=Via.PROMOTION,
            )
            item = backlog_actions.item_transition(
                user=user, item=item, status=ItemStatus.TRIAGED, message=message
            )
            update = PublicUpdate.objects.filter(item=item).order_by("-pk").first()
            if update is not None and update.body == message:
                update.translations = {
                    code: {"body": body} for code, body in _other_languages(won).items()
                }
                update.save(update_fields=["translations"])
            if project.translations:  # the project's official wording in other languages
                item.translations = {
                    code: {k: v for k, v in (("title", words.get("title")),
                                             ("problem", words.get("description"))) if v}
                    for code, words in project.translations.items() if isinstance(words, dict)
                }  # fmt: skip
                item.save(update_fields=["translations"])
            item = backlog_actions.item_update(user=user, item=item, is_public=True)
            locked.backlog_item = item
            locked.save(update_fields=["backlog_item"])
            tell(
                participants(item),
                title=_("“%(item)s” won the vote and is on %(agency)s's roadmap")
                % {"item": item.title, "agency": agency.name},
                body=message,
                url=item.get_absolute_url(),
                actor=user,
            )
            created.append(item)
    return created
