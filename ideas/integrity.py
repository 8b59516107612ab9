"""Idea counters against their rows, for ``manage.py verify_integrity``.

``support_count`` must equal the idea's votes and ``comment_count`` its comments (hidden ones
included: hiding does not change the count); a merged idea's rows move to the survivor, so
both its counters are then zero.
"""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from ideas.models import Comment, Idea, Vote


def _count(model, field: str = "idea"):
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def find_problems() -> list[str]:
    ideas = (
        Idea.objects.annotate(n_votes=_count(Vote), n_comments=_count(Comment))
        .filter(~Q(support_count=F("n_votes")) | ~Q(comment_count=F("n_comments")))
        .order_by("pk")
    )
    problems = []
    for idea in ideas:
        if idea.support_count != idea.n_votes:
            problems.append(
                f"idea {idea.pk}: support count {idea.support_count} but {idea.n_votes} vote rows"
            )
        if idea.comment_count != idea.n_comments:
            problems.append(
                f"idea {idea.pk}: comment count {idea.comment_count} but {idea.n_comments} comments"
            )
    return problems
