"""Projects: proposed by citizens (screened like ideas), drawn by staff from ideas and
co-design outcomes, reviewed (cost, feasibility, a public reason for every rejection) and
merged. Followers hear about review decisions (notification category ``budgeting.project``)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from community import actions as community_actions
from community.models import Follow, Persona, User
from community.moderation.actions import content_screen
from community.text import clean_title
from ideas.actions.checks import acting_persona, clean_rich
from ideas.budgeting import permissions
from ideas.budgeting.models import (
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    Budget,
    BudgetProcess,
    Project,
    ReviewState,
)
from ideas.codesign.models import Outcome
from ideas.models import Idea

NOTIFY_CATEGORY = "budgeting.project"


def _url(project: Project) -> str:
    """The project's page (``ideas.budgeting.urls``, the pages' module; a notification without
    a link is still worth sending should the pages not be installed)."""
    try:
        return project.get_absolute_url()
    except NoReverseMatch:
        return ""


def _next_number(process: BudgetProcess) -> int:
    """The next project number in ``process``; the process row is locked by the caller."""
    top = Project.objects.filter(process=process).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _lock_process(process: BudgetProcess) -> None:
    BudgetProcess.objects.select_for_update().filter(pk=process.pk).first()


def _clean(title: str, description: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    cleaned: list[str] = []
    for check in (
        lambda: clean_title(title, max_length=TITLE_MAX),
        lambda: clean_rich(
            description, "description", DESCRIPTION_MAX, _("Say what the project would do.")
        ),
    ):
        try:
            cleaned.append(check())
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned[0], cleaned[1]


def _budget_in(process: BudgetProcess, budget: Budget) -> None:
    if budget.process_id != process.pk:
        raise ValidationError({"budget": _("Choose one of this process's budgets.")})


def project_propose(
    *,
    user: User,
    budget: Budget,
    title: str,
    description: str,
    persona: Persona | None = None,
    channel: str = "web",
) -> Project:
    """A citizen proposes a project as ``persona`` while proposals are open.

    Screened like an idea (``project.screening.held`` tells the caller it waits for a
    moderator); the proposer follows it and hears when it is reviewed.
    """
    process = budget.process
    reason = permissions.why_not_propose(user, process)
    if reason:
        raise PermissionDenied(reason)
    persona = acting_persona(user, persona)
    title, description = _clean(title, description)
    with transaction.atomic():
        _lock_process(process)
        project = Project.objects.create(
            process=process,
            budget=budget,
            number=_next_number(process),
            title=title,
            description=description,
            proposer=persona,
            created_by=user,
        )
        community_actions.follow(user=user, target=project)
        project.screening = content_screen(
            user=user, obj=project, text=f"{title}\n{description}", channel=channel
        )
    return project


def _project_from(
    *,
    user: User,
    budget: Budget,
    title: str,
    description: str,
    idea: Idea | None = None,
    outcome: Outcome | None = None,
) -> Project:
    process = budget.process
    if not permissions.can_manage_process(user, process):
        raise PermissionDenied(_("Only the agency's service designers add projects."))
    if not permissions.before_voting(user, process):
        raise ValidationError(_("Projects cannot be added once voting has started."))
    title, description = _clean(title, description)
    with transaction.atomic():
        _lock_process(process)
        project = Project.objects.create(
            process=process,
            budget=budget,
            number=_next_number(process),
            title=title,
            description=description,
            proposer=idea.persona if idea is not None else None,
            idea=idea,
            outcome=outcome,
            created_by=user,
        )
        author = idea.persona.account if idea is not None else None
        if author is not None and author.is_active:
            # The idea's author hears how their idea fares as a project.
            community_actions.follow(user=author, target=project)
    return project


def project_from_idea(
    *, user: User, budget: Budget, idea: Idea, title: str = "", description: str = ""
) -> Project:
    """Staff turn an idea (of their agency's challenges) into a project, waiting for review."""
    if idea.challenge.agency_id != budget.process.agency_id:
        raise ValidationError(_("Only ideas on this agency's challenges can become its projects."))
    if idea.is_merged:
        raise ValidationError(_("This idea was merged into another; use that one."))
    return _project_from(
        user=user,
        budget=budget,
        title=title or idea.title,
        description=description or idea.body,
        idea=idea,
    )


def project_from_outcome(
    *, user: User, budget: Budget, outcome: Outcome, title: str = "", description: str = ""
) -> Project:
    """Staff turn a co-design session's outcome into a project, waiting for review."""
    if outcome.session.agency_id != budget.process.agency_id:
        raise ValidationError(_("Only outcomes of this agency's sessions can become its projects."))
    return _project_from(
        user=user,
        budget=budget,
        title=title or outcome.title,
        description=description or outcome.description or outcome.title,
        outcome=outcome,
    )


def _followers(project: Project) -> list[User]:
    ct = ContentType.objects.get_for_model(Project)
    ids = Follow.objects.filter(content_type=ct, object_id=project.pk).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def project_review(
    *,
    user: User,
    project: Project,
    feasible: bool,
    cost: int | None = None,
    feasibility: str = "",
    rejection_reason: str = "",
    budget: Budget | None = None,
) -> Project:
    """Technical review: a feasible project needs a cost (and goes on the ballot); a rejected
    one needs a public reason. May move it to another budget of the process. Followers are
    notified. Allowed until voting opens."""
    reason = permissions.why_not_review(user, project)
    if reason:
        raise PermissionDenied(reason)
    if project.review_state == ReviewState.MERGED:
        raise ValidationError(_("This project was merged into another one."))
    if budget is not None:
        _budget_in(project.process, budget)
    feasibility = (feasibility or "").strip()
    rejection_reason = (rejection_reason or "").strip()
    errors: dict[str, str] = {}
    if feasible:
        if cost is None or cost <= 0:
            errors["cost"] = _("A feasible project needs its estimated cost (more than 0).")
        elif cost > (budget or project.budget).amount:
            errors["cost"] = _(
                "This costs more than the whole budget (%(amount)s): it cannot win."
            ) % {"amount": f"{(budget or project.budget).amount:,}"}
    elif not rejection_reason:
        errors["rejection_reason"] = _("Give the public reason why this project is not feasible.")
    for field, text in (("feasibility", feasibility), ("rejection_reason", rejection_reason)):
        if len(text) > REASON_MAX:
            errors[field] = _("Keep it under %(n)d characters.") % {"n": REASON_MAX}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        locked.review_state = ReviewState.FEASIBLE if feasible else ReviewState.REJECTED
        locked.cost = cost if feasible else locked.cost
        locked.feasibility = feasibility
        locked.rejection_reason = "" if feasible else rejection_reason
        if budget is not None:
            locked.budget = budget
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.save()
        title = locked.title
        url = _url(locked)
        community_actions.notify(
            recipients=_followers(locked),
            category=NOTIFY_CATEGORY,
            title=lambda: (
                (
                    _("“%(title)s” is on the ballot")
                    if feasible
                    else _("“%(title)s” was not accepted")
                )
                % {"title": title}
            ),
            body=lambda: rejection_reason or feasibility,
            url=url,
            exclude=user,
        )
    return locked


def project_merge(*, user: User, project: Project, into: Project) -> Project:
    """Merge a duplicate into another project of the same process (before voting). The
    duplicate leaves the ballot and shows where it went; its followers follow the survivor."""
    reason = permissions.why_not_review(user, project)
    if reason:
        raise PermissionDenied(reason)
    if into.pk == project.pk:
        raise ValidationError(_("A project cannot be merged into itself."))
    if into.process_id != project.process_id:
        raise ValidationError(_("Projects can be merged only within one process."))
    if into.review_state in (ReviewState.MERGED, ReviewState.REJECTED):
        raise ValidationError(_("Merge into a project that is still in the running."))
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        locked.review_state = ReviewState.MERGED
        locked.merged_into = into
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.save()
        for follower in _followers(locked):
            community_actions.follow(user=follower, target=into)
        community_actions.notify(
            recipients=_followers(locked),
            category=NOTIFY_CATEGORY,
            title=lambda: (
                _("“%(title)s” was merged into “%(into)s”")
                % {"title": locked.title, "into": into.title}
            ),
            url=_url(into),
            exclude=user,
        )
    return locked
